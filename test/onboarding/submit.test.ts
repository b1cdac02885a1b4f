// Submitting: completeness, declarations, the frozen version, the reference, the audit event,
// frozen answers afterwards, and resubmission after a change request.
import type { FastifyInstance } from 'fastify';
import { formatReference } from '../../src/onboarding/reference-number';
import t, { type Test } from 'tap';
import { build, signUp, type Browser } from '../helpers/build';
import {
  ALL_DECLARATIONS,
  VALID_ANSWERS,
  fillAllSections,
  startApplication,
  submittedApplication,
} from '../helpers/onboarding';

const clock = () => new Date('2026-11-26T06:00:00.000Z');

// One app per file (building one per test is slow on PostgreSQL); each test signs up its own organization.
// The first test is the first submission in this app, so it gets the year's first reference.
let shared: FastifyInstance;
t.before(async () => {
  shared = await build(t, { clock });
});
let people = 0;
const newEmail = () => `owner${++people}@fin.example`;

t.test('submit freezes the answers as version 1 with a reference OB-YYYY-NNNNNN and an audit event', async (t) => {
  const app = shared;
  const { browser, id, submit } = await submittedApplication(app, newEmail());
  t.equal(submit.headers.location, `/applications/${id}/confirmation`);
  const row = await app.db('applications').where({ id }).first();
  t.equal(row.stage, 'suitability');
  t.equal(row.status, 'submitted');
  t.equal(Number(row.current_version), 1);
  t.equal(row.reference, 'OB-2026-000001');
  t.equal(row.submitted_at, '2026-11-26T06:00:00.000Z');
  const versions = await app.db('application_versions').where({ application_id: id });
  t.equal(versions.length, 1);
  t.equal(Number(versions[0].version), 1);
  const frozen = JSON.parse(versions[0].answers);
  t.same(Object.keys(frozen).sort(), [
    'apis',
    'company',
    'contacts',
    'declarations',
    'documents',
    'service',
    'technical',
  ]);
  t.equal(frozen.company.business_registration_number, '2148712348');
  t.same(frozen.declarations, ['accuracy', 'inquiry_consent', 'withdrawal_consent']);
  const events = await app.db('audit_events').where({ application_id: id, event: 'application.submitted' });
  t.equal(events.length, 1);
  t.equal(events[0].from_state, 'application:draft');
  t.equal(events[0].to_state, 'suitability:submitted');
  t.notOk(Boolean(events[0].internal));
  const conf = await browser.get(`/applications/${id}/confirmation`);
  t.equal(conf.statusCode, 200);
  t.match(conf.body, /class="panel"[\s\S]*OB-2026-000001/);
  t.match(conf.body, '다음 단계');
  t.match(conf.body, '영업일 5일 안에', 'the review target comes from the configuration');
  const home = await browser.get('/applications');
  t.match(home.body, 'OB-2026-000001');
  t.match(home.body, /stage-suitability-status">심사 대기/);
  t.match(home.body, '이용신청을 제출했습니다', 'the timeline shows the submission');
});

t.test('references count up per year across organizations', async (t) => {
  const app = shared;
  const one = await submittedApplication(app, newEmail());
  const two = await submittedApplication(app, newEmail());
  const refOne = (await app.db('applications').where({ id: one.id }).first()).reference as string;
  const refTwo = (await app.db('applications').where({ id: two.id }).first()).reference as string;
  const n = Number(refOne.slice(-6));
  t.equal(refTwo, formatReference(2026, n + 1));
  t.same(
    await app
      .db('reference_counters')
      .select('year', 'last_value')
      .then((r) => r.map((x) => [Number(x.year), Number(x.last_value)])),
    [[2026, n + 1]],
  );
});

t.test('submitting an incomplete application lists what to fix', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: newEmail() });
  const id = await startApplication(b);
  const countersBefore = await app.db('reference_counters').select('year', 'last_value');
  await b.post(`/applications/${id}/company`, { ...VALID_ANSWERS.company, action: 'continue' });
  await b.post(`/applications/${id}/service`, { service_name: '반쪽', action: 'draft' });
  const check = await b.get(`/applications/${id}/check`);
  t.match(check.body, '제출하려면 다음을 완료하세요', 'the check page warns before submitting');
  const res = await b.post(
    `/applications/${id}/submit`,
    { declare_accuracy: 'yes' },
    { formUrl: `/applications/${id}/check` },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, 'class="error-summary"');
  t.match(res.body, `href="/applications/${id}/service?return&#x3D;check">‘서비스 정보’에 고칠 내용이 있습니다`);
  t.match(res.body, `href="/applications/${id}/apis?return&#x3D;check">‘사용할 API’를 입력하세요`);
  t.match(res.body, `href="/applications/${id}/contacts?return&#x3D;check"`);
  t.notMatch(res.body, `href="/applications/${id}/company?return&#x3D;check">`, 'the complete section is not listed');
  const row = await app.db('applications').where({ id }).first();
  t.equal(row.status, 'draft');
  t.equal(row.reference, null);
  t.equal((await app.db('application_versions').where({ application_id: id })).length, 0);
  t.same(
    await app.db('reference_counters').select('year', 'last_value'),
    countersBefore,
    'no reference number was used up',
  );
});

