// The request log as developers and staff see it: every emulator call recorded for the organization whose
// credentials it carried, secrets never stored in full, pages and API filtered and cursor-paginated,
// another organization's requests a 404, bad filters a 422 naming the field.
import t from 'tap';
import { apiAs } from '../api/fixtures/api-client';
import type { FastifyInstance } from 'fastify';
import {
  DEMO_SANDBOX,
  HONG,
  bankTranId,
  depositAcntBody,
  sandbox,
  withdrawBody,
  balanceQuery,
} from '../helpers/testbed-services';
import { TEST_PERSON_PASSWORD } from '../helpers/testbed';
import { Browser } from '../helpers/build';
import { isPostgres } from '../../src/db/knex';
import { authorizeThroughPages } from '../helpers/authorize-pages';
import { applicationInTesting, staffUser } from '../helpers/workflow';

async function ownerBrowser(app: FastifyInstance): Promise<Browser> {
  const b = new Browser(app);
  const res = await b.post(
    '/login',
    { email: 'owner@demo-fintech.example', password: 'demo-password-1' },
    { formUrl: '/login' },
  );
  if (res.statusCode !== 303) throw new Error(`login ${res.statusCode}`);
  return b;
}

/** A personal API token, through POST /api/v1/tokens (the API fixtures' sign-in). */
async function apiToken(app: FastifyInstance, email: string, password: string): Promise<string> {
  return (await apiAs(app, email, password)).token!;
}

