// The usage pages and their CSV files: members see their own organization's calls only, staff see all
// organizations or one, anonymous visitors are sent to sign in, applicants cannot open the staff page,
// bad filters are a 422 naming the field, and the CSV files carry a BOM and the page's numbers.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, Browser } from '../helpers/build';
import { DEMO_IDS } from '../../src/demo-accounts';
import { rebuildUsageRollup } from '../../src/testbed/common/request-usage-rollup';

const A = DEMO_IDS.demoFintechOrg;
const B = DEMO_IDS.samplePayOrg;

async function signedIn(app: FastifyInstance, email: string): Promise<Browser> {
  const b = new Browser(app);
  await b.login(email);
  return b;
}

/** Log rows made now: 데모핀테크 3 balance (one failed) + 1 token step, 샘플페이 2 fds_detect with A0301, 1 with no owner. */
async function seedLog(app: FastifyInstance): Promise<void> {
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const row = (
    organization_id: string | null,
    api: string | null,
    rsp_code: string | null,
    bank_rsp_code: string | null,
    duration_ms: number,
    m: number,
  ) => ({
    organization_id,
    api,
    rsp_code,
    bank_rsp_code,
    duration_ms,
    created_at: at(m),
    method: 'GET',
    path: `/v2.0/${api ?? 'x'}`,
  });
  await app
    .db('testbed_request_log')
    .insert([
      row(A, 'balance', 'A0000', '000', 10, 5),
      row(A, 'balance', 'A0000', '000', 20, 4),
      row(A, 'balance', 'A0002', '453', 30, 3),
      row(A, 'oauth_token', null, null, 40, 2),
      row(B, 'fds_detect', 'A0301', null, 70, 5),
      row(B, 'fds_detect', 'A0301', null, 80, 4),
      row(null, null, 'O0001', null, 1, 1),
    ]);
  await rebuildUsageRollup(app.db); // rows written straight into the table, counted as the log's writer would
}

/** The page as the browser reads its attributes (handlebars writes = as &#x3D;). */
function decoded(html: string): string {
  return html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

function csvLines(body: string): string[][] {
  return body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','));
}

t.test('an organization member sees the usage of their own organization only', async (t) => {
  const app = await build(t, { demo: true });
  await seedLog(app);
  const owner = await signedIn(app, 'owner@demo-fintech.example');
  const res = await owner.get('/sandbox/usage');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  const html = res.body;
  t.match(html, '<h1>사용 현황</h1>', 'the Korean heading');
  t.notMatch(html, /⟦/, 'no message key shown');
  t.match(html, /<dt>호출 수<\/dt><dd>4<\/dd>/, '4 calls (3 balance + 1 token step)');
  t.match(html, /<dt>오류 호출 수<\/dt><dd>1<\/dd>/, 'one failed');
  t.match(html, /<dt>오류율<\/dt><dd>25\.0%<\/dd>/, 'error rate 25 %');
  t.notMatch(html, /fds_detect|A0301|O0001/, "no other organization's or unowned calls");
  t.match(
    html,
    /잔액조회 <code>balance<\/code><\/th><td class="num">3<\/td><td class="num">75\.0%<\/td><td class="num">1<\/td><td class="num">20ms<\/td><td class="num">30ms<\/td><td class="num">30ms<\/td>/,
    'calls by API with its percentiles',
  );
  t.match(
    html,
    /<th scope="row">잔액조회<\/th><td class="num">3<\/td><td class="num">100\.0%<\/td><td class="num">68\.0%<\/td>/,
    'the mix: balance 100 % beside 68 % (the token step is not in the mix)',
  );
  t.match(html, /OAuth 단계/, 'the page says OAuth steps are left out of the mix');
  t.equal((html.match(/<svg [^>]*role="img"/g) ?? []).length, 3, 'three charts');
  t.match(html, /<title id="chart-daily-title">최근 30일 동안 하루 호출 수<\/title>/);
  t.match(decoded(html), /href="\/sandbox\/usage\.csv\?days=30&table=daily"/, 'a CSV link under the chart');
  t.match(html, /\d+월 \d+일/, 'Korean dates');
  t.match(
    html,
    /집계 시각: <time datetime="[^"]+">\d{4}년 \d{1,2}월 \d{1,2}일 (오전|오후) \d{1,2}:\d{2}<\/time>/,
    'a Korean time (오후 3:56, not PM 3:56)',
  );
  t.notMatch(html, /을\(를\)|이\(가\)|은\(는\)/, 'no particle placeholders');

  await t.test('a filter cannot reach another organization', async (t) => {
    const r = await owner.get(`/sandbox/usage?organization=${B}`);
    t.equal(r.statusCode, 200, 'the staff-only filter is ignored');
    t.notMatch(r.body, /fds_detect|A0301/);
    t.match(r.body, /<dt>호출 수<\/dt><dd>4<\/dd>/);
  });

  await t.test('the CSV files carry a BOM and the numbers of the page', async (t) => {
    const daily = await owner.get('/sandbox/usage.csv?table=daily&days=7');
    t.equal(daily.statusCode, 200);
    t.match(daily.headers['content-type'], /^text\/csv; charset=utf-8/);
    t.match(
      daily.headers['content-disposition'],
      /^attachment; filename="usage-organization-daily-7d-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    t.ok(daily.body.startsWith('\uFEFF'), 'UTF-8 byte-order mark');
    const lines = csvLines(daily.body);
    t.same(lines[0], ['day', 'calls', 'errors', 'error_rate_percent']);
    t.equal(lines.length, 8, 'a header and 7 days');
    t.equal(
      lines.slice(1).reduce((s, l) => s + Number(l[1]), 0),
      4,
      'the days add up to the calls',
    );
    const apis = csvLines((await owner.get('/sandbox/usage.csv?table=apis')).body);
    t.same(apis.slice(1), [
      ['balance', '3', '75.0', '1', '20', '30', '30'],
      ['oauth_token', '1', '25.0', '0', '40', '40', '40'],
    ]);
    const errors = csvLines((await owner.get('/sandbox/usage.csv?table=errors')).body);
    t.same(
      errors.slice(1).map((l) => [l[0], l[2], l[3], l[4]]),
      [
        ['A0000', '2', '50.0', '0'],
        ['A0002', '1', '25.0', '1'],
        ['', '1', '25.0', '0'],
      ],
    );
    const latency = csvLines((await owner.get('/sandbox/usage.csv?table=latency')).body);
    t.same(latency, [
      ['measured', 'p50_ms', 'p95_ms', 'p99_ms'],
      ['4', '20', '40', '40'],
    ]);
    const mix = csvLines((await owner.get('/sandbox/usage.csv?table=mix')).body);
    t.same(mix.slice(1), [
      ['balance', '3', '100.0', '68.0'],
      ['withdrawal', '0', '0.0', '21.0'],
      ['transaction_list', '0', '0.0', '6.0'],
      ['other', '0', '0.0', '5.0'],
    ]);
    const pipeline = await owner.get('/sandbox/usage.csv?table=pipeline');
    t.equal(pipeline.statusCode, 422, "the staff pipeline is not an organization's table");
  });

  await t.test('English on request', async (t) => {
    const r = await owner.get('/sandbox/usage?lang=en');
    t.match(r.body, '<h1>Usage</h1>');
    t.match(r.body, /<dt>Calls<\/dt><dd>4<\/dd>/);
    t.notMatch(r.body, /⟦/);
  });
});

