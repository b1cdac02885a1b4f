// The sandbox page's first-call panel and the developer's first calls from the portal alone: the curl
// quick start runs as printed after a secret is created, the callback catcher checks the state and
// exchanges the code, and the API console calls the real emulator routes (so the request log has them).
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build, Browser } from '../helpers/build';
import { startApp } from '../helpers/browser';
import { authorizeThroughPages } from '../helpers/authorize-pages';
import { DEMO_SANDBOX, HONG, TEST_PERSON_PASSWORD } from '../helpers/testbed';

const run = promisify(execFile);
const OWNER = 'owner@demo-fintech.example';

function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
}
function copyBlocks(html: string): string[] {
  return [...html.matchAll(/<pre data-copy[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => decode(m[1]!));
}

t.test('the quick start curl commands, run after creating a secret, succeed as printed (A0000)', async (t) => {
  const { app, baseUrl } = await startApp(t);
  const b = new Browser(app);
  await b.login(OWNER);
  const created = await b.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' });
  t.equal(created.statusCode, 201);
  t.equal(created.headers['cache-control'], 'no-store', 'the page with the secret is not cached');
  const secret = /id="new-client-secret">([0-9a-f-]{36})</.exec(created.body)![1]!;
  const blocks = copyBlocks(created.body);
  t.equal(blocks.length, 6, 'five shell steps and the Node version, each with a copy target');
  const shell = blocks.slice(0, 5);
  t.match(shell[0], `CLIENT_SECRET='${secret}'`, 'the snippets carry the secret just created');
  t.notMatch(created.body, /YOUR_CLIENT_SECRET/, 'no placeholder right after creation');
  t.match(shell[0], `BASE='${baseUrl}'`);
  t.match(shell[0], `CLIENT_ID='${DEMO_SANDBOX.clientId}'`);
  t.match(
    created.body,
    /<script src="\/public\/copy.js" defer><\/script>/,
    'the copy script is a file (no inline script)',
  );
  const { stdout } = await run('bash', ['-c', shell.join('\n')], { timeout: 30_000 });
  const answers = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(answers.length, 2, 'the balance and the withdrawal answered');
  t.equal(answers[0]!.rsp_code, 'A0000', `balance inquiry succeeds: ${JSON.stringify(answers[0])}`);
  t.equal(answers[1]!.rsp_code, 'A0000', `withdrawal succeeds: ${JSON.stringify(answers[1])}`);
  t.equal(answers[1]!.tran_amt, '1000');
  const node = blocks[5]!;
  const nodeRun = await run('node', ['--input-type=module', '-e', node], { timeout: 30_000 });
  t.match(nodeRun.stdout, /balance: A0000/, 'the Node fetch version runs as printed too');
  t.match(nodeRun.stdout, /withdraw: A0000/);
  const again = await b.get('/sandbox');
  t.notOk(again.body.includes(secret), 'the secret is never shown again');
  t.match(again.body, /YOUR_CLIENT_SECRET/, 'afterwards the snippets carry a placeholder');
  await app.services.testbedRequestLog.flush();
  const stored = JSON.stringify([
    await app.db('testbed_request_log').select('request_body', 'request_headers', 'response_body'),
    await app.db('testbed_request_log_bodies').select('documents'),
  ]);
  t.notOk(stored.includes(secret), 'the secret is in no stored request');
  const sessions = JSON.stringify(await app.db('sessions').select());
  t.notOk(sessions.includes(secret), 'nor in any session');
});

t.test(
  'the first-call panel is at the top, with real values, a state-carrying authorize link and the catcher registered',
  async (t) => {
    const app = await build(t, { demo: true });
    const b = new Browser(app);
    await b.login(OWNER);
    const page = (await b.get('/sandbox')).body;
    t.ok(
      page.indexOf('id="first-call"') < page.indexOf('id="credentials"'),
      'the first-call panel comes before the credentials',
    );
    t.ok(page.indexOf('id="revoke"') > page.indexOf('id="people"'), 'revoking everything is last, apart from the rest');
    t.match(page, /M202600001U[0-9A-Z]{9}/, 'a fresh bank_tran_id');
    const link = decode(/id="first-call-authorize"|href="([^"]+)" id="first-call-authorize"/.exec(page)?.[1] ?? '');
    const url = new URL(link);
    t.equal(
      url.searchParams.get('redirect_uri'),
      'http://localhost:3000/sandbox/callback',
      'the authorize link lands on the callback catcher',
    );
    t.match(url.searchParams.get('state'), /^[A-Za-z0-9]{32}$/);
  },
);

t.test('the callback catcher checks the state, exchanges the code and keeps the token for the console', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(OWNER);
  const page = (await b.get('/sandbox')).body;
  const link = new URL(decode(/href="([^"]+)" id="first-call-authorize"/.exec(page)![1]!));
  const state = link.searchParams.get('state')!;

  const forged = await b.get(`/sandbox/callback?code=abc&state=${'x'.repeat(32)}`);
  t.equal(forged.statusCode, 400, 'a state the portal did not generate is refused');
  t.match(forged.body, /id="state-refused"/);
  t.notMatch(forged.body, /action="\/sandbox\/callback\/exchange"/, 'and no exchange is offered');

  const refusedConsent = await b.get(
    `/sandbox/callback?error=access_denied&error_description=${encodeURIComponent('사용자가 취소했습니다')}&state=${state}`,
  );
  t.equal(refusedConsent.statusCode, 200);
  t.match(refusedConsent.body, /access_denied/, 'a refused consent shows its error');
  t.match(refusedConsent.body, /사용자가 취소했습니다/, 'and its error_description');

  const { code } = await authorizeThroughPages(app, {
    clientId: DEMO_SANDBOX.clientId,
    redirectUri: 'http://localhost:3000/sandbox/callback',
    loginId: HONG.loginId,
    password: TEST_PERSON_PASSWORD,
  });
  const caught = await b.get(`/sandbox/callback?code=${code}&scope=login+inquiry+transfer&state=${state}`);
  t.equal(caught.statusCode, 200);
  t.match(caught.body, code, 'the code is shown');
  const wrong = await b.post(
    '/sandbox/callback/exchange',
    { code, state, client_secret: '00000000-0000-4000-8000-000000000000' },
    { formUrl: `/sandbox/callback?code=${code}&state=${state}` },
  );
  t.match(decode(wrong.body), /O0001/, "a wrong secret shows the emulator's refusal");
  const ok = await b.post(
    '/sandbox/callback/exchange',
    {
      code: (
        await authorizeThroughPages(app, {
          clientId: DEMO_SANDBOX.clientId,
          redirectUri: 'http://localhost:3000/sandbox/callback',
          loginId: HONG.loginId,
          password: TEST_PERSON_PASSWORD,
        })
      ).code,
      state,
      client_secret: DEMO_SANDBOX.clientSecret,
    },
    { formUrl: `/sandbox/callback?code=${code}&state=${state}` },
  );
  t.equal(ok.statusCode, 200);
  t.match(decode(ok.body), /"access_token"/, 'the token answer is shown');
  t.match(decode(ok.body), /"user_seq_no": "1100000001"/);
  const reused = await b.post(
    '/sandbox/callback/exchange',
    { code, state, client_secret: DEMO_SANDBOX.clientSecret },
    { formUrl: '/sandbox' },
  );
  t.equal(reused.statusCode, 400, 'the state is used up by the exchange');

  const balance = await b.get('/sandbox/console?api=balance');
  t.match(balance.body, /1100000001/, 'the console uses the kept user token');
  const fin = /name="f_fintech_use_num" type="text" value="(\d{24})"/.exec(balance.body)?.[1];
  t.ok(fin, "the form is pre-filled with the user's fintech_use_num");
  const fields: Record<string, string> = { api: 'balance' };
  for (const m of balance.body.matchAll(/name="(f_[a-z_.0-9]+)" type="text" value="([^"]*)"/g))
    fields[m[1]!] = decode(m[2]!);
  const sent = await b.post('/sandbox/console', fields, { formUrl: '/sandbox/console?api=balance' });
  t.equal(sent.statusCode, 200);
  t.match(decode(sent.body), /"rsp_code": "A0000"/, 'the console call succeeds');
  t.match(
    decode(sent.body),
    /GET http:\/\/localhost:3000\/v2\.0\/account\/balance\/fin_num\?bank_tran_id=M202600001U/,
    'the exact request is shown',
  );
  await app.services.testbedRequestLog.flush();
  const logged = await app
    .db('testbed_request_log')
    .where({ organization_id: DEMO_SANDBOX.organizationId, api: 'balance' });
  t.equal(logged.length, 1, "the console call is in the organization's request log");
});