t.test('no secret or token is stored in full anywhere in the log after a full flow', async (t) => {
  const sb = await sandbox(t);
  const { app } = sb;
  const secrets = new Set<string>([DEMO_SANDBOX.clientSecret, TEST_PERSON_PASSWORD, sb.oob, sb.hong, sb.heo]);
  const { code } = await authorizeThroughPages(app, {
    clientId: DEMO_SANDBOX.clientId,
    redirectUri: DEMO_SANDBOX.callbackUrl,
    loginId: 'hong',
    password: TEST_PERSON_PASSWORD,
  });
  secrets.add(code);
  const form = (f: Record<string, string>) => ({
    method: 'POST' as const,
    url: '/oauth/2.0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(f).toString(),
  });
  const exchanged = (
    await app.inject(
      form({
        grant_type: 'authorization_code',
        code,
        client_id: DEMO_SANDBOX.clientId,
        client_secret: DEMO_SANDBOX.clientSecret,
        redirect_uri: DEMO_SANDBOX.callbackUrl,
      }),
    )
  ).json();
  secrets.add(exchanged.access_token).add(exchanged.refresh_token);
  const refreshed = (
    await app.inject(
      form({
        grant_type: 'refresh_token',
        refresh_token: exchanged.refresh_token,
        client_id: DEMO_SANDBOX.clientId,
        client_secret: DEMO_SANDBOX.clientSecret,
      }),
    )
  ).json();
  secrets.add(refreshed.access_token).add(refreshed.refresh_token);
  // A secret sent as JSON, in the query string and in odd places must be masked too.
  await app.inject({
    method: 'POST',
    url: `/oauth/2.0/token?client_secret=${DEMO_SANDBOX.clientSecret}`,
    payload: {
      grant_type: 'client_credentials',
      client_id: DEMO_SANDBOX.clientId,
      client_secret: DEMO_SANDBOX.clientSecret,
      scope: 'oob',
    },
  });
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  t.equal((await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin))).rsp_code, 'A0000');
  t.equal(
    (await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depositAcntBody({}, { wd_pass_phrase: 'NONE' })))
      .rsp_code,
    'A0000',
  );
  for (const s of secrets) t.ok(typeof s === 'string' && s.length >= 8, 'a secret to look for');
  // Written but not yet indexed: the rows documents waiting in testbed_request_log_pending.
  await app.services.testbedRequestLog.write();
  const pendingDocuments: Record<string, unknown>[] = await app.db('testbed_request_log_pending').select('*');
  if (!isPostgres(app.db)) t.ok(pendingDocuments.length >= 1, 'on SQLite the rows first wait as documents');
  await app.services.testbedRequestLog.flush();
  const rows: Record<string, unknown>[] = await app.db('testbed_request_log').select('*');
  t.ok(rows.length >= 15, `the flow was recorded (${rows.length} rows)`);
  // Every column of both tables: the rows and their batches' bodies documents.
  const documents: Record<string, unknown>[] = await app.db('testbed_request_log_bodies').select('*');
  const text = [...rows, ...documents, ...pendingDocuments]
    .map((r) =>
      Object.values(r)
        .map((v) => String(v ?? ''))
        .join('\u0001'),
    )
    .join('\n');
  const bodies = await app.services.testbedRequests.documentsOf(rows);
  const bodyOf = (r: Record<string, unknown>) => bodies[rows.indexOf(r)]!;
  for (const s of secrets) t.notOk(text.includes(s), `not stored in full: ${s.slice(0, 6)}…`);
  t.ok(text.includes(`${DEMO_SANDBOX.clientSecret.slice(0, 6)}…`), 'the secret is kept as its first 6 characters');
  t.match(text, /Bearer [A-Za-z0-9_-]{6}…/, 'the Authorization header keeps the scheme and 6 characters');
  const consent = rows.find(
    (r) => r.api === 'authorize' && String(r.path).endsWith('/consent') && r.method === 'POST',
  )!;
  t.ok(consent, "the authorize pages' consent step is recorded");
  t.equal(consent.user_seq_no, HONG.userSeqNo, 'with the test user');
  t.match(
    JSON.stringify(bodyOf(consent).responseBody),
    /code=[A-Za-z0-9]{6}(…|%E2%80%A6)/,
    'its redirect keeps the code masked',
  );
  const token = rows.find((r) => r.api === 'oauth_token' && r.grant_type === 'authorization_code')!;
  t.equal(token.user_seq_no, HONG.userSeqNo, 'a token answer names its user');
  const w = rows.find((r) => r.api === 'withdraw')!;
  t.equal(w.user_seq_no, HONG.userSeqNo);
  t.match(String(w.bank_tran_id), /^M202600001U/);
  t.equal((bodyOf(w).responseBody as { rsp_code: string }).rsp_code, 'A0000', 'the answer is stored as JSON');
  t.equal((bodyOf(w).requestBody as { tran_amt: string }).tran_amt, '10000', 'and the request');
});

