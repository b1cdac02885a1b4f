// Sandbox credentials on the portal: secrets (hashed, shown once, rotation, revocation), callback URLs,
// contract accounts, test people, who may see the page, and issuance by the workflow or an admin.
import t from 'tap';
import crypto from 'node:crypto';
import { build, Browser, signUp } from '../helpers/build';
import { DEMO_SANDBOX } from '../helpers/testbed';
import { sha256Hex } from '../../src/secret-tokens';

type App = Awaited<ReturnType<typeof build>>;
const OWNER = 'owner@demo-fintech.example';

async function clientCredentials(app: App, clientId: string, clientSecret: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'oob',
      grant_type: 'client_credentials',
    }).toString(),
  });
  return res.json() as Record<string, unknown>;
}

function shownSecret(html: string): string {
  const m = /id="new-client-secret">([0-9a-f-]{36})</.exec(html);
  if (!m) throw new Error('no secret shown');
  return m[1]!;
}

t.test('client secrets are stored hashed and shown once', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(OWNER);
  const res = await b.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' });
  t.equal(res.statusCode, 201);
  const secret = shownSecret(res.body);
  const rows = await app.db('client_secrets').where({ credential_set_id: DEMO_SANDBOX.credentialSetId });
  t.ok(
    rows.some((r: { secret_hash: string }) => r.secret_hash === sha256Hex(secret)),
    'stored as its SHA-256',
  );
  t.notOk(JSON.stringify(rows).includes(secret), 'the secret itself is not stored');
  const audit = await app.db('audit_events').where({ event: 'credentials.secret_created' });
  t.equal(audit.length, 1, 'the change is audited');
  t.notOk(JSON.stringify(audit).includes(secret), 'nor written to the audit log');
  const again = await b.get('/sandbox');
  t.notOk(again.body.includes(secret), 'the page never shows it again');
  t.match(again.body, new RegExp(`…${secret.slice(-4)}`), 'only a hint identifies it');
  t.equal((await clientCredentials(app, DEMO_SANDBOX.clientId, secret)).scope, 'oob', 'the new secret works');
});

t.test('two secrets can be active at once during rotation', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(OWNER);
  const secret = shownSecret(
    (await b.post('/sandbox/secrets', { expires_in_days: '30' }, { formUrl: '/sandbox' })).body,
  );
  t.equal(
    (await clientCredentials(app, DEMO_SANDBOX.clientId, DEMO_SANDBOX.clientSecret)).scope,
    'oob',
    'the old secret still works',
  );
  t.equal((await clientCredentials(app, DEMO_SANDBOX.clientId, secret)).scope, 'oob', 'and so does the new one');
  const third = await b.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' });
  t.equal(third.statusCode, 422, 'a third active secret is refused');
  t.match(third.body, /error-summary/);
});

