import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';

const OWNER = { email: 'owner@fin.example', password: 'correct-horse-1' };

async function tokenFor(app: Awaited<ReturnType<typeof build>>, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return res.json().token;
}
const me = (app: Awaited<ReturnType<typeof build>>, token: string) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

t.test(
  'a password change ends every other session of the user and revokes their API tokens, and the page says so',
  async (t) => {
    const app = await build(t);
    const here = await signUp(app, OWNER);
    const laptop = new Browser(app);
    await laptop.login(OWNER.email, OWNER.password);
    const token = await tokenFor(app, OWNER.email, OWNER.password);
    t.equal((await me(app, token)).statusCode, 200);
    // A session saved before sessions.user_id existed is found by its data.
    const laptopSid = decodeURIComponent(laptop.cookies.get('obp_sid')!).split('.')[0]!;
    await app.db('sessions').where({ sid: laptopSid }).update({ user_id: null });

    const page = await here.get('/account');
    t.match(
      page.body,
      '다른 모든 기기와 브라우저에서 로그아웃되고 개인 API 토큰이 모두 폐기됩니다',
      'the account page says what a change does',
    );
    const res = await here.post(
      '/account/password',
      { current_password: OWNER.password, new_password: 'new-password-22', new_password_confirm: 'new-password-22' },
      { formUrl: '/account' },
    );
    t.equal(res.statusCode, 303);
    const after = await here.get('/account');
    t.equal(after.statusCode, 200, 'the session that made the change stays signed in');
    t.match(after.body, '다른 모든 곳에서 로그아웃되었고 API 토큰이 폐기되었습니다');
    const other = await laptop.get('/account');
    t.equal(other.statusCode, 303, 'the other session is signed out');
    t.match(String(other.headers.location), /^\/login/);
    t.equal((await me(app, token)).statusCode, 401, 'the API token is revoked');
    const audit = await app.db('audit_events').where({ event: 'user.password_changed' }).first();
    t.same(JSON.parse(audit.data), { sessionsEnded: 1, tokensRevoked: 1 });
  },
);

t.test('an admin deactivating a staff account ends its sessions and revokes its API tokens at once', async (t) => {
  const app = await build(t, { demo: true });
  const admin = new Browser(app);
  await admin.login('admin@portal.example');
  const reviewer = new Browser(app);
  await reviewer.login('reviewer@portal.example');
  const token = await tokenFor(app, 'reviewer@portal.example', 'demo-password-1');
  const reviewerId = (await app.db('users').where({ email: 'reviewer@portal.example' }).first()).id;
  const staffPage = await admin.get('/admin/staff');
  t.match(staffPage.body, `action="/admin/staff/${reviewerId}/deactivate"`);
  t.match(staffPage.body, '모든 기기에서 즉시 로그아웃되고 개인 API 토큰이 폐기됩니다');
  const res = await admin.post(`/admin/staff/${reviewerId}/deactivate`, {}, { formUrl: '/admin/staff' });
  t.equal(res.statusCode, 303);
  t.equal((await reviewer.get('/staff')).statusCode, 303, 'the reviewer is signed out');
  t.equal(
    await app
      .db('sessions')
      .where({ user_id: reviewerId })
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    0,
    'no session row is left',
  );
  t.equal((await me(app, token)).statusCode, 401, 'the API token is revoked');
  t.ok((await app.db('api_tokens').where({ user_id: reviewerId }).first()).revoked_at);
  t.equal(
    (
      await new Browser(app, {}, '198.51.100.3').post('/login', {
        email: 'reviewer@portal.example',
        password: 'demo-password-1',
      })
    ).statusCode,
    422,
    'and cannot sign in again',
  );
  t.ok(await app.db('audit_events').where({ event: 'staff.deactivated' }).first());
  const adminId = (await app.db('users').where({ email: 'admin@portal.example' }).first()).id;
  const self = await admin.post(`/admin/staff/${adminId}/deactivate`, {}, { formUrl: '/admin/staff' });
  t.equal(self.statusCode, 422, 'an admin cannot deactivate themselves');
  const applicantId = (await app.db('users').where({ email: 'owner@demo-fintech.example' }).first()).id;
  t.equal(
    (await admin.post(`/admin/staff/${applicantId}/deactivate`, {}, { formUrl: '/admin/staff' })).statusCode,
    404,
    'only staff accounts',
  );
  t.equal(
    (await reviewer.post(`/admin/staff/${adminId}/deactivate`, {}, { formUrl: '/login' })).statusCode,
    303,
    'signed out: sent to sign in',
  );
});
