// The session, its user and the unread count come in one read; the cookie's HMAC is remembered once verified;
// "did the session change?" is a text comparison. None of this may loosen a rule: an ended session ends on the
// next request on its instance and within SESSION_RECHECK_MS on every other, a forged cookie is refused, a change
// is saved, nothing extra is stored.
// Runs on SQLite, and on PostgreSQL with DATABASE_URL=postgres://… (two instances share one database).
import crypto from 'node:crypto';
import t from 'tap';
import { DEMO_ORGS } from '../../src/demo-accounts';
import { build, Browser } from '../helpers/build';
import { sharedDatabaseInstances } from '../helpers/instances';
import { stopCacheClock } from '../helpers/cache-clock';
import { SESSION_RECHECK_MS } from '../../src/http/session-row-cache';

/** A browser whose cookies (the session) are copied to another instance, as a load balancer would route it. */
function sameCookiesOn(from: Browser, app: Browser['app']): Browser {
  const b = new Browser(app);
  for (const [k, v] of from.cookies) b.cookies.set(k, v);
  return b;
}

t.test(
  'a session ended on another instance (sign-out, password change, deactivation) is refused within SESSION_RECHECK_MS',
  async (t) => {
    // Each instance may serve a session row from memory for SESSION_RECHECK_MS (src/http/session-row-cache.ts):
    // A's clock is moved past that bound before each check.
    const clock = stopCacheClock(t);
    const instances = await sharedDatabaseInstances(t, { demo: true });
    const a = await instances.start();
    const b = await instances.start();
    const owner = DEMO_ORGS.demoFintech.owner;

    // Sign-out on B.
    const onA = new Browser(a);
    await onA.login(owner);
    t.equal((await onA.get('/account')).statusCode, 200, 'A serves the session (its cookie now verified on A)');
    const onB = sameCookiesOn(onA, b);
    t.equal((await onB.post('/logout', {}, { formUrl: '/account' })).statusCode, 303);
    clock.pass(SESSION_RECHECK_MS);
    const afterLogout = await onA.get('/account');
    t.equal(afterLogout.statusCode, 303, 'signing out on B: A refuses the session within the bound');
    t.match(String(afterLogout.headers.location), /^\/login/);

    // Password change on B ends the other sessions.
    const laptop = new Browser(a);
    await laptop.login(owner);
    t.equal((await laptop.get('/account')).statusCode, 200);
    const phone = new Browser(b);
    await phone.login(owner);
    const changed = await phone.post(
      '/account/password',
      { current_password: 'demo-password-1', new_password: 'new-password-22', new_password_confirm: 'new-password-22' },
      { formUrl: '/account' },
    );
    t.equal(changed.statusCode, 303, 'the password is changed on B');
    clock.pass(SESSION_RECHECK_MS);
    t.equal((await laptop.get('/account')).statusCode, 303, 'the session on A ends with the next request');
    t.equal((await phone.get('/account')).statusCode, 200, 'the session that changed it stays');

    // Deactivation written by another instance (here: straight into the shared database, no session ended).
    const desk = new Browser(a);
    await desk.login(owner, 'new-password-22');
    t.equal((await desk.get('/account')).statusCode, 200);
    const db = instances.shared.open();
    t.teardown(() => db.destroy());
    await db('users').where({ email: owner }).update({ disabled: true });
    clock.pass(SESSION_RECHECK_MS);
    t.equal((await desk.get('/account')).statusCode, 303, 'a deactivated account is signed out on A within the bound');
    t.equal((await sameCookiesOn(phone, a).get('/account')).statusCode, 303, 'and on B');
  },
);

t.test('a forged or altered session cookie is refused, also after the genuine one was accepted', async (t) => {
  const app = await build(t, { demo: true });
  const owner = new Browser(app);
  await owner.login(DEMO_ORGS.demoFintech.owner);
  t.equal((await owner.get('/account')).statusCode, 200, 'the genuine cookie is accepted');
  const genuine = owner.cookies.get('obp_sid')!;
  const dot = genuine.lastIndexOf('.');
  const sid = genuine.slice(0, dot);
  const signature = genuine.slice(dot + 1);
  const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
  const otherSecret = crypto
    .createHmac('sha256', crypto.randomBytes(32))
    .update(sid)
    .digest('base64')
    .replace(/=/g, '');
  for (const [name, value] of [
    ['an altered signature', `${sid}.${flipped}`],
    ['a signature made with another secret', `${sid}.${otherSecret}`],
    ['no signature', sid],
    ['the signature alone', `.${signature}`],
  ] as const) {
    const forged = new Browser(app);
    forged.cookies.set('obp_sid', value);
    const res = await forged.get('/account');
    t.equal(res.statusCode, 303, `${name}: signed out`);
    t.match(String(res.headers.location), /^\/login/);
  }
  t.equal((await owner.get('/account')).statusCode, 200, 'the genuine cookie still works');
});

t.test('what the session read brings with the session is never stored, and a changed session is saved', async (t) => {
  const app = await build(t, { demo: true });
  const owner = new Browser(app);
  await owner.login(DEMO_ORGS.demoFintech.owner);
  await owner.get('/applications');
  // A flash message is a change (set by the POST, cleared by the page that shows it): saved both times.
  const lang = await owner.get('/applications?lang=en');
  t.equal(lang.statusCode, 200);
  const res = await owner.post('/notifications/read-all', {}, { formUrl: '/notifications' });
  t.equal(res.statusCode, 303);
  const sid = decodeURIComponent(owner.cookies.get('obp_sid')!).split('.')[0];
  const stored = async () => JSON.parse((await app.db('sessions').where({ sid }).first()).data);
  t.ok((await stored()).flash, 'the flash message set by the POST is stored');
  const shown = await owner.get('/notifications');
  t.match(shown.body, 'role="status"', 'and shown on the next page');
  t.notOk((await stored()).flash, 'which clears it in the store');
  const all = await app.db('sessions').select('data');
  t.ok(all.length > 0);
  t.notOk(
    all.some((r: { data: string }) => r.data.includes('__readWithSession')),
    'no stored session holds the row read with it',
  );
});

t.test('a session stored without its user id column (before sessions.user_id) still signs its user in', async (t) => {
  const app = await build(t, { demo: true });
  const owner = new Browser(app);
  await owner.login(DEMO_ORGS.demoFintech.owner);
  const sid = decodeURIComponent(owner.cookies.get('obp_sid')!).split('.')[0];
  await app.db('sessions').where({ sid }).update({ user_id: null });
  const page = await owner.get('/account');
  t.equal(page.statusCode, 200, 'the user is read by the fallback query');
  t.match(page.body, DEMO_ORGS.demoFintech.ownerName);
});