t.test('a revoked secret is refused with O0001', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(OWNER);
  const secret = shownSecret((await b.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' })).body);
  const oldId = (
    await app
      .db('client_secrets')
      .where({ secret_hash: sha256Hex(DEMO_SANDBOX.clientSecret) })
      .first('id')
  ).id as string;
  const revoked = await b.post(`/sandbox/secrets/${oldId}/revoke`, {}, { formUrl: '/sandbox' });
  t.equal(revoked.statusCode, 303);
  t.same(await clientCredentials(app, DEMO_SANDBOX.clientId, DEMO_SANDBOX.clientSecret), {
    rsp_code: 'O0001',
    rsp_message: '인증 파라미터 오류([3000201])',
  });
  t.equal((await clientCredentials(app, DEMO_SANDBOX.clientId, secret)).scope, 'oob', 'the other secret keeps working');
  t.equal(
    (await app.db('audit_events').where({ event: 'credentials.secret_revoked' })).length,
    1,
    'the revocation is audited',
  );
});

t.test('an expired secret is refused', async (t) => {
  let now = Date.now();
  const app = await build(t, { demo: true, clock: () => new Date(now) });
  const created = await app.services.credentials.createSecret(
    { userId: null, label: 't' },
    DEMO_SANDBOX.organizationId,
    { expires_in_days: '1' },
  );
  t.equal((await clientCredentials(app, DEMO_SANDBOX.clientId, created.secret)).scope, 'oob');
  now += 86_400_000 + 1000;
  t.equal((await clientCredentials(app, DEMO_SANDBOX.clientId, created.secret)).rsp_code, 'O0001');
  await t.rejects(
    app.services.credentials.createSecret({ userId: null, label: 't' }, DEMO_SANDBOX.organizationId, {
      expires_in_days: '0',
    }),
    { code: 'validation' },
  );
});

t.test('revoking the whole credential set refuses its secrets and every token it issued', async (t) => {
  const app = await build(t, { demo: true });
  const oob = (await clientCredentials(app, DEMO_SANDBOX.clientId, DEMO_SANDBOX.clientSecret)).access_token as string;
  const b = new Browser(app);
  await b.login(OWNER);
  const unconfirmed = await b.post('/sandbox/revoke', {}, { formUrl: '/sandbox' });
  t.equal(unconfirmed.statusCode, 422);
  t.equal((await b.post('/sandbox/revoke', { confirm: 'yes' }, { formUrl: '/sandbox' })).statusCode, 303);
  t.equal((await clientCredentials(app, DEMO_SANDBOX.clientId, DEMO_SANDBOX.clientSecret)).rsp_code, 'O0001');
  const res = await app.inject({
    method: 'GET',
    url: '/v2.0/bank/status',
    headers: { authorization: `Bearer ${oob}` },
  });
  t.equal(res.json().rsp_code, 'O0002');
});

t.test('the sandbox page is for organization members only', async (t) => {
  const app = await build(t, { demo: true });
  const anon = await app.inject({ method: 'GET', url: '/sandbox' });
  t.equal(anon.statusCode, 303);
  const staff = new Browser(app);
  await staff.login('reviewer@portal.example');
  t.equal((await staff.get('/sandbox')).statusCode, 403, 'staff get 403');
  const owner = new Browser(app);
  await owner.login(OWNER);
  const page = await owner.get('/sandbox');
  t.equal(page.statusCode, 200);
  for (const text of [
    'M202600001',
    DEMO_SANDBOX.clientId,
    DEMO_SANDBOX.callbackUrl,
    '1002600000002',
    '100,000,000',
    '홍길동',
    '1100000001',
    'curl',
    '/oauth/2.0/authorize?response_type',
  ]) {
    t.ok(page.body.includes(text), `shows ${text}`);
  }
  t.notOk(page.body.includes(DEMO_SANDBOX.clientSecret), 'never the seeded secret');
  const other = await signUp(app, { email: 'owner@other.example', organization: '다른핀테크' });
  const otherPage = await other.get('/sandbox');
  t.equal(otherPage.statusCode, 200);
  t.notOk(otherPage.body.includes('M202600001'), 'another organization sees only its own');
  const demoSecretId = (
    await app.db('client_secrets').where({ credential_set_id: DEMO_SANDBOX.credentialSetId }).first('id')
  ).id as string;
  t.equal(
    (await other.post(`/sandbox/secrets/${demoSecretId}/revoke`, {}, { formUrl: '/sandbox' })).statusCode,
    404,
    "another organization's secret is not found",
  );
  const demoCallbackId = (
    await app.db('callback_urls').where({ organization_id: DEMO_SANDBOX.organizationId }).first('id')
  ).id as string;
  t.equal(
    (await other.post(`/sandbox/callbacks/${demoCallbackId}/delete`, {}, { formUrl: '/sandbox' })).statusCode,
    404,
  );
  const noCsrf = await owner.post('/sandbox/callbacks', { url: 'https://x.example/cb' }, { csrf: false });
  t.equal(noCsrf.statusCode, 403, 'forms need the CSRF token');
});

t.test('callback URLs are validated, kept exactly as typed, and removable', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(OWNER);
  for (const bad of [
    '',
    'not a url',
    'http://example.com/cb',
    'https://example.com/cb#frag',
    'https://user:pw@example.com/cb',
    DEMO_SANDBOX.callbackUrl,
  ]) {
    const res = await b.post('/sandbox/callbacks', { url: bad }, { formUrl: '/sandbox' });
    t.equal(res.statusCode, 422, `refused: ${bad}`);
    t.match(res.body, /href="#url"/, 'the error summary links to the field');
  }
  t.equal(
    (await b.post('/sandbox/callbacks', { url: 'https://app.example.com/oauth/Callback' }, { formUrl: '/sandbox' }))
      .statusCode,
    303,
  );
  t.same(
    (await app.services.credentials.callbackUrls(DEMO_SANDBOX.organizationId)).sort(),
    [
      DEMO_SANDBOX.callbackUrl,
      'http://localhost:3000/sandbox/callback',
      'https://app.example.com/oauth/Callback',
    ].sort(),
  );
  t.ok(
    await app.services.credentials.isRegisteredRedirectUri(
      DEMO_SANDBOX.organizationId,
      'https://app.example.com/oauth/Callback',
    ),
  );
  t.notOk(
    await app.services.credentials.isRegisteredRedirectUri(
      DEMO_SANDBOX.organizationId,
      'https://app.example.com/oauth/callback',
    ),
    'exact match: case matters',
  );
  const id = (await app.db('callback_urls').where({ url: 'https://app.example.com/oauth/Callback' }).first('id'))
    .id as string;
  t.equal((await b.post(`/sandbox/callbacks/${id}/delete`, {}, { formUrl: '/sandbox' })).statusCode, 303);
  t.same(
    (await app.services.credentials.callbackUrls(DEMO_SANDBOX.organizationId)).sort(),
    [DEMO_SANDBOX.callbackUrl, 'http://localhost:3000/sandbox/callback'].sort(),
    'the callback catcher stays registered',
  );
  t.equal(
    (await app.db('audit_events').whereIn('event', ['credentials.callback_added', 'credentials.callback_removed']))
      .length,
    2,
  );
});