t.test('bad filters are a 422 naming the field, never a 500', async (t) => {
  const app = await build(t, { demo: true });
  const owner = await signedIn(app, 'owner@demo-fintech.example');
  for (const days of ['abc', '8', '-7', '30.5', '100000']) {
    const r = await owner.get(`/sandbox/usage?days=${encodeURIComponent(days)}`);
    t.equal(r.statusCode, 422, `days=${days}`);
    t.match(r.body, /class="error-summary"/);
    t.match(
      r.body,
      /<a href="#days">기간은 최근 7일, 30일, 90일 가운데 하나를 고르세요\.<\/a>/,
      'the summary names the field and links to it',
    );
    t.match(r.body, /<select id="days" name="days" aria-invalid="true"/);
  }
  const csv = await owner.get('/sandbox/usage.csv?table=daily&days=x');
  t.equal(csv.statusCode, 422, 'the CSV route too');
  t.match(csv.body, /href="#days"/);
  const table = await owner.get('/sandbox/usage.csv?table=%3Dcmd');
  t.equal(table.statusCode, 422);
  t.match(table.body, /href="#table"/);
  const twice = await owner.get('/sandbox/usage?days=7&days=30');
  t.equal(twice.statusCode, 200, 'a repeated parameter takes the first value');

  const reviewer = await signedIn(app, 'reviewer@portal.example');
  for (const q of ['organization=not-an-id', 'organization=00000000-0000-4000-8000-000000000000', 'days=0']) {
    const r = await reviewer.get(`/staff/usage?${q}`);
    t.equal(r.statusCode, 422, q);
    t.match(
      r.body,
      q.startsWith('days') ? /href="#days"/ : /<a href="#organization">목록에 있는 기관을 고르세요\.<\/a>/,
    );
  }
  t.equal((await reviewer.get('/staff/usage.csv?table=nope')).statusCode, 422);
});