t.test('the requests API filters, pages by cursor and refuses bad filters naming the field', async (t) => {
  const sb = await sandbox(t);
  const { app } = sb;
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  const w = withdrawBody(fin);
  await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, w);
  await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, w); // A0326
  for (let i = 0; i < 5; i++) await sb.get('/v2.0/account/balance/fin_num', sb.hong, balanceQuery(fin));
  const token = await apiToken(app, 'owner@demo-fintech.example', 'demo-password-1');
  const get = (url: string, tok = token) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tok}` } });

  let res = await get('/api/v1/sandbox/requests');
  t.equal(res.statusCode, 200);
  const all = res.json().requests as Record<string, unknown>[];
  t.same(Object.keys(all[0]!).sort(), [
    'api',
    'at',
    'bank_rsp_code',
    'bank_tran_id',
    'duration_ms',
    'grant_type',
    'id',
    'method',
    'path',
    'rsp_code',
    'user_seq_no',
  ]);
  t.ok(
    all.every((r, i) => i === 0 || (r.id as number) < (all[i - 1]!.id as number)),
    'newest first',
  );

  res = await get('/api/v1/sandbox/requests?api=withdraw');
  t.same(
    res.json().requests.map((r: { rsp_code: string }) => r.rsp_code),
    ['A0326', 'A0000'],
  );
  res = await get('/api/v1/sandbox/requests?rsp_code=A0326');
  t.equal(res.json().requests.length, 1);
  t.equal(res.json().requests[0].bank_tran_id, w.bank_tran_id);
  res = await get('/api/v1/sandbox/requests?rsp_code=error');
  t.ok(
    res.json().requests.every((r: { rsp_code: string }) => r.rsp_code !== 'A0000'),
    'errors only',
  );
  res = await get(`/api/v1/sandbox/requests?user_seq_no=${HONG.userSeqNo}&api=balance&limit=2`);
  t.equal(res.json().requests.length, 2);
  const next = res.json().next as number;
  t.type(next, 'number', 'a cursor for the next page');
  const page2 = (
    await get(`/api/v1/sandbox/requests?user_seq_no=${HONG.userSeqNo}&api=balance&limit=2&before=${next}`)
  ).json();
  t.equal(page2.requests.length, 2);
  t.ok(page2.requests[0].id < next, 'the next page continues below the cursor');
  const page3 = (
    await get(`/api/v1/sandbox/requests?user_seq_no=${HONG.userSeqNo}&api=balance&limit=2&before=${page2.next}`)
  ).json();
  t.equal(page3.requests.length, 1);
  t.equal(page3.next, null, 'the last page has no cursor');

  for (const [q, field] of [
    ['api=DROP%20TABLE', 'api'],
    ['rsp_code=%27%20OR%201=1', 'rsp_code'],
    ['user_seq_no=12', 'user_seq_no'],
    ['from=2026-02-30', 'from'],
    ['from=2026-12-03&to=2026-12-01', 'to'],
    ['before=-1', 'before'],
    ['before=abc', 'before'],
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['unknown=1', 'unknown'],
  ] as const) {
    res = await get(`/api/v1/sandbox/requests?${q}`);
    t.equal(res.statusCode, 422, q);
    t.ok(
      res.json().error.errors.some((e: { field: string }) => e.field.includes(field)),
      `names ${field}`,
    );
  }

  const one = all.find((r) => r.api === 'withdraw')!;
  res = await get(`/api/v1/sandbox/requests/${one.id}`);
  t.equal(res.statusCode, 200);
  const detail = res.json().request;
  t.equal(detail.request_body.bank_tran_id, w.bank_tran_id, 'the request body');
  t.equal(detail.response_body.rsp_code, detail.rsp_code, 'the response body');
  t.match(detail.request_headers.authorization, /^Bearer .{6}…$/);
  t.equal((await get('/api/v1/sandbox/requests/999999999')).statusCode, 404);
  t.equal((await get('/api/v1/sandbox/requests/abc')).statusCode, 404);

  // Another organization: a 404 for our request, an empty log of its own; staff have no sandbox (403).
  const reviewer = await staffUser(app, 'reviewer');
  const other = await applicationInTesting(app, reviewer.browser, 'owner@other-fintech.example');
  const otherToken = await apiToken(app, 'owner@other-fintech.example', 'correct-horse-1');
  t.equal(
    (await get(`/api/v1/sandbox/requests/${one.id}`, otherToken)).statusCode,
    404,
    "another organization's request is a 404",
  );
  t.same((await get('/api/v1/sandbox/requests', otherToken)).json().requests, [], 'its own log is empty');
  t.same(
    (await get(`/api/v1/sandbox/requests?before=${(one.id as number) + 1}`, otherToken)).json().requests,
    [],
    'a cursor from another organization finds nothing',
  );
  t.equal(
    (await get(`/api/v1/applications/${other.id}/conformance`)).statusCode,
    404,
    "another organization's conformance is a 404",
  );
  const staffToken = await apiToken(app, reviewer.user.email, 'staff-password-1');
  t.equal((await get('/api/v1/sandbox/requests', staffToken)).statusCode, 403);
  t.equal(
    (await get(`/api/v1/applications/${other.id}/conformance`, staffToken)).statusCode,
    200,
    'staff read any conformance',
  );
});

t.test(
  'the requests pages show the log, one request side by side, and refuse bad filters with an error summary',
  async (t) => {
    const sb = await sandbox(t);
    const { app } = sb;
    const fin = await sb.fin(HONG.accounts[0]!.accountNum);
    const refused = await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin, { tran_amt: '4530' }));
    t.equal(refused.bank_rsp_code, '453');
    const owner = await ownerBrowser(app);
    let page = await owner.get('/sandbox/requests');
    t.equal(page.statusCode, 200);
    t.match(page.body, '요청 기록');
    t.match(page.body, '/v2.0/transfer/withdraw/fin_num');
    page = await owner.get('/sandbox/requests?result=A0002&api=withdraw');
    const link = /href="(\/sandbox\/requests\/\d+)"/.exec(page.body)?.[1];
    t.ok(link, 'the filtered row links to its request');
    page = await owner.get(link!);
    t.equal(page.statusCode, 200);
    t.match(page.body, '참가기관 에러', 'the rsp_code is explained from the catalogue');
    t.match(page.body, '예금잔액 부족', 'and the bank code');
    t.match(page.body, 'href="/docs#api-withdraw"', "with a link to the API's docs");
    t.match(page.body, '&quot;tran_amt&quot;: &quot;4530&quot;', 'the request body');
    t.match(page.body, '&quot;bank_rsp_code&quot;: &quot;453&quot;', 'the response body');

    page = await owner.get('/sandbox/requests?user_seq_no=12&from=yesterday');
    t.equal(page.statusCode, 422);
    t.match(page.body, 'href="#user_seq_no"');
    t.match(page.body, 'href="#from"');
    t.match(page.body, 'value="yesterday"', 'the values are kept');
    t.equal((await owner.get('/sandbox/requests/999999999')).statusCode, 404);

    // Staff open the organization's log from its application; another organization's member gets a 404.
    const reviewer = await staffUser(app, 'reviewer');
    const demoId = (await app.db('applications').where({ organization_id: DEMO_SANDBOX.organizationId }).first('id'))
      .id as string;
    t.match(
      (await reviewer.browser.get(`/staff/applications/${demoId}`)).body,
      `/staff/applications/${demoId}/requests`,
      'the application page links to the log',
    );
    page = await reviewer.browser.get(`/staff/applications/${demoId}/requests?api=withdraw`);
    t.equal(page.statusCode, 200);
    const staffLink = new RegExp(`href="(/staff/applications/${demoId}/requests/\\d+)"`).exec(page.body)?.[1];
    t.ok(staffLink);
    t.equal((await reviewer.browser.get(staffLink!)).statusCode, 200);
    t.equal((await reviewer.browser.get('/sandbox/requests')).statusCode, 403, 'staff have no sandbox of their own');
    const other = await applicationInTesting(app, reviewer.browser, 'owner@third-fintech.example');
    t.equal((await other.browser.get(link!)).statusCode, 404);
    t.equal((await other.browser.get(`/staff/applications/${demoId}/requests`)).statusCode, 403);
    t.equal(
      (await new Browser(app).get('/sandbox/requests')).statusCode,
      303,
      'anonymous visitors are sent to sign in',
    );
  },
);

t.test('rows older than the retention are pruned in bounded batches', async (t) => {
  const sb = await sandbox(t);
  const { app } = sb;
  await app.services.testbedRequestLog.flush();
  const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
  const recent = new Date(Date.now() - 29 * 86_400_000).toISOString();
  const row = (at: string) => ({
    organization_id: DEMO_SANDBOX.organizationId,
    method: 'GET',
    path: '/v2.0/account/balance/fin_num',
    api: 'balance',
    rsp_code: 'A0000',
    created_at: at,
  });
  const before = Number((await app.db('testbed_request_log').count({ n: '*' }))[0]!.n);
  await app.db.batchInsert(
    'testbed_request_log',
    Array.from({ length: 5000 }, () => row(old)),
    100,
  );
  await app.db('testbed_request_log').insert(Array.from({ length: 10 }, () => row(recent)));
  const documents = (at: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `${at.slice(0, 10)}-${i}`, last_at: at, documents: '[]' }));
  await app.db.batchInsert('testbed_request_log_bodies', [...documents(old, 300), ...documents(recent, 3)], 100);
  const documentsBefore = Number((await app.db('testbed_request_log_bodies').count({ n: '*' }))[0]!.n);
  const deleted = await app.services.testbedRequestLog.prune();
  t.equal(deleted, 5000, 'every row past 30 days is deleted');
  t.equal(Number((await app.db('testbed_request_log').count({ n: '*' }))[0]!.n), before + 10, 'newer rows stay');
  t.equal(
    Number((await app.db('testbed_request_log_bodies').count({ n: '*' }))[0]!.n),
    documentsBefore - 300,
    'and so do the bodies documents: only those whose newest row is past 30 days go',
  );
  void bankTranId;
});

t.test(
  'a body is stored as sent unless it names a secret field, which is then masked wherever it appears',
  async (t) => {
    const { storedBody } = await import('../../src/testbed/common/request-log');
    const plain = {
      bank_tran_id: 'M202600001U000000001',
      fintech_use_num: '120260000105609508965042',
      bank_code_std: '097',
      res_list: [{ code_name: 'x' }],
    };
    t.equal(storedBody(plain), JSON.stringify(plain), 'no secret field: stored exactly as serialised');
    const nested = {
      req_list: [{ Client_Secret: 'abcdefghijkl', note: 'ok' }],
      deep: { a: { b: { Code: 'zyxwvuts1234' } } },
      location: 'https://x.example/cb?code=SECRETCODE12&state=1',
    };
    const stored = storedBody(nested)!;
    t.notMatch(stored, 'abcdefghijkl');
    t.notMatch(stored, 'zyxwvuts1234');
    t.notMatch(stored, 'SECRETCODE12');
    t.match(stored, 'abcdef…');
    t.equal(storedBody(undefined), null);
    t.equal(
      storedBody({ n: 10n as unknown as number }),
      JSON.stringify({ _unreadable: true }),
      'an unserialisable body is noted, never a crash',
    );
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    t.type(storedBody(deep), 'string', 'a deeply nested body never crashes the writer');
  },
);

t.test(
  'a huge or deeply nested request body is logged by its size or cut, never dropped and never a crash',
  async (t) => {
    const sb = await sandbox(t);
    const { app } = sb;
    const huge = { bank_tran_id: bankTranId(), filler: 'x'.repeat(40_000) };
    await sb.raw({ method: 'POST', url: '/v2.0/inquiry/real_name', token: sb.oob, payload: huge });
    let deep = '"x"';
    for (let i = 0; i < 2_000; i++) deep = `{"a":${deep}}`;
    const res = await app.inject({
      method: 'POST',
      url: '/v2.0/inquiry/receive',
      headers: { authorization: `Bearer ${sb.oob}`, 'content-type': 'application/json' },
      payload: deep,
    });
    t.ok(res.statusCode < 500, `the emulator answers (${res.statusCode})`);
    const rows = (await app.services.testbedRequests.page(DEMO_SANDBOX.organizationId, { limit: 5 })).requests;
    const bigRow = await app.services.testbedRequests.get(
      DEMO_SANDBOX.organizationId,
      rows.find((r) => r.api === 'real_name')!.id,
    );
    t.same(
      bigRow!.requestBody,
      { _truncated: true, _size: JSON.stringify(huge).length },
      'a body over 32 kB is noted by its size',
    );
    t.ok(
      rows.find((r) => r.api === 'receive'),
      'the deeply nested call is in the log',
    );
  },
);
