import t from 'tap';
import { build, signUp } from '../helpers/build';
import { fillAllSections, startApplication, submittedApplication, VALID_ANSWERS } from '../helpers/onboarding';
import { translate } from '../../src/i18n';

t.setTimeout(240_000);
const ko = (key: string, params?: Record<string, unknown>) => translate('ko', key, params);
/** The error summary's items, as text. */
const summary = (html: string) =>
  [
    ...(/<div class="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '').matchAll(
      /<li><a href="#([\w-]+)">([^<]*)<\/a><\/li>/g,
    ),
  ].map((m) => ({ field: m[1], text: m[2] }));

t.test('error messages name the contact and the API they are about', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'owner@details.example', organization: '상세핀테크' });
  const id = await startApplication(b);
  const contacts = await b.post(`/applications/${id}/contacts`, {
    ...VALID_ANSWERS.contacts,
    technical_email: 'dev-at-example',
    privacy_phone: '12',
    action: 'continue',
  });
  t.equal(contacts.statusCode, 422);
  t.same(
    summary(contacts.body).map((e) => e.field),
    ['technical_email', 'privacy_phone'],
  );
  t.match(summary(contacts.body)[0]!.text, '기술 담당자 이메일 주소', 'which contact’s e-mail');
  t.match(summary(contacts.body)[1]!.text, '개인정보보호책임자 전화번호', 'which contact’s phone');

  const apis = await b.post(`/applications/${id}/apis`, {
    apis: ['balance', 'withdraw'],
    calls_balance: '100',
    calls_withdraw: '많이',
    action: 'continue',
  });
  t.equal(apis.statusCode, 422);
  t.match(
    summary(apis.body)[0]!.text,
    `${ko('onboarding.apis.withdraw.name')}의 월 예상 호출 건수`,
    'which API’s call count',
  );
});

t.test('a multi-line field reports every bad line, each with its line number', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'owner@lines.example', organization: '줄핀테크' });
  const id = await startApplication(b);
  const res = await b.post(`/applications/${id}/technical`, {
    callback_urls: 'https://ok.example/cb\nhttp://pay.example/cb\nhttps://a.example/cb#x',
    server_ips: '203.0.113.1\n300.1.1.1\n10.0.0.0/33',
    security_staff_count: '2',
    ciso_name: '정보안',
    action: 'continue',
  });
  t.equal(res.statusCode, 422);
  const errs = summary(res.body);
  t.same(
    errs.map((e) => e.field),
    ['callback_urls', 'callback_urls', 'server_ips', 'server_ips'],
  );
  t.match(errs[0]!.text, '2번째 줄');
  t.match(errs[1]!.text, '3번째 줄');
  t.match(errs[2]!.text, '2번째 줄(300.1.1.1)');
  t.match(errs[3]!.text, '3번째 줄(10.0.0.0/33)');
  const fieldMessage = /<p class="error-message" id="server_ips-error">([\s\S]*?)<\/p>/.exec(res.body)?.[1] ?? '';
  t.match(fieldMessage, /2번째 줄[\s\S]*<br>[\s\S]*3번째 줄/, 'the field shows every message too, one per line');
});

t.test('date hints and their errors agree', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'owner@dates.example', organization: '날짜핀테크' });
  const id = await startApplication(b);
  const page = await b.get(`/applications/${id}/service`);
  t.match(page.body, '내일 이후 날짜. 예: 2027-03-01', 'the hint says tomorrow or later');
  const bad = await b.post(`/applications/${id}/service`, {
    ...VALID_ANSWERS.service,
    launch_date: '내년 봄',
    action: 'continue',
  });
  t.match(summary(bad.body)[0]!.text, '2027-03-01 형식', 'the format error uses the hint’s example');
  const company = await b.post(`/applications/${id}/company`, {
    ...VALID_ANSWERS.company,
    founded_on: '작년',
    action: 'continue',
  });
  t.match(summary(company.body)[0]!.text, '2020-03-15 형식', 'the founding date keeps its own example');
  t.match((await b.get(`/applications/${id}/company`)).body, '예: 2020-03-15');
  t.match(ko('onboarding.errors.launch_date_past'), '내일 이후', 'the past-date error says the same as the hint');
});

t.test('the company name from sign-up starts the company page until the applicant saves it', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'owner@prefill.example', organization: '미리핀테크' });
  const id = await startApplication(b);
  t.match(
    (await b.get(`/applications/${id}/company`)).body,
    /id="legal_name" name="legal_name" type="text" value="미리핀테크"/,
  );
  await b.post(`/applications/${id}/company`, { legal_name: '주식회사 미리핀테크', action: 'draft' });
  t.match(
    (await b.get(`/applications/${id}/company`)).body,
    'value="주식회사 미리핀테크"',
    'what the applicant saved wins',
  );
});

t.test('a locked section and a stage that cannot start yet say why', async (t) => {
  const app = await build(t);
  const { browser: b, id } = await submittedApplication(app);
  const home = await b.get('/applications');
  t.match(home.body, ko('onboarding.locked.submitted'), 'submitted sections say why they cannot be changed');
  t.match(
    home.body,
    ko('onboarding.locked.waits_for', { stage: ko('onboarding.stages.suitability') }),
    'the next stage says what it waits for',
  );
  t.notMatch(home.body, '(를)', 'with the particle chosen from the word');
  const open = await b.get(`/applications/${id}/company`);
  t.equal(open.statusCode, 303);
  const check = await b.get(String(open.headers.location));
  t.match(check.body, ko('onboarding.locked.submitted'), 'opening a locked page explains it on the page it lands on');

  const draft = await signUp(app, { email: 'owner@draft.example', organization: '초안핀테크' });
  const draftId = await startApplication(draft);
  await fillAllSections(draft, draftId);
  t.notMatch((await draft.get('/applications')).body, ko('onboarding.locked.submitted'), 'a draft has nothing locked');
});