t.test('who may see which usage page', async (t) => {
  const app = await build(t, { demo: true });
  const anonymous = new Browser(app);
  for (const url of [
    '/sandbox/usage',
    '/staff/usage',
    '/sandbox/usage.csv?table=daily',
    '/staff/usage.csv?table=daily',
  ]) {
    const r = await anonymous.get(url);
    t.equal(r.statusCode, 303, `${url}: anonymous`);
    t.equal(r.headers.location, `/login?next=${encodeURIComponent(url)}`, 'sent to sign in and back');
  }
  const owner = await signedIn(app, 'owner@demo-fintech.example');
  t.equal((await owner.get('/staff/usage')).statusCode, 403, 'an applicant cannot open the staff page');
  t.equal((await owner.get(`/staff/usage?organization=${A}`)).statusCode, 403);
  t.equal((await owner.get('/staff/usage.csv?table=daily')).statusCode, 403);
  const reviewer = await signedIn(app, 'reviewer@portal.example');
  t.equal((await reviewer.get('/sandbox/usage')).statusCode, 403, 'staff have no organization page');
  for (const email of ['inspector@portal.example', 'contract@portal.example', 'admin@portal.example']) {
    t.equal((await (await signedIn(app, email)).get('/staff/usage')).statusCode, 200, `${email} sees the staff page`);
  }
  t.match(
    (await owner.get('/sandbox')).body,
    /<a href="\/sandbox\/usage">/,
    'the sandbox page links to the usage page',
  );
  t.match(
    (await reviewer.get('/staff')).body,
    /<a href="\/staff\/usage">/,
    'the staff queue links to the staff usage page',
  );
  const empty = await owner.get('/sandbox/usage');
  t.equal(empty.statusCode, 200);
  t.match(empty.body, '이 기간에 기록된 호출이 없습니다.', 'an empty log says so');
});

t.test('staff see all organizations and one, and the pipeline', async (t) => {
  const app = await build(t, { demo: true });
  await seedLog(app);
  const reviewer = await signedIn(app, 'reviewer@portal.example');
  const all = await reviewer.get('/staff/usage');
  t.equal(all.statusCode, 200);
  t.match(all.body, '<h1>전체 기관의 사용 현황</h1>');
  t.match(all.body, /<dt>호출 수<\/dt><dd>7<\/dd>/, 'every call, unowned ones included');
  t.match(all.body, /fds_detect/);
  t.match(all.body, /<code>O0001<\/code>/);
  t.match(
    all.body,
    /<option value="6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10">데모핀테크<\/option>/,
    'organizations to choose from',
  );

  const one = await reviewer.get(`/staff/usage?organization=${B}&days=7`);
  t.equal(one.statusCode, 200);
  t.match(one.body, '<h1>샘플페이의 사용 현황</h1>');
  t.match(one.body, /<dt>호출 수<\/dt><dd>2<\/dd>/);
  t.match(one.body, /<dt>오류율<\/dt><dd>100\.0%<\/dd>/);
  t.notMatch(one.body, /잔액조회 <code>balance/, "not another organization's calls");
  t.match(
    decoded(one.body),
    new RegExp(`href="/staff/usage\\.csv\\?days=7&organization=${B}&table=apis"`),
    'CSV links keep the filter',
  );

  const csv = await reviewer.get(`/staff/usage.csv?organization=${B}&days=7&table=apis`);
  t.ok(csv.body.startsWith('\uFEFF'));
  t.same(csvLines(csv.body).slice(1), [['fds_detect', '2', '100.0', '2', '70', '80', '80']]);
  const allCsv = csvLines((await reviewer.get('/staff/usage.csv?table=daily')).body);
  t.equal(
    allCsv.slice(1).reduce((s, l) => s + Number(l[1]), 0),
    7,
  );

  // The pipeline: 샘플페이 claimed by the reviewer through the real claim button.
  const app2 = await app.db('applications').where({ organization_id: B }).first('id');
  const claim = await reviewer.post(`/staff/applications/${app2.id}/claim`, {}, { formUrl: '/staff' });
  t.equal(claim.statusCode, 303, 'claimed');
  const page = (await reviewer.get('/staff/usage')).body;
  t.match(page, /<h2 id="pipeline">심사 진행 현황<\/h2>/);
  t.match(
    page,
    /<th scope="row">적합성 심사<\/th><td>심사 중<\/td><td class="num">1<\/td>/,
    'applications per stage and status',
  );
  t.match(page, /<th scope="row">개발 및 테스트<\/th><td>진행 중<\/td><td class="num">1<\/td>/);
  t.match(
    page,
    /<th scope="row">적합성 심사<\/th><td class="num">5\.1일<\/td><td class="num">1<\/td><td class="num">1<\/td>/,
    'median days in suitability',
  );
  t.match(
    page,
    /김심사 <span class="muted">reviewer@portal\.example<\/span><\/th><td>적합성 심사자<\/td><td class="num">1<\/td>/,
    'open items per reviewer',
  );
  const reviewers = csvLines((await reviewer.get('/staff/usage.csv?table=reviewers')).body);
  t.same(
    reviewers.find((l) => l[1] === 'reviewer@portal.example'),
    ['김심사', 'reviewer@portal.example', 'reviewer', '1'],
  );
  const stages = csvLines((await reviewer.get('/staff/usage.csv?table=pipeline')).body);
  t.same(stages.slice(1), [
    ['suitability', 'in_review', '1'],
    ['testing', 'in_progress', '1'],
  ]);
  const stageDays = csvLines((await reviewer.get('/staff/usage.csv?table=stage_days')).body);
  t.same(
    stageDays.find((l) => l[0] === 'suitability'),
    ['suitability', '1', '5.1', '1'],
  );
});
