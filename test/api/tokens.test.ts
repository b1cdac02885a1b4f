import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';
import { sha256Hex } from '../../src/secret-tokens';
import { ApiClient, apiAs, apiSignUp } from './fixtures/api-client';

// One app for the tests that need no fresh state (throttling and the clock get their own).
const shared = build(t, { demo: true });

t.test('a token is shown once and stored hashed', async (t) => {
  const app = await shared;
  const res = await new ApiClient(app).post('/api/v1/tokens', {
    email: 'owner@demo-fintech.example',
    password: 'demo-password-1',
    name: 'CI',
  });
  t.equal(res.status, 201);
  t.match(res.body.token, /^obp_[A-Za-z0-9_-]{43}$/);
  t.equal(res.headers['cache-control'], 'no-store');
  const rows = await app.db('api_tokens').where({ id: res.body.id });
  t.equal(rows.length, 1);
  t.equal(rows[0].token_hash, sha256Hex(res.body.token), 'only the SHA-256 is stored');
  t.notOk(JSON.stringify(rows).includes(res.body.token), 'the token itself is nowhere in the table');
  const me = await new ApiClient(app, res.body.token).get('/api/v1/me');
  t.equal(me.status, 200);
  t.equal(me.body.user.email, 'owner@demo-fintech.example');
  t.equal(me.body.user.organization_role, 'owner');
  t.equal(me.headers['cache-control'], 'no-store', 'API answers are not cached');
  const list = await new ApiClient(app, res.body.token).get('/api/v1/tokens');
  t.equal(list.status, 200);
  t.equal(list.body.tokens.find((x: { id: string }) => x.id === res.body.id)?.name, 'CI');
  t.notOk(JSON.stringify(list.body).includes(res.body.token), 'listing never shows the token again');
});

t.test('a request without a token is 401', async (t) => {
  const app = await shared;
  const res = await new ApiClient(app).get('/api/v1/applications', { 'accept-language': 'en' });
  t.equal(res.status, 401);
  t.equal(res.body.error.code, 'unauthenticated');
  t.match(res.body.error.message, /Authorization: Bearer/, "the message says what to send, in the client's language");
  t.match(res.headers['www-authenticate'], /^Bearer/);
  const bad = await new ApiClient(app, `obp_${'x'.repeat(43)}`).get('/api/v1/tokens');
  t.equal(bad.status, 401, 'an unknown token is 401');
  const garbage = await app.inject({
    method: 'GET',
    url: '/api/v1/tokens',
    headers: { authorization: 'Basic Zm9vOmJhcg==' },
  });
  t.equal(garbage.statusCode, 401, 'another scheme is 401');
});

t.test('a wrong password gets no token (401) and sign-in throttling applies to the token endpoint', async (t) => {
  const app = await build(t, { demo: true });
  const anon = new ApiClient(app);
  for (let i = 0; i < 3; i++) {
    const res = await anon.post('/api/v1/tokens', {
      email: 'owner@demo-fintech.example',
      password: 'wrong-password-1',
    });
    t.equal(res.status, 401);
  }
  const locked = await anon.post('/api/v1/tokens', {
    email: 'owner@demo-fintech.example',
    password: 'demo-password-1',
  });
  t.equal(locked.status, 429, 'even the right password is refused from the client that has been failing');
  t.equal(locked.body.error.code, 'rate_limited');
  t.equal(locked.headers['retry-after'], '1');
  t.equal(
    await app
      .db('api_tokens')
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    0,
  );
  const elsewhere = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    remoteAddress: '198.51.100.20',
    payload: { email: 'owner@demo-fintech.example', password: 'demo-password-1' },
  });
  t.equal(elsewhere.statusCode, 201, 'another client is not refused');
});