t.test('the declarations must be accepted to submit', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: newEmail() });
  const id = await startApplication(b);
  await fillAllSections(b, id);
  const res = await b.post(
    `/applications/${id}/submit`,
    { declare_accuracy: 'yes', declare_inquiry_consent: 'yes' },
    { formUrl: `/applications/${id}/check` },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#declare_withdrawal_consent"');
  t.match(
    res.body,
    /id="declare_accuracy" name="declare_accuracy" value="yes" checked/,
    'accepted declarations stay ticked',
  );
  t.equal((await app.db('applications').where({ id }).first()).status, 'draft');
});

async function expectFrozen(t: Test, b: Browser, id: string) {
  const get = await b.get(`/applications/${id}/company`);
  t.equal(get.statusCode, 303, 'GET a section redirects to the summary');
  t.equal(get.headers.location, `/applications/${id}/check`);
  const post = await b.post(
    `/applications/${id}/company`,
    { ...VALID_ANSWERS.company, legal_name: '바꾼 이름', action: 'continue' },
    { formUrl: `/applications/${id}/check` },
  );
  t.equal(post.statusCode, 409);
  t.match(post.body, '제출한 이용신청은 고칠 수 없습니다');
  const draft = await b.post(
    `/applications/${id}/company`,
    { legal_name: '바꾼 이름', action: 'draft' },
    { formUrl: `/applications/${id}/check` },
  );
  t.equal(draft.statusCode, 409, 'not even as a draft');
}

t.test('after submission the answers cannot be edited', async (t) => {
  const app = shared;
  const { browser, id } = await submittedApplication(app, newEmail());
  await expectFrozen(t, browser, id);
  const answers = JSON.parse(
    (await app.db('application_answers').where({ application_id: id, section: 'company' }).first()).data,
  );
  t.equal(answers.legal_name, '주식회사 테스트핀테크');
  const check = await browser.get(`/applications/${id}/check`);
  t.equal(check.statusCode, 200);
  t.match(check.body, '제출한 이용신청 내용');
  t.notMatch(check.body, '>변경<', 'no Change links');
  t.notMatch(check.body, `action="/applications/${id}/submit"`, 'no submit form');
  const again = await browser.post(`/applications/${id}/submit`, ALL_DECLARATIONS, {
    formUrl: `/applications/${id}/check`,
  });
  t.equal(again.statusCode, 409, 'submitting twice is a conflict');
  t.equal((await app.db('application_versions').where({ application_id: id })).length, 1);
});
