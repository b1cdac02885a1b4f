// Password reset (src/accounts/password-reset.ts): the same answer for every address, a one-time link stored
// only as its SHA-256 and valid one hour, and a reset that ends every session and revokes every API token.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { Browser, build, signUp } from '../helpers/build';
import { manualClock } from '../helpers/workflow';
import { sha256Hex } from '../../src/secret-tokens';
import { MAX_RESET_REQUESTS_PER_ADDRESS } from '../../src/accounts/password-reset';

const OWNER = { email: 'owner@reset.example', password: 'correct-horse-1' };
const NEW_PASSWORD = 'brand-new-pass-9';

const count = async (q: PromiseLike<any>): Promise<number> => Number((await q)?.n ?? 0);
const mailsTo = (app: FastifyInstance, email: string) =>
  count(app.db('email_outbox').where({ to_address: email }).count({ n: '*' }).first());

/** The newest reset link e-mailed to `email`. */
async function resetLink(app: FastifyInstance, email: string): Promise<string> {
  const mail = await app
    .db('email_outbox')
    .where({ to_address: email })
    .andWhere('body', 'like', '%/password-reset/%')
    .orderBy('created_at', 'desc')
    .first();
  const m = mail ? /https?:\/\/\S+\/password-reset\/([A-Za-z0-9_-]+)/.exec(String(mail.body)) : null;
  if (!m) throw new Error(`no reset link was e-mailed to ${email}`);
  return m[1]!;
}

async function tokenFor(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return res.json().token;
}
const me = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

t.test(
  'the sign-in page offers a reset, and the request answers the same way for a known and an unknown address',
  async (t) => {
    t.setTimeout(60_000);
    const app = await build(t);
    await signUp(app, OWNER);
    const login = await new Browser(app).get('/login');
    t.match(login.body, '<a href="/password-reset">비밀번호를 잊으셨나요?</a>');

    const answers = [];
    for (const email of [OWNER.email, 'nobody@reset.example']) {
      const res = await new Browser(app).post('/password-reset', { email }, { formUrl: '/password-reset' });
      answers.push({
        status: res.statusCode,
        location: res.headers.location,
        body: res.body,
        cookies: (res.cookies as unknown[]).length,
      });
    }
    t.same(answers[0], answers[1], 'the page answers identically');
    t.equal(answers[0]!.status, 303);
    t.equal(answers[0]!.location, '/password-reset/check-email');
    const sent = await new Browser(app).get('/password-reset/check-email');
    t.match(sent.body, '입력한 주소로 된 계정이 있으면 비밀번호 재설정 링크를 보냈습니다');

    t.equal(await mailsTo(app, OWNER.email), 1, "the account's address gets a link");
    t.equal(await mailsTo(app, 'nobody@reset.example'), 0, 'an unknown address gets nothing');
    const mail = await app.db('email_outbox').where({ to_address: OWNER.email }).first();
    t.match(mail.body, '60분 동안 한 번만 쓸 수 있습니다');
    t.notMatch(`${mail.subject}${mail.body}`, /을\(를\)|이\(가\)|은\(는\)|\(으\)로/);

    const bad = await new Browser(app).post(
      '/password-reset',
      { email: 'not-an-address' },
      { formUrl: '/password-reset' },
    );
    t.equal(bad.statusCode, 422, 'a malformed address is re-rendered with a message');
    t.match(bad.body, 'name@example.com 형식으로');
  },
);

t.test('the link works once, ends every session and API token, and is stored only as its hash', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  const signedIn = await signUp(app, OWNER);
  const apiToken = await tokenFor(app, OWNER.email, OWNER.password);
  await new Browser(app).post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
  const token = await resetLink(app, OWNER.email);

  const stored = await app.db('password_resets').first();
  t.not(stored.token_hash, token, 'the stored token is not the one in the e-mail');
  t.equal(stored.token_hash, sha256Hex(token), 'it is its SHA-256');
  t.notOk(JSON.stringify(await app.db('password_resets').select()).includes(token));

  const b = new Browser(app);
  const form = await b.get(`/password-reset/${token}`);
  t.equal(form.statusCode, 200);
  t.match(form.body, OWNER.email);
  const short = await b.post(`/password-reset/${token}`, { new_password: 'short', new_password_confirm: 'short' });
  t.equal(short.statusCode, 422, 'the sign-up password rules apply');
  t.match(short.body, '비밀번호는 10자 이상이어야 합니다');
  const mismatch = await b.post(`/password-reset/${token}`, {
    new_password: NEW_PASSWORD,
    new_password_confirm: 'something-else-1',
  });
  t.equal(mismatch.statusCode, 422);
  t.equal((await signedIn.get('/account')).statusCode, 200, 'a refused form changes nothing');

  const done = await b.post(`/password-reset/${token}`, {
    new_password: NEW_PASSWORD,
    new_password_confirm: NEW_PASSWORD,
  });
  t.equal(done.statusCode, 303);
  t.equal(done.headers.location, '/login');
  t.match((await b.get('/login')).body, '비밀번호를 바꿨습니다');
  t.equal((await signedIn.get('/account')).statusCode, 303, 'the old session has ended');
  t.equal((await me(app, apiToken)).statusCode, 401, 'the API token is revoked');
  const audit = await app.db('audit_events').where({ event: 'user.password_reset' }).first();
  t.same(JSON.parse(audit.data), { sessionsEnded: 1, tokensRevoked: 1 });

  t.equal((await b.get(`/password-reset/${token}`)).statusCode, 404, 'the link works once');
  t.equal(
    (
      await b.post(`/password-reset/${token}`, {
        new_password: 'another-pass-77',
        new_password_confirm: 'another-pass-77',
      })
    ).statusCode,
    404,
  );
  const fresh = new Browser(app, {}, '198.51.100.20');
  t.equal(
    (await fresh.post('/login', { email: OWNER.email, password: OWNER.password })).statusCode,
    422,
    'the old password no longer works',
  );
  await fresh.login(OWNER.email, NEW_PASSWORD);
  t.equal((await fresh.get('/account')).statusCode, 200, 'the new one does');
});