t.test(
  'console: a wrong format goes to the emulator as typed; oob APIs get a token issued on the spot; a missing token is a portal error',
  async (t) => {
    const app = await build(t, { demo: true });
    const b = new Browser(app);
    await b.login(OWNER);
    const noToken = await b.post(
      '/sandbox/console',
      { api: 'balance', f_bank_tran_id: 'M202600001U000000001' },
      { formUrl: '/sandbox/console' },
    );
    t.equal(noToken.statusCode, 422, 'a user API without a user token is a portal error');
    t.match(noToken.body, /error-summary/);
    const noApi = await b.post('/sandbox/console', { api: 'nope' }, { formUrl: '/sandbox/console' });
    t.equal(noApi.statusCode, 422, 'an unknown API is a portal error');

    const form = (await b.get('/sandbox/console?api=real_name')).body;
    const fields: Record<string, string> = { api: 'real_name' };
    for (const m of form.matchAll(/name="(f_[a-z_.0-9]+)" type="text" value="([^"]*)"/g)) fields[m[1]!] = decode(m[2]!);
    const ok = await b.post('/sandbox/console', fields, { formUrl: '/sandbox/console?api=real_name' });
    t.match(
      decode(ok.body),
      /"rsp_code": "A0000"/,
      'real_name succeeds with the pre-filled values and an oob token issued on the spot',
    );
    const bad = await b.post(
      '/sandbox/console',
      { ...fields, f_bank_tran_id: fields.f_bank_tran_id!.slice(0, 15) },
      { formUrl: '/sandbox/console?api=real_name' },
    );
    t.equal(bad.statusCode, 200, 'a wrong format is not a portal error');
    t.match(decode(bad.body), /"rsp_code": "A0004"/, "the emulator's own code is shown");
    await app.services.testbedRequestLog.flush();
    const issued = await app
      .db('testbed_request_log')
      .where({ organization_id: DEMO_SANDBOX.organizationId, grant_type: 'portal_console' });
    t.equal(issued.length, 1, 'the oob token the portal issued is logged as such, once for the session');
    const triggers = (await b.get('/sandbox/console?api=withdraw&scenario=insufficient-funds')).body;
    t.match(triggers, /name="f_tran_amt" type="text" value="4530"/, 'a scenario trigger is one click away');
  },
);

