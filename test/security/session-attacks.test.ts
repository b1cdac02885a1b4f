// Session attacks on the portal (issue 12), each rule in a test name: the session id is renewed at sign-in
// (no fixation), sign-out and a password change end sessions, a CSRF token is bound to its session, and a
// forged session cookie is nobody. Signs in through the real pages with CSRF on (test/helpers/build.ts).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, Browser } from '../helpers/build';
import { DEMO_IDS, DEMO_PASSWORD } from '../../src/demo-accounts';

const CSRF_REFUSED = '보안 토큰이 만료되었습니다';

/** The portal session cookie of a browser (name, value); throws when there is none. */
function sessionCookie(b: Browser): [string, string] {
  const entries = [...b.cookies];
  if (entries.length !== 1) throw new Error(`expected one cookie, got ${entries.map(([k]) => k).join(', ')}`);
  return entries[0]!;
}
const sidOf = (value: string) => decodeURIComponent(value).replace(/^s:/, '').split('.')[0]!;

async function isSignedIn(app: FastifyInstance, cookie: [string, string]): Promise<boolean> {
  const res = await app.inject({ method: 'GET', url: '/account', headers: { cookie: `${cookie[0]}=${cookie[1]}` } });
  if (res.statusCode === 200) return true;
  if (res.statusCode === 303 && String(res.headers.location).startsWith('/login')) return false;
  throw new Error(`/account answered ${res.statusCode}`);
}

let serial = 0;
async function newApplicant(app: FastifyInstance): Promise<string> {
  const email = `session-${++serial}@attacks.example`;
  await app.services.accounts.createUserDirect({
    email,
    name: '세션',
    password: DEMO_PASSWORD,
    organizationId: DEMO_IDS.demoFintechOrg,
    orgRole: 'member',
  });
  return email;
}