t.test('a reset made while signed in as that user signs this browser out too', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  const b = await signUp(app, OWNER);
  await b.post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
  const token = await resetLink(app, OWNER.email);
  const done = await b.post(`/password-reset/${token}`, {
    new_password: NEW_PASSWORD,
    new_password_confirm: NEW_PASSWORD,
  });
  t.equal(done.statusCode, 303);
  t.equal((await b.get('/account')).statusCode, 303, 'no session survives the reset');
  const userId = (await app.db('users').where({ email: OWNER.email }).first()).id;
  t.equal(await count(app.db('sessions').where({ user_id: userId }).count({ n: '*' }).first()), 0);
});

t.test('a link expires after an hour, and a newer reset uses up the older links', async (t) => {
  t.setTimeout(60_000);
  const clock = manualClock('2026-12-04T01:00:00.000Z');
  const app = await build(t, { clock });
  await signUp(app, OWNER);
  await new Browser(app).post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
  const first = await resetLink(app, OWNER.email);
  clock.set('2026-12-04T01:59:00.000Z');
  t.equal((await new Browser(app).get(`/password-reset/${first}`)).statusCode, 200, 'valid for the hour');
  clock.set('2026-12-04T02:00:01.000Z');
  const late = new Browser(app);
  t.equal((await late.get(`/password-reset/${first}`)).statusCode, 404, 'expired after an hour');
  const expired = await late.get(`/password-reset/${first}`);
  t.match(expired.body, '비밀번호 재설정 링크가 만료되었거나 이미 사용되었습니다', 'the page says why');
  t.match(expired.body, 'href="/password-reset"', 'and offers a new link');

  await new Browser(app).post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
  const second = await resetLink(app, OWNER.email);
  clock.set('2026-12-04T02:01:00.000Z');
  await new Browser(app).post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
  const third = await resetLink(app, OWNER.email);
  t.not(second, third);
  const b = new Browser(app);
  t.equal(
    (await b.post(`/password-reset/${third}`, { new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }))
      .statusCode,
    303,
  );
  t.equal((await b.get(`/password-reset/${second}`)).statusCode, 404, 'the older open link no longer works');
});

t.test('a deactivated account cannot reset its password', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  await app.services.accounts.createUserDirect({
    email: 'staff@reset.example',
    name: '정직원',
    password: 'staff-password-1',
    staffRole: 'reviewer',
  });
  await new Browser(app).post('/password-reset', { email: 'staff@reset.example' }, { formUrl: '/password-reset' });
  const earlier = await resetLink(app, 'staff@reset.example');
  await app.db('users').where({ email: 'staff@reset.example' }).update({ disabled: true });

  const res = await new Browser(app).post(
    '/password-reset',
    { email: 'staff@reset.example' },
    { formUrl: '/password-reset' },
  );
  t.equal(res.statusCode, 303, 'the same answer as for anyone');
  t.equal(res.headers.location, '/password-reset/check-email');
  t.equal(await mailsTo(app, 'staff@reset.example'), 1, 'but no new e-mail');
  const b = new Browser(app);
  t.equal(
    (await b.get(`/password-reset/${earlier}`)).statusCode,
    404,
    'a link sent before the deactivation stops working',
  );
  t.equal(
    (await b.post(`/password-reset/${earlier}`, { new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }))
      .statusCode,
    404,
  );
  t.notOk((await app.db('password_resets').first()).used_at);
});

t.test('reset e-mails to one address are limited, with the same answer past the limit', async (t) => {
  t.setTimeout(60_000);
  const clock = manualClock('2026-12-04T01:00:00.000Z');
  const app = await build(t, { clock });
  await signUp(app, OWNER);
  const answers = new Set<string>();
  for (let i = 0; i < MAX_RESET_REQUESTS_PER_ADDRESS + 2; i++) {
    const res = await new Browser(app).post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
    answers.add(`${res.statusCode} ${res.headers.location}`);
  }
  t.same([...answers], ['303 /password-reset/check-email'], 'every request gets the same answer');
  t.equal(
    await mailsTo(app, OWNER.email),
    MAX_RESET_REQUESTS_PER_ADDRESS,
    `at most ${MAX_RESET_REQUESTS_PER_ADDRESS} e-mails within 15 minutes`,
  );
  clock.set('2026-12-04T01:16:00.000Z');
  await new Browser(app).post('/password-reset', { email: OWNER.email }, { formUrl: '/password-reset' });
  t.equal(
    await mailsTo(app, OWNER.email),
    MAX_RESET_REQUESTS_PER_ADDRESS + 1,
    'and another once the window has passed',
  );
});