t.test('a revoked token stops working at once', async (t) => {
  const app = await shared;
  const issued = await new ApiClient(app).post('/api/v1/tokens', {
    email: 'owner@demo-fintech.example',
    password: 'demo-password-1',
  });
  const api = new ApiClient(app, issued.body.token);
  t.equal((await api.get('/api/v1/tokens')).status, 200);
  const res = await api.delete(`/api/v1/tokens/${issued.body.id}`);
  t.equal(res.status, 204);
  t.equal((await api.get('/api/v1/tokens')).status, 401);
});

t.test("a user cannot revoke another user's token (404)", async (t) => {
  const app = await shared;
  const a = await apiAs(app, 'owner@demo-fintech.example');
  const b = await apiAs(app, 'owner@sample-pay.example');
  const aId = (await a.get('/api/v1/tokens')).body.tokens[0].id;
  t.equal((await b.delete(`/api/v1/tokens/${aId}`)).status, 404);
  t.equal((await a.get('/api/v1/tokens')).status, 200, 'still works');
});

t.test('the last use of a token is recorded', async (t) => {
  let now = new Date('2026-11-26T01:00:00.000Z');
  const app = await build(t, { demo: true, clock: () => now });
  const api = await apiAs(app, 'owner@demo-fintech.example');
  const before = await app.db('api_tokens').first();
  t.equal(before.last_used_at, null);
  now = new Date('2026-11-26T02:00:00.000Z');
  await api.get('/api/v1/tokens');
  const after = await app.db('api_tokens').first();
  t.equal(after.last_used_at, '2026-11-26T02:00:00.000Z');
});

t.test('the API never accepts the session cookie as authentication', async (t) => {
  const app = await shared;
  const b = new Browser(app);
  await b.login('owner@demo-fintech.example');
  const res = await b.get('/api/v1/tokens');
  t.equal(res.statusCode, 401, 'a signed-in browser without a token is 401');
  const post = await app.inject({
    method: 'POST',
    url: '/api/v1/applications',
    headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json' },
    payload: '{}',
  });
  t.equal(post.statusCode, 401, 'and cannot change anything');
});

t.test('a cross-site form body (urlencoded or text/plain) is refused by the API (415)', async (t) => {
  const app = await shared;
  const tokensBefore = await app
    .db('api_tokens')
    .count({ n: '*' })
    .first()
    .then((r) => Number(r?.n));
  const form = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'email=owner%40demo-fintech.example&password=demo-password-1',
  });
  t.equal(form.statusCode, 415);
  const text = await app.inject({
    method: 'POST',
    url: '/api/v1/signup',
    headers: { 'content-type': 'text/plain' },
    payload: '{"email":"x@y.example"}',
  });
  t.equal(text.statusCode, 415);
  t.equal(
    await app
      .db('api_tokens')
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    tokensBefore,
    'no token was issued',
  );
});

t.test(
  'sign-up through the API creates the organization once its e-mailed link is confirmed, and answers with a token (201)',
  async (t) => {
    const app = await shared;
    const api = await apiSignUp(app, { email: 'dev@new-fin.example', organization: '뉴핀' });
    const tokens = await api.get('/api/v1/tokens');
    t.equal(tokens.status, 200);
    const org = await app.db('organizations').where({ name: '뉴핀' }).first();
    t.ok(org);
    const again = await new ApiClient(app).post('/api/v1/signup', {
      email: 'dev@new-fin.example',
      password: 'correct-horse-1',
      name: 'X',
      organization_name: 'Y',
    });
    t.equal(again.status, 202, 'a registered address gets the same answer as a new one');
    t.equal(again.body.status, 'confirmation_sent');
    const short = await new ApiClient(app).post('/api/v1/signup', {
      email: 'x@new-fin.example',
      password: 'short',
      name: 'X',
      organization_name: 'Y',
    });
    t.equal(short.status, 422);
    t.equal(short.body.error.code, 'validation');
    t.same(
      short.body.error.errors.map((e: { field: string }) => e.field),
      ['password'],
    );
  },
);