t.test('session attacks', async (t) => {
  const app = await build(t, { demo: true });

  t.test(
    'the session id is renewed at sign-in: the cookie before and after differ, and the pre-sign-in id is not signed in',
    async (t) => {
      const email = await newApplicant(app);
      const b = new Browser(app);
      await b.csrfToken('/login'); // the sign-in page starts an anonymous session (the CSRF secret lives in it)
      const before = sessionCookie(b);
      await b.login(email);
      const after = sessionCookie(b);
      t.equal(after[0], before[0], 'the same cookie name');
      t.not(sidOf(after[1]), sidOf(before[1]), 'a new session id after sign-in');
      t.ok(await isSignedIn(app, after), 'the new id is signed in');
      t.notOk(await isSignedIn(app, before), 'the id an attacker could have planted before sign-in is not');
      t.equal(
        await app
          .db('sessions')
          .where({ sid: sidOf(before[1]) })
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n)),
        0,
        'the old session row is gone',
      );
    },
  );

  t.test('a session id chosen by an attacker (never issued) is not adopted at sign-in', async (t) => {
    const email = await newApplicant(app);
    const b = new Browser(app);
    await b.csrfToken('/login');
    const [name] = sessionCookie(b);
    const planted = 's%3Aattacker-chosen-session-id.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    b.cookies.set(name, planted);
    const res = await b.post('/login', { email, password: DEMO_PASSWORD }, { formUrl: '/login' });
    t.equal(res.statusCode, 303);
    t.not(sessionCookie(b)[1], planted, 'the planted cookie is replaced');
    t.notOk(await isSignedIn(app, [name, planted]), 'the planted id is not signed in');
  });

  t.test('sign-out ends the session: its cookie no longer signs anyone in, and its row is deleted', async (t) => {
    const email = await newApplicant(app);
    const b = new Browser(app);
    await b.login(email);
    const cookie = sessionCookie(b);
    t.ok(await isSignedIn(app, cookie));
    t.equal((await b.post('/logout', {}, { formUrl: '/account' })).statusCode, 303);
    t.notOk(await isSignedIn(app, cookie), 'the cookie kept by an attacker is signed out');
    t.equal(
      Number(
        (
          await app
            .db('sessions')
            .where({ sid: sidOf(cookie[1]) })
            .count({ n: '*' })
            .first()
        )?.n,
      ),
      0,
      'no session row',
    );
  });

  t.test(
    'a password change ends every other session of the user, keeps the one that changed it, and the old password stops working',
    async (t) => {
      const email = await newApplicant(app);
      const here = new Browser(app);
      const elsewhere = new Browser(app);
      await here.login(email);
      await elsewhere.login(email);
      const other = sessionCookie(elsewhere);
      t.ok(await isSignedIn(app, other), 'the other session is signed in');
      const res = await here.post(
        '/account/password',
        {
          current_password: DEMO_PASSWORD,
          new_password: 'new-password-2026',
          new_password_confirm: 'new-password-2026',
        },
        { formUrl: '/account' },
      );
      t.equal(res.statusCode, 303, 'password changed');
      t.notOk(await isSignedIn(app, other), 'the other session is ended');
      t.ok(await isSignedIn(app, sessionCookie(here)), 'the session that changed it continues');
      const old = await new Browser(app).post('/login', { email, password: DEMO_PASSWORD }, { formUrl: '/login' });
      t.equal(old.statusCode, 422, 'the old password is refused');
      t.equal(
        (await new Browser(app).post('/login', { email, password: 'new-password-2026' }, { formUrl: '/login' }))
          .statusCode,
        303,
        'the new one works',
      );
    },
  );

  t.test('a refused password change (wrong current password) ends nothing', async (t) => {
    const email = await newApplicant(app);
    const here = new Browser(app);
    const elsewhere = new Browser(app);
    await here.login(email);
    await elsewhere.login(email);
    const res = await here.post(
      '/account/password',
      {
        current_password: 'wrong-password-1',
        new_password: 'new-password-2026',
        new_password_confirm: 'new-password-2026',
      },
      { formUrl: '/account' },
    );
    t.equal(res.statusCode, 422);
    t.ok(await isSignedIn(app, sessionCookie(elsewhere)), 'the other session continues');
  });

  t.test('a CSRF token is bound to its session: a token from session A is refused in session B', async (t) => {
    const a = new Browser(app);
    const b = new Browser(app);
    const emailA = await newApplicant(app);
    await a.login(emailA);
    await b.login(await newApplicant(app));
    const tokenA = await a.csrfToken('/account');
    const cookieB = sessionCookie(b);
    const cases: Record<string, string> = {
      "another user's session": `${cookieB[0]}=${cookieB[1]}`,
      'an anonymous session': await (async () => {
        const anon = new Browser(app);
        await anon.csrfToken('/login');
        const c = sessionCookie(anon);
        return `${c[0]}=${c[1]}`;
      })(),
      'no session at all': '',
    };
    const sameUser = new Browser(app);
    await sameUser.login(emailA);
    const s = sessionCookie(sameUser);
    cases["the same user's other session"] = `${s[0]}=${s[1]}`;
    for (const [name, cookie] of Object.entries(cases)) {
      for (const via of ['body', 'header'] as const) {
        const res = await app.inject({
          method: 'POST',
          url: '/notifications/read-all',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(cookie ? { cookie } : {}),
            ...(via === 'header' ? { 'x-csrf-token': tokenA } : {}),
          },
          payload: via === 'body' ? new URLSearchParams({ _csrf: tokenA }).toString() : '',
        });
        t.equal(res.statusCode, 403, `${name}, token in the ${via}: 403`);
        t.match(res.body, CSRF_REFUSED, `${name}, token in the ${via}: the CSRF error page`);
      }
    }
    const own = await a.post('/notifications/read-all', {}, { formUrl: '/account' });
    t.equal(own.statusCode, 303, 'the token works in its own session');
  });

  t.test('the CSRF token of the anonymous session is not valid after sign-in renewed the session', async (t) => {
    const b = new Browser(app);
    const preLogin = await b.csrfToken('/login');
    await b.login(await newApplicant(app));
    const res = await b.post('/notifications/read-all', { _csrf: preLogin }, { csrf: false });
    t.equal(res.statusCode, 403, 'refused');
  });

  t.test('CSRF tokens that are missing, empty, duplicated or altered are refused', async (t) => {
    const b = new Browser(app);
    await b.login(await newApplicant(app));
    const token = await b.csrfToken('/account');
    const cookie = sessionCookie(b);
    const bodies: Record<string, string> = {
      missing: '',
      empty: '_csrf=',
      duplicated: new URLSearchParams([
        ['_csrf', token],
        ['_csrf', token],
      ]).toString(),
      altered: new URLSearchParams({ _csrf: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` }).toString(),
      truncated: new URLSearchParams({ _csrf: token.slice(0, 10) }).toString(),
    };
    for (const [name, payload] of Object.entries(bodies)) {
      const res = await app.inject({
        method: 'POST',
        url: '/notifications/read-all',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie[0]}=${cookie[1]}` },
        payload,
      });
      t.equal(res.statusCode, 403, `${name}: 403`);
    }
  });

  t.test('a forged or tampered session cookie is nobody', async (t) => {
    const b = new Browser(app);
    await b.login(await newApplicant(app));
    const [name, value] = sessionCookie(b);
    const decoded = decodeURIComponent(value);
    const dot = decoded.lastIndexOf('.');
    const sig = decoded.slice(dot + 1);
    const forged: Record<string, string> = {
      'signature changed': encodeURIComponent(
        `${decoded.slice(0, dot + 1)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`,
      ),
      'signature removed': encodeURIComponent(decoded.slice(0, dot)),
      'unsigned id': encodeURIComponent(sidOf(value)),
      'id changed, signature kept': encodeURIComponent(`s:${sidOf(value).slice(0, -1)}x.${sig}`),
    };
    for (const [what, v] of Object.entries(forged)) t.notOk(await isSignedIn(app, [name, v]), what);
    t.ok(await isSignedIn(app, [name, value]), 'the genuine cookie still works');
  });

  t.test('the session cookie is HttpOnly and SameSite', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/login' });
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    t.ok(set.length > 0, 'the sign-in page sets a session cookie');
    for (const c of set) {
      t.match(c, /;\s*HttpOnly/i, 'HttpOnly');
      t.match(c, /;\s*SameSite=(Lax|Strict)/i, 'SameSite');
    }
  });
});