t.test(
  'test people and their accounts can be created from the sandbox page and sign in on the authorize pages',
  async (t) => {
    const app = await build(t, { demo: true });
    const b = new Browser(app);
    await b.login(OWNER);
    const bad = await b.post(
      '/sandbox/test-users',
      { name: '', birth_date: '1990-02-31', login_id: 'a', password: '1', phone: '12' },
      { formUrl: '/sandbox' },
    );
    t.equal(bad.statusCode, 422);
    for (const f of ['name', 'birth_date', 'login_id', 'password', 'phone'])
      t.match(bad.body, new RegExp(`href="#${f}"`), `error for ${f}`);
    t.equal(
      (
        await b.post(
          '/sandbox/test-users',
          { name: '최테스트', birth_date: '1990-05-17', login_id: 'hong', password: 'pw1234' },
          { formUrl: '/sandbox' },
        )
      ).statusCode,
      422,
      'a login id of a shared person is taken',
    );
    t.equal(
      (
        await b.post(
          '/sandbox/test-users',
          { name: '최테스트', birth_date: '1990-05-17', login_id: 'choi', password: 'pw1234', phone: '010-1234-5678' },
          { formUrl: '/sandbox' },
        )
      ).statusCode,
      303,
    );
    const person = await app.db('testbed_users').where({ login_id: 'choi' }).first();
    t.match(person.user_seq_no, /^11\d{8}$/);
    t.equal(person.user_ci.length, 88);
    t.match(person.password_hash, /^scrypt\$/);
    const badAccount = await b.post(
      '/sandbox/test-accounts',
      { user_seq_no: '1100000001', bank_code: '097', opening_balance: '100' },
      { formUrl: '/sandbox' },
    );
    t.equal(badAccount.statusCode, 422, 'shared people cannot be given accounts by one organization');
    t.equal(
      (
        await b.post(
          '/sandbox/test-accounts',
          { user_seq_no: person.user_seq_no, bank_code: '097', opening_balance: '-5' },
          { formUrl: '/sandbox' },
        )
      ).statusCode,
      422,
    );
    t.equal(
      (
        await b.post(
          '/sandbox/test-accounts',
          { user_seq_no: person.user_seq_no, bank_code: '097', account_num: '1101230000678', opening_balance: '5' },
          { formUrl: '/sandbox' },
        )
      ).statusCode,
      422,
      'an existing account number',
    );
    t.equal(
      (
        await b.post(
          '/sandbox/test-accounts',
          { user_seq_no: person.user_seq_no, bank_code: '004', opening_balance: '1,250,000' },
          { formUrl: '/sandbox' },
        )
      ).statusCode,
      303,
    );
    const accounts = await app.db('bank_accounts').where({ user_seq_no: person.user_seq_no });
    t.equal(accounts.length, 1);
    t.equal(Number(accounts[0].balance), 1_250_000);
    t.equal(accounts[0].bank_code, '004');
    const page = await b.get('/sandbox');
    t.match(page.body, /최테스트/);
    // The new person can sign in on the authorize pages of this organization.
    const login = await new Browser(app).get(
      `/oauth/2.0/authorize?${new URLSearchParams({ response_type: 'code', client_id: DEMO_SANDBOX.clientId, redirect_uri: DEMO_SANDBOX.callbackUrl, scope: 'login inquiry', state: 'x'.repeat(32), auth_type: '0' })}`,
    );
    t.equal(login.statusCode, 200);
    t.ok(await app.services.testbedUsers.verifyLogin(DEMO_SANDBOX.organizationId, 'choi', 'pw1234'));
    const otherOrg = crypto.randomUUID();
    t.equal(
      await app.services.testbedUsers.verifyLogin(otherOrg, 'choi', 'pw1234'),
      null,
      "but not on another organization's",
    );
  },
);