t.test('a new sandbox credential set gets the callback catcher registered', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(OWNER);
  const admin = await app.services.accounts.createUserDirect({
    email: 'admin2@staff.example',
    name: '관리자',
    password: 'staff-password-1',
    staffRole: 'admin',
  });
  t.ok(admin);
  await app.services.credentials.revokeSandboxSet({ userId: null, label: 't' }, DEMO_SANDBOX.organizationId);
  await app.db('callback_urls').where({ organization_id: DEMO_SANDBOX.organizationId }).delete();
  const issued = await app.services.credentials.reissueSandboxSet(
    { userId: null, label: 't' },
    DEMO_SANDBOX.organizationId,
  );
  t.ok(issued.created);
  t.same(await app.services.credentials.callbackUrls(DEMO_SANDBOX.organizationId), [
    'http://localhost:3000/sandbox/callback',
  ]);
});

t.test("the portal issues console oob tokens only for the organization's active sandbox set", async (t) => {
  const app = await build(t, { demo: true });
  const issued = await app.services.oauth.issuePortalConsoleToken(DEMO_SANDBOX.organizationId);
  t.equal(issued.scope, 'oob');
  t.equal(issued.client_use_code, DEMO_SANDBOX.clientUseCode);
  const sample = await app.db('organizations').whereNot({ id: DEMO_SANDBOX.organizationId }).first('id');
  await t.rejects(
    app.services.oauth.issuePortalConsoleToken(sample.id as string),
    { rspCode: 'O0001' } as unknown as Error,
    'no token for an organization without sandbox credentials',
  );
  await app.services.credentials.revokeSandboxSet({ userId: null, label: 't' }, DEMO_SANDBOX.organizationId);
  await t.rejects(
    app.services.oauth.issuePortalConsoleToken(DEMO_SANDBOX.organizationId),
    { rspCode: 'O0001' } as unknown as Error,
    'nor after the set is revoked',
  );
  await app
    .db('credential_sets')
    .where({ id: DEMO_SANDBOX.credentialSetId })
    .update({ environment: 'production', status: 'active', active_key: `${DEMO_SANDBOX.organizationId}:production` });
  await t.rejects(
    app.services.oauth.issuePortalConsoleToken(DEMO_SANDBOX.organizationId),
    { rspCode: 'O0001' } as unknown as Error,
    'nor for a production set',
  );
  const res = await app.inject({
    method: 'GET',
    url: '/v2.0/bank/status',
    headers: { authorization: `Bearer ${issued.access_token}` },
  });
  t.equal(
    (res.json() as { rsp_code: string }).rsp_code.startsWith('O'),
    true,
    'and the token issued before the revocation is refused with the set',
  );
});

t.test(
  'without JavaScript nothing breaks: no copy buttons in the HTML, the console is a plain form post',
  async (t) => {
    const app = await build(t, { demo: true });
    const b = new Browser(app);
    await b.login(OWNER);
    const page = (await b.get('/sandbox')).body;
    t.notMatch(page, /copy-button/, 'copy buttons are added by the script only');
    t.notMatch(page, /<script>|<script(?![^>]*src=)/, 'no inline script');
    const consolePage = (await b.get('/sandbox/console?api=bank_status')).body;
    t.match(consolePage, /<form method="post" action="\/sandbox\/console"/);
    const sent = await b.post(
      '/sandbox/console',
      { api: 'bank_status' },
      { formUrl: '/sandbox/console?api=bank_status' },
    );
    t.match(decode(sent.body), /"rsp_code": "A0000"/, 'an API without fields is one click');
    const copy = await app.inject({ method: 'GET', url: '/public/copy.js' });
    t.equal(copy.statusCode, 200, 'the copy script is served from /public');
  },
);
