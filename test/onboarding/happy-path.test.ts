// The whole application through every page, as a browser would use it (Korean), and in English.
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { build, signUp } from '../helpers/build';
import { uploadDocuments, VALID_ANSWERS } from '../helpers/onboarding';

const clock = () => new Date('2026-11-26T06:00:00.000Z');

let shared: FastifyInstance;
t.before(async () => {
  shared = await build(t, { clock });
});
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

t.test('an applicant completes and submits the application through every page (Korean)', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: 'owner@new-fin.example', organization: '뉴핀테크' });

  const first = await b.get('/');
  t.equal(first.headers.location, '/applications', 'an applicant lands on the application home');
  let page = await b.get('/applications');
  t.equal(page.statusCode, 200);
  t.match(page.body, '이용신청 시작하기');
  t.match(page.body, /stage-suitability-status">시작할 수 없음/);
  t.notMatch(main(page.body), /<a [^>]*>이용적합성 심사<\/a>/, 'later stages are not links');

  let res = await b.post('/applications', {});
  t.equal(res.statusCode, 303);
  const id = /\/applications\/([0-9a-f-]{36})\/company/.exec(String(res.headers.location))![1]!;

  const pages = [
    ['company', '회사 정보', '이용신청 · 1/5', 'service'],
    ['service', '서비스 정보', '이용신청 · 2/5', 'apis'],
    ['apis', '사용할 API', '이용신청 · 3/5', 'technical'],
    ['technical', '기술 정보', '이용신청 · 4/5', 'contacts'],
    ['contacts', '담당자', '이용신청 · 5/5', 'check'],
  ] as const;
  for (const [section, title, caption, next] of pages) {
    page = await b.get(`/applications/${id}/${section}`);
    t.equal(page.statusCode, 200, `${section} page`);
    t.match(page.body, `<h1>${title}</h1>`);
    t.match(page.body, caption);
    t.match(page.body, '저장하고 계속');
    t.match(page.body, '임시 저장');
    t.notMatch(page.body, '⟦', 'no missing translations');
    const fields: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(VALID_ANSWERS[section])) fields[k] = typeof v === 'string' ? v : [...v];
    res = await b.post(`/applications/${id}/${section}`, { ...fields, action: 'continue' });
    t.equal(res.statusCode, 303, `${section} saved`);
    t.equal(res.headers.location, `/applications/${id}/${next}`);
  }

  page = await b.get(`/applications/${id}/check`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '입력 내용 확인');
  t.match(page.body, '214-87-12348', 'numbers are shown formatted');
  t.match(page.body, '500,000,000원');
  t.match(page.body, '잔액조회 — 월 100,000건');
  t.match(page.body, 'login, inquiry, transfer, oob');
  t.match(page.body, '금융실명법');
  t.match(page.body, '전자금융거래법');
  t.notMatch(page.body, '⟦');

  // Change a value from the check page and come back to it.
  const change = /href="(\/applications\/[^"]+\/service\?return&#x3D;check#service_name)"/.exec(page.body);
  t.ok(change, 'a Change link per answer');
  page = await b.get(change![1]!.replace('&#x3D;', '='));
  t.match(page.body, '입력 내용 확인으로 돌아가기');
  res = await b.post(`/applications/${id}/service?return=check`, {
    ...VALID_ANSWERS.service,
    service_name: '뉴페이',
    action: 'continue',
  });
  t.equal(res.headers.location, `/applications/${id}/check`);
  page = await b.get(`/applications/${id}/check`);
  t.match(page.body, '뉴페이');

  // The documents the answers need are named on the check page until they are uploaded.
  t.match(page.body, '사업자등록증을 올리세요.', 'a missing document is named on the check page');
  t.match(page.body, `href="/applications/${id}/documents#document-business_registration"`);
  await uploadDocuments(b, id);
  page = await b.get(`/applications/${id}/check`);
  t.notMatch(page.body, '사업자등록증을 올리세요.');

  res = await b.post(`/applications/${id}/submit`, {
    declare_accuracy: 'yes',
    declare_inquiry_consent: 'yes',
    declare_withdrawal_consent: 'yes',
  });
  t.equal(res.statusCode, 303);
  page = await b.get(String(res.headers.location));
  t.match(page.body, '이용신청을 제출했습니다');
  t.match(page.body, 'OB-2026-000001');

  page = await b.get('/applications');
  t.match(page.body, /tag tag-yellow">제출됨/);
  t.match(page.body, /stage-application-status">완료/);
  t.match(page.body, /stage-suitability-status">심사 대기/);
  t.match(page.body, '이용신청을 제출했습니다');
  t.notMatch(page.body, '⟦');
});

t.test('the application pages speak English on request', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: 'english@new-fin.example' });
  const res = await b.post('/applications', {}, { formUrl: '/applications' });
  const id = /\/applications\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
  let page = await b.get(`/applications/${id}/company?lang=en`);
  t.match(page.body, '<html lang="en">');
  t.match(page.body, '<h1>Company details</h1>');
  t.match(page.body, 'Application · 1 of 5');
  t.match(page.body, 'Save as draft');
  t.match(page.body, 'Sole proprietor');
  const bad = await b.post(`/applications/${id}/company`, {
    ...VALID_ANSWERS.company,
    business_registration_number: '123',
    action: 'continue',
  });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'There is a problem');
  t.match(bad.body, 'Enter the 10-digit business registration number, like 123-45-67890.');
  page = await b.get('/applications');
  t.match(page.body, 'Cannot start yet');
  t.match(page.body, 'Your application');
  t.notMatch(page.body, '⟦');
});
