// The section pages: validation re-renders, drafts, normalization, allow-lists, duplicates, return to check.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, signUp } from '../helpers/build';
import { VALID_ANSWERS, startApplication } from '../helpers/onboarding';

const clock = () => new Date('2026-11-26T06:00:00.000Z');

// One app for the file (building one per test is slow on PostgreSQL); each test signs up its own organization.
let shared: FastifyInstance;
t.before(async () => {
  shared = await build(t, { clock });
});
let organizations = 0;

async function draftApp() {
  const app = shared;
  organizations += 1;
  const b = await signUp(app, { email: `owner${organizations}@fin.example`, organization: `핀테크${organizations}` });
  const id = await startApplication(b);
  const answers = async (section: string) => {
    const row = await app.db('application_answers').where({ application_id: id, section }).first();
    return row ? JSON.parse(row.data) : undefined;
  };
  return { app, b, id, answers };
}

t.test('a failing section page is re-rendered with 422, an error summary and the values kept', async (t) => {
  const { b, id, answers } = await draftApp();
  const res = await b.post(`/applications/${id}/company`, {
    ...VALID_ANSWERS.company,
    business_registration_number: '214-87-12349',
    representative: '',
    action: 'continue',
  });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'class="error-summary"');
  t.match(res.body, 'href="#business_registration_number"');
  t.match(res.body, 'href="#representative"');
  t.match(res.body, '올바른 사업자등록번호가 아닙니다');
  t.match(res.body, '대표자 성명을 입력하세요');
  t.match(res.body, 'value="214-87-12349"', 'the wrong value is kept for correction');
  t.match(res.body, 'value="주식회사 테스트핀테크"');
  t.match(res.body, /id="business_type" name="business_type" value="corporation" checked/, 'the radio choice is kept');
  t.equal(await answers('company'), undefined, 'nothing was saved');
});

t.test('a business registration number with a wrong check digit is refused', async (t) => {
  const { b, id } = await draftApp();
  const res = await b.post(`/applications/${id}/company`, {
    ...VALID_ANSWERS.company,
    business_registration_number: '2148712340',
    action: 'continue',
  });
  t.equal(res.statusCode, 422);
  t.match(res.body, '올바른 사업자등록번호가 아닙니다');
});

t.test('hyphens and spaces are accepted in the business registration number and it is stored normalized', async (t) => {
  const { b, id, answers } = await draftApp();
  const res = await b.post(`/applications/${id}/company`, {
    ...VALID_ANSWERS.company,
    business_registration_number: ' 214 - 87 - 12348 ',
    paid_in_capital: '500,000,000원',
    action: 'continue',
  });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/applications/${id}/service`, 'continue goes to the next page');
  const saved = await answers('company');
  t.equal(saved.business_registration_number, '2148712348');
  t.equal(saved.corporate_registration_number, '1101111234569');
  t.equal(saved.paid_in_capital, '500000000');
});

t.test('save as draft keeps incomplete answers without full validation', async (t) => {
  const { b, id, answers } = await draftApp();
  const res = await b.post(`/applications/${id}/company`, {
    legal_name: '반쯤 쓴 회사',
    business_registration_number: '214-87',
    action: 'draft',
  });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/applications');
  t.same(await answers('company'), { legal_name: '반쯤 쓴 회사', business_registration_number: '214-87' });
  const home = await b.get('/applications');
  t.match(home.body, '‘회사 정보’를 임시 저장했습니다');
  t.match(home.body, /task-company-status">진행 중/, 'the task list shows the section in progress');
  t.match(home.body, '5개 항목 중 0개를 완료했습니다');
  const page = await b.get(`/applications/${id}/company`);
  t.match(page.body, 'value="214-87"', 'the draft comes back into the form');
});

t.test('a field sent twice is refused with a field error, not a 500', async (t) => {
  const { b, id, answers } = await draftApp();
  const res = await b.post(`/applications/${id}/company`, {
    ...VALID_ANSWERS.company,
    legal_name: ['하나', '둘'],
    action: 'draft',
  });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#legal_name"');
  t.match(res.body, '값을 하나만 입력하세요');
  t.equal(await answers('company'), undefined);
});

t.test('only allow-listed fields of a page are stored', async (t) => {
  const { b, id, answers } = await draftApp();
  await b.post(`/applications/${id}/service`, {
    ...VALID_ANSWERS.service,
    status: 'approved',
    stage: 'live',
    reference: 'OB-1',
    contacts: 'x',
    action: 'continue',
  });
  const saved = await answers('service');
  t.same(Object.keys(saved).sort(), ['description', 'launch_date', 'service_kind', 'service_name']);
  const row = await b.app.db('applications').where({ id }).first();
  t.equal(row.status, 'draft');
});

t.test('"other" as the kind of service needs a description of the kind', async (t) => {
  const { b, id } = await draftApp();
  const res = await b.post(`/applications/${id}/service`, {
    ...VALID_ANSWERS.service,
    service_kind: 'other',
    service_kind_other: '',
    action: 'continue',
  });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#service_kind_other"');
  const ok = await b.post(`/applications/${id}/service`, {
    ...VALID_ANSWERS.service,
    service_kind: 'other',
    service_kind_other: '급여 선지급',
    action: 'continue',
  });
  t.equal(ok.statusCode, 303);
});

t.test('each requested API needs its expected monthly calls, and the page shows the implied scopes', async (t) => {
  const { b, id, answers } = await draftApp();
  const res = await b.post(`/applications/${id}/apis`, {
    apis: ['balance', 'withdraw'],
    calls_balance: '1,000',
    action: 'continue',
  });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#calls_withdraw"');
  t.match(res.body, '출금이체의 월 예상 호출 건수를 입력하세요', 'the message names the API');
  t.match(res.body, '필요한 권한: login, inquiry, transfer');
  const none = await b.post(`/applications/${id}/apis`, { action: 'continue' });
  t.equal(none.statusCode, 422);
  t.match(none.body, '하나 이상 고르세요');
  await b.post(`/applications/${id}/apis`, {
    apis: ['balance'],
    calls_balance: '1,000',
    calls_withdraw: '5',
    action: 'continue',
  });
  t.same(
    await answers('apis'),
    { apis: ['balance'], calls_balance: '1000' },
    'calls for APIs not requested are not kept',
  );
  const page = await b.get(`/applications/${id}/apis`);
  t.match(page.body, /id="apis" name="apis" value="balance" checked/);
  t.match(page.body, '/v2.0/account/balance/fin_num');
});

t.test('callback URLs must be https (http only on localhost), at most five, without fragments', async (t) => {
  const { b, id, answers } = await draftApp();
  const http = await b.post(`/applications/${id}/technical`, {
    callback_urls: 'https://a.example/cb\nhttp://pay.example/cb',
    server_ips: '203.0.113.1',
    action: 'continue',
  });
  t.equal(http.statusCode, 422);
  t.match(http.body, '2번째 줄: 콜백 URL은 https여야 합니다');
  const fragment = await b.post(`/applications/${id}/technical`, {
    callback_urls: 'https://a.example/cb#frag',
    server_ips: '203.0.113.1',
    action: 'continue',
  });
  t.match(fragment.body, '# 뒤 부분을 지우세요');
  const six = [1, 2, 3, 4, 5, 6].map((n) => `https://a.example/cb${n}`).join('\n');
  const many = await b.post(`/applications/${id}/technical`, {
    callback_urls: six,
    server_ips: '203.0.113.1',
    action: 'continue',
  });
  t.match(many.body, '5개까지');
  const badIp = await b.post(`/applications/${id}/technical`, {
    callback_urls: 'https://a.example/cb',
    server_ips: '203.0.113.1\n300.1.1.1',
    action: 'continue',
  });
  t.equal(badIp.statusCode, 422);
  t.match(badIp.body, '2번째 줄(300.1.1.1)');
  const ok = await b.post(`/applications/${id}/technical`, {
    callback_urls: ' https://a.example/cb \r\n\r\nhttp://127.0.0.1:8080/cb',
    server_ips: '203.0.113.0 / 24',
    security_staff_count: '0',
    ciso_name: '정보안',
    action: 'continue',
  });
  t.equal(ok.statusCode, 303);
  t.same(await answers('technical'), {
    callback_urls: 'https://a.example/cb\nhttp://127.0.0.1:8080/cb',
    server_ips: '203.0.113.0/24',
    security_staff_count: '0',
    ciso_name: '정보안',
  });
});