t.test('an unknown field in a JSON body is a 422', async (t) => {
  const app = await shared;
  const res = await new ApiClient(app).post('/api/v1/tokens', {
    email: 'owner@demo-fintech.example',
    password: 'demo-password-1',
    pasword: 'typo',
  });
  t.equal(res.status, 422);
  t.equal(res.body.error.code, 'validation');
  t.same(
    res.body.error.errors.map((e: { field: string }) => e.field),
    ['pasword'],
  );
  const english = await new ApiClient(app).post('/api/v1/tokens?lang=en', {
    email: 'x@y.example',
    password: 'p',
    pasword: 'typo',
  });
  t.match(english.body.error.errors[0].message, /not part of the API/, 'schema errors are translated too');
  const signup = await new ApiClient(app).post('/api/v1/signup', {
    email: 'a@b.example',
    password: 'correct-horse-1',
    name: 'A',
    organization_name: 'B',
    organisation_name: 'B',
  });
  t.equal(signup.status, 422);
  t.equal(await app.db('users').where({ email: 'a@b.example' }).first(), undefined, 'nothing was created');
});

t.test('tokens are created and revoked on the account page, shown once', async (t) => {
  const app = await shared;
  const b = await signUp(app, { email: 'page@fin.example' });
  const account = await b.get('/account');
  t.match(account.body, 'href="/account/tokens"', 'the account page links to the token section');
  const created = await b.post('/account/tokens', { name: '배치' });
  t.equal(created.statusCode, 201);
  const m = /<code class="secret">(obp_[A-Za-z0-9_-]{43})<\/code>/.exec(created.body);
  t.ok(m, 'the new token is on the page');
  const token = m![1]!;
  t.equal((await new ApiClient(app, token).get('/api/v1/tokens')).status, 200, 'and works');
  const list = await b.get('/account/tokens');
  t.notMatch(list.body, token, 'it is not shown again');
  t.match(list.body, '배치');
  const id = (await app.db('api_tokens').where({ name: '배치' }).first()).id;
  const noCsrf = await b.post(`/account/tokens/${id}/revoke`, {}, { csrf: false });
  t.equal(noCsrf.statusCode, 403, 'revoking needs the CSRF token');
  const revoked = await b.post(`/account/tokens/${id}/revoke`, {}, { formUrl: '/account/tokens' });
  t.equal(revoked.statusCode, 303);
  t.equal((await new ApiClient(app, token).get('/api/v1/tokens')).status, 401);
  const empty = await b.post('/account/tokens', { name: '   ' });
  t.equal(empty.statusCode, 422, 'a blank name re-renders the form');
  t.match(empty.body, 'href="#name"');
});

t.test('the OpenAPI document describes only /api/v1 routes', async (t) => {
  const app = await shared;
  const res = await new ApiClient(app).get('/api/v1/openapi.json');
  t.equal(res.status, 200);
  t.equal(res.body.openapi, '3.1.0');
  const paths = Object.keys(res.body.paths);
  for (const p of [
    '/api/v1/tokens',
    '/api/v1/signup',
    '/api/v1/applications',
    '/api/v1/applications/{id}',
    '/api/v1/applications/{id}/answers',
    '/api/v1/applications/{id}/submit',
    '/api/v1/applications/{id}/decisions',
    '/api/v1/applications/{id}/audit',
    '/api/v1/applications/{id}/documents',
    '/api/v1/applications/{id}/documents/{fileId}',
    '/api/v1/applications/{id}/findings',
    '/api/v1/applications/{id}/signature',
    '/api/v1/applications/{id}/countersignature',
    '/api/v1/notifications',
    '/api/v1/sandbox',
  ]) {
    t.ok(paths.includes(p), `${p} is documented`);
  }
  t.equal(res.body.paths['/api/v1/tokens'].post.security.length, 0, 'the token endpoint needs no token');
  t.ok(res.body.paths['/api/v1/applications/{id}/decisions'].post.responses['409'], 'error answers are documented');
  t.ok(
    paths.every((p) => p.startsWith('/api/v1/')),
    paths.join(', '),
  );
  t.notOk(paths.includes('/api/v1/openapi.json'));
  t.ok(res.body.components.securitySchemes.bearerAuth);
});
