import t from 'tap';
import { build } from '../helpers/build';
import { submittedApplication, VALID_ANSWERS } from '../helpers/onboarding';
import { manualClock } from '../helpers/workflow';
import { translate } from '../../src/i18n';

t.setTimeout(240_000);
const ko = (key: string, params?: Record<string, unknown>) => translate('ko', key, params);

t.test(
  'a submission gets a receipt on the page and by e-mail: reference, Korean time and what was submitted',
  async (t) => {
    const clock = manualClock('2026-12-03T06:56:00.000Z'); // 15:56 in Seoul
    const app = await build(t, { clock });
    const a = await submittedApplication(app, 'owner@receipt.example');
    const row = await app.db('applications').where({ id: a.id }).first();
    const page = await a.browser.get(`/applications/${a.id}/confirmation`);
    t.equal(page.statusCode, 200);
    for (const text of [
      ko('onboarding.receipt.title'),
      row.reference,
      '2026년 12월 3일 오후 3:56',
      VALID_ANSWERS.company.legal_name,
      '214-87-12348',
      VALID_ANSWERS.service.service_name,
      `${ko('onboarding.apis.balance.name')}(월 100,000건)`,
      `${ko('onboarding.apis.withdraw.name')}(월 50,000건)`,
      '이업무 · biz@test-fintech.example',
      ko('onboarding.declarations.accuracy.title'),
      ko('onboarding.declarations.withdrawal_consent.title'),
      '같은 접수증을 owner@receipt.example로 보냈습니다.',
    ])
      t.match(page.body, text, `the page shows ${text}`);

    const mails = await app
      .db('email_outbox')
      .where({ to_address: 'owner@receipt.example' })
      .andWhere('subject', 'like', '%접수증%');
    t.equal(mails.length, 1, 'one receipt e-mail to the person who submitted');
    const mail = mails[0];
    t.equal(mail.subject, `[오픈뱅킹 포털] 이용신청 접수증 ${row.reference} (1차 제출)`);
    for (const text of [
      '제출 시각: 2026년 12월 3일 오후 3:56',
      `- ${ko('onboarding.fields.company.legal_name')}: ${VALID_ANSWERS.company.legal_name}`,
      `${ko('onboarding.fields.technical.callback_urls')}: 2개`,
      `/applications/${a.id}/confirmation`,
    ]) {
      t.match(mail.body, text, `the e-mail says ${text}`);
    }
    t.notMatch(mail.body, /\((을|를|이|가|은|는|와|과|으)\)/, 'particles are chosen from the word');
  },
);

t.test('the receipt shows the frozen submission, not answers typed after it', async (t) => {
  const app = await build(t);
  const a = await submittedApplication(app, 'owner@frozen.example');
  // The form is locked after submission; a write behind its back still does not change the receipt.
  const changed = await app
    .db('application_answers')
    .where({ application_id: a.id, section: 'company' })
    .update({ data: JSON.stringify({ ...VALID_ANSWERS.company, legal_name: '나중에 바꾼 이름' }) });
  t.equal(changed, 1, 'the working copy changed');
  const page = await a.browser.get(`/applications/${a.id}/confirmation`);
  t.match(page.body, VALID_ANSWERS.company.legal_name);
  t.notMatch(page.body, '나중에 바꾼 이름');
});

t.test('another organization cannot open the receipt', async (t) => {
  const app = await build(t);
  const a = await submittedApplication(app, 'owner@one.example');
  const b = await submittedApplication(app, 'owner@two.example');
  const res = await b.browser.get(`/applications/${a.id}/confirmation`);
  t.equal(res.statusCode, 404);
});