async function newApplication(app: App, email: string, callbackUrls: string) {
  await signUp(app, { email, organization: '신규핀테크' });
  const orgId = (
    await app
      .db('memberships')
      .join('users', 'users.id', 'memberships.user_id')
      .where('users.email', email)
      .first('organization_id')
  ).organization_id as string;
  const appId = crypto.randomUUID();
  const now = new Date().toISOString();
  await app.db('applications').insert({
    id: appId,
    organization_id: orgId,
    reference: null,
    stage: 'suitability',
    status: 'in_review',
    current_version: 2,
    stage_entered_at: now,
    created_at: now,
    updated_at: now,
  });
  await app.db('application_versions').insert({
    id: crypto.randomUUID(),
    application_id: appId,
    version: 1,
    stage: 'application',
    answers: JSON.stringify({ technical: { callback_urls: 'https://old.example/cb' } }),
    submitted_at: now,
  });
  await app.db('application_versions').insert({
    id: crypto.randomUUID(),
    application_id: appId,
    version: 2,
    stage: 'application',
    answers: JSON.stringify({ technical: { callback_urls: callbackUrls } }),
    submitted_at: now,
  });
  return { orgId, appId };
}

t.test(
  'issuing sandbox credentials is idempotent and takes callback URLs from the latest submitted version',
  async (t) => {
    const app = await build(t, { demo: true });
    const { orgId, appId } = await newApplication(
      app,
      'cto@new.example',
      'https://new.example/cb\nhttp://localhost:3001/callback',
    );
    const first = await app.services.credentials.issueSandboxCredentials(appId);
    t.ok(first.created);
    t.match(first.clientUseCode, /^M2026\d{5}$/);
    t.not(first.clientUseCode, 'M202600001');
    t.match(first.clientId, /^[0-9a-f-]{36}$/);
    const second = await app.services.credentials.issueSandboxCredentials(appId);
    t.notOk(second.created);
    t.equal(second.credentialSetId, first.credentialSetId);
    t.same(
      (await app.services.credentials.callbackUrls(orgId)).sort(),
      ['http://localhost:3000/sandbox/callback', 'http://localhost:3001/callback', 'https://new.example/cb'],
      "the latest version's URLs, not the first version's",
    );
    const contract = await app.db('bank_accounts').where({ organization_id: orgId }).orderBy('purpose');
    t.same(contract.map((a: { purpose: string }) => a.purpose).sort(), [
      'deposit_paying',
      'fee',
      'withdraw_collecting',
    ]);
    t.equal(
      Number(contract.find((a: { purpose: string }) => a.purpose === 'deposit_paying').balance),
      100_000_000,
      'the deposit-paying account is funded',
    );
    t.ok((await app.services.ledger.verifyBalances()).ok, 'the ledger still balances');
    t.equal(
      (await app.db('client_secrets').where({ credential_set_id: first.credentialSetId })).length,
      0,
      'no secret until a member creates one',
    );
    t.ok(
      (await app.db('audit_events').where({ event: 'credentials.set_created', organization_id: orgId })).length === 1,
    );
  },
);

t.test('an admin can issue sandbox credentials from /admin/sandbox; nobody else can', async (t) => {
  const app = await build(t, { demo: true });
  const { orgId } = await newApplication(app, 'cto@admin-issue.example', 'https://issue.example/cb');
  const reviewer = new Browser(app);
  await reviewer.login('reviewer@portal.example');
  t.equal((await reviewer.get('/admin/sandbox')).statusCode, 403);
  const admin = new Browser(app);
  await admin.login('admin@portal.example');
  const page = await admin.get('/admin/sandbox');
  t.equal(page.statusCode, 200);
  t.match(page.body, /신규핀테크/);
  t.equal((await reviewer.post(`/admin/sandbox/${orgId}/issue`, {}, { formUrl: '/account' })).statusCode, 403);
  const res = await admin.post(`/admin/sandbox/${orgId}/issue`, {}, { formUrl: '/admin/sandbox' });
  t.equal(res.statusCode, 303);
  t.ok(await app.services.credentials.activeSet(orgId));
  t.equal(
    (await admin.post(`/admin/sandbox/${orgId}/sa`, { allow: 'Y' }, { formUrl: '/admin/sandbox' })).statusCode,
    303,
  );
  t.ok((await app.services.credentials.activeSet(orgId))!.allowSa);
});

t.test(
  "approving suitability issues the organization's sandbox credentials with its submitted callback URLs",
  async (t) => {
    const { applicationInTesting, staffUser } = await import('../helpers/workflow');
    const app = await build(t);
    const reviewer = await staffUser(app, 'reviewer');
    const { id } = await applicationInTesting(app, reviewer.browser);
    const orgId = (await app.db('applications').where({ id }).first('organization_id')).organization_id as string;
    const set = await app.services.credentials.activeSet(orgId);
    t.ok(set, 'a sandbox credential set exists');
    t.equal(set!.applicationId, id);
    t.same((await app.services.credentials.callbackUrls(orgId)).sort(), [
      'http://localhost:3000/sandbox/callback',
      'http://localhost:8080/callback',
      'https://pay.test-fintech.example/oauth/callback',
    ]);
    t.equal((await app.db('bank_accounts').where({ organization_id: orgId })).length, 3, 'contract accounts opened');
  },
);