t.test('contact phone numbers in Korean formats are accepted and normalized', async (t) => {
  const { b, id, answers } = await draftApp();
  const bad = await b.post(`/applications/${id}/contacts`, {
    ...VALID_ANSWERS.contacts,
    technical_phone: '12345',
    privacy_email: 'nope',
    action: 'continue',
  });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'href="#technical_phone"');
  t.match(bad.body, 'href="#privacy_email"');
  const ok = await b.post(`/applications/${id}/contacts`, {
    ...VALID_ANSWERS.contacts,
    business_phone: '0212345678',
    technical_phone: '+82 10 1234 5678',
    action: 'continue',
  });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, `/applications/${id}/check`, 'the last page leads to check your answers');
  const saved = await answers('contacts');
  t.equal(saved.business_phone, '02-1234-5678');
  t.equal(saved.technical_phone, '010-1234-5678');
});

t.test('a page opened from "check your answers" returns there after saving', async (t) => {
  const { b, id } = await draftApp();
  const page = await b.get(`/applications/${id}/company?return=check`);
  t.match(
    page.body,
    `action="/applications/${id}/company?return&#x3D;check"`,
    'the form posts back with ?return=check',
  );
  const res = await b.post(`/applications/${id}/company?return=check`, {
    ...VALID_ANSWERS.company,
    action: 'continue',
  });
  t.equal(res.headers.location, `/applications/${id}/check`);
});

t.test('two sections saved at once both survive', async (t) => {
  const { b, id, answers } = await draftApp();
  const csrf = await b.csrfToken(`/applications/${id}/company`);
  const send = (section: 'company' | 'contacts') =>
    b.app.inject({
      method: 'POST',
      url: `/applications/${id}/${section}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: new URLSearchParams({ ...VALID_ANSWERS[section], _csrf: csrf, action: 'continue' }).toString(),
    });
  const [a, c] = await Promise.all([send('company'), send('contacts')]);
  t.equal(a.statusCode, 303);
  t.equal(c.statusCode, 303);
  t.equal((await answers('company')).legal_name, '주식회사 테스트핀테크');
  t.equal((await answers('contacts')).privacy_name, '최보호');
  // And the same section saved twice at once: the last write wins whole, never a mix.
  const [x, y] = await Promise.all([send('company'), send('company')]);
  t.same([x.statusCode, y.statusCode], [303, 303]);
  t.equal((await answers('contacts')).privacy_name, '최보호', 'the other section is untouched');
});

t.test('one active application per organization: starting twice opens the same draft', async (t) => {
  const { app, b, id } = await draftApp();
  const again = await b.post('/applications', {}, { formUrl: '/applications' });
  t.equal(again.statusCode, 303);
  t.equal(again.headers.location, '/applications');
  const orgId = (await app.db('applications').where({ id }).first()).organization_id;
  const rows = await app.db('applications').where({ organization_id: orgId });
  t.equal(rows.length, 1);
  t.equal(rows[0].id, id);
});
