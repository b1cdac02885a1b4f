// Rule (src/http/session-row-cache.ts): the session row (the session, its user, the unread count) may be served
// from the process's memory for at most SESSION_RECHECK_MS; any change to its tables made through this instance
// applies to the very next request; one made by another instance within SESSION_RECHECK_MS.
// Runs on SQLite, and on PostgreSQL with DATABASE_URL=postgres://… (two instances share one database).
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { DEMO_ORGS } from '../../src/demo-accounts';
import { isPostgres } from '../../src/db/knex';
import { SESSION_RECHECK_MS } from '../../src/http/session-row-cache';
import { build, Browser } from '../helpers/build';
import { stopCacheClock } from '../helpers/cache-clock';
import { sharedDatabaseInstances } from '../helpers/instances';
import { sqlDuring } from '../helpers/sql-during';

const badge = (html: string) => /<span class="badge">(\d+)<\/span>/.exec(html)?.[1] ?? null;

/** A browser holding the same cookies (the same session) on `app`: a second tab, or a copied cookie. */
function sameCookiesOn(from: Browser, app: FastifyInstance): Browser {
  const b = new Browser(app);
  for (const [k, v] of from.cookies) b.cookies.set(k, v);
  return b;
}

/** Views `url` until a view reads nothing before its handler (the row is cached); fails the test otherwise. */
async function cached(t: Test, app: FastifyInstance, b: Browser, url: string): Promise<void> {
  await b.get(url); // the first view after signing in slides the session's expiry: a write, which empties the cache
  await b.get(url);
  const sql = await sqlDuring(app, async () => {
    t.equal((await b.get(url)).statusCode, 200, `${url} answers`);
  });
  t.same(
    sql.filter((s) => /[`"]sessions[`"]/.test(s)),
    [],
    `${url} again: the session row comes from the cache`,
  );
}

t.test(
  'a repeat view within SESSION_RECHECK_MS reads nothing before its handler; after it the session is read again',
  async (t) => {
    const clock = stopCacheClock(t);
    const app = await build(t, { demo: true });
    const staff = new Browser(app);
    await staff.login('reviewer@portal.example');
    await staff.get('/docs'); // the first view after signing in may slide the expiry (a write, which empties the cache)
    const reads = async () =>
      (await sqlDuring(app, async () => void (await staff.get('/no-such-page')))).filter((s) =>
        /from [`"]sessions[`"]/.test(s),
      ).length;
    t.equal(await reads(), 1, 'the first view reads the session row');
    t.equal(await reads(), 0, 'the next one does not');
    clock.pass(SESSION_RECHECK_MS - 1);
    t.equal(await reads(), 0, 'nor one just inside the bound');
    clock.pass(1);
    t.equal(await reads(), 1, 'at the bound the row is read again');
  },
);

t.test(
  'on the instance that makes it, a change applies to the very next request though the row is cached',
  async (t) => {
    stopCacheClock(t); // nothing ages out of the cache here: only the change itself can end what it served
    const app = await build(t, { demo: true });

    await t.test('sign-out: a copy of the cookie is refused at once', async (t) => {
      const owner = new Browser(app);
      await owner.login(DEMO_ORGS.demoFintech.owner);
      await cached(t, app, owner, '/account');
      const copy = sameCookiesOn(owner, app);
      t.equal((await owner.post('/logout', {}, { formUrl: '/account' })).statusCode, 303);
      const res = await copy.get('/account');
      t.equal(res.statusCode, 303, 'signed out');
      t.match(String(res.headers.location), /^\/login/);
    });

    await t.test('password change: the other sessions end at once, the one that changed it stays', async (t) => {
      const laptop = new Browser(app);
      await laptop.login(DEMO_ORGS.samplePay.owner);
      await cached(t, app, laptop, '/account');
      const phone = new Browser(app);
      await phone.login(DEMO_ORGS.samplePay.owner);
      await cached(t, app, phone, '/account');
      const changed = await phone.post(
        '/account/password',
        {
          current_password: 'demo-password-1',
          new_password: 'new-password-22',
          new_password_confirm: 'new-password-22',
        },
        { formUrl: '/account' },
      );
      t.equal(changed.statusCode, 303);
      t.equal((await laptop.get('/account')).statusCode, 303, 'the other session is signed out');
      t.equal((await phone.get('/account')).statusCode, 200, 'the changing one stays');
    });

    const admin = new Browser(app);
    await admin.login('admin@portal.example');
    const idOf = async (email: string) => (await app.db('users').where({ email }).first()).id as string;

    await t.test("an admin's role change ends the staff member's sessions at once", async (t) => {
      const reviewer = new Browser(app);
      await reviewer.login('reviewer2@portal.example');
      await cached(t, app, reviewer, '/staff');
      const id = await idOf('reviewer2@portal.example');
      const res = await admin.post(`/admin/staff/${id}/role`, { staff_role: 'inspector' }, { formUrl: '/admin/staff' });
      t.equal(res.statusCode, 303);
      t.equal((await reviewer.get('/staff')).statusCode, 303, 'signed out on the next request');
    });

    await t.test("an admin's deactivation signs the account out at once", async (t) => {
      const inspector = new Browser(app);
      await inspector.login('inspector@portal.example');
      await cached(t, app, inspector, '/staff');
      const id = await idOf('inspector@portal.example');
      const res = await admin.post(`/admin/staff/${id}/deactivate`, {}, { formUrl: '/admin/staff' });
      t.equal(res.statusCode, 303);
      t.equal((await inspector.get('/staff')).statusCode, 303, 'signed out on the next request');
    });

    await t.test('a session revoked by any statement through this instance ends at once', async (t) => {
      const officer = new Browser(app);
      await officer.login('contract@portal.example');
      await cached(t, app, officer, '/staff');
      await app
        .db('sessions')
        .where({ user_id: await idOf('contract@portal.example') })
        .delete();
      t.equal((await officer.get('/staff')).statusCode, 303, 'signed out on the next request');
    });

    await t.test('a change written in a transaction applies once it commits, not before', async (t) => {
      const reviewer = new Browser(app);
      await reviewer.login('reviewer@portal.example');
      await cached(t, app, reviewer, '/account');
      const id = await idOf('reviewer@portal.example');
      await app.db.transaction(async (trx) => {
        await trx('users').where({ id }).update({ name: '김바뀐' });
        // PostgreSQL: a page read during the transaction sees (and may keep) the row as it was before it. On SQLite
        // the transaction holds the one connection, so no read runs until it has ended.
        if (isPostgres(app.db))
          t.match((await reviewer.get('/account')).body, '김심사', 'before the commit: the old name');
      });
      t.match((await reviewer.get('/account')).body, '김바뀐', 'the new name on the next page');
      await cached(t, app, reviewer, '/account');
      await app.db
        .transaction(async (trx) => {
          await trx('users').where({ id }).update({ name: '김되돌림' });
          await trx.rollback();
        })
        .catch(() => undefined);
      t.match((await reviewer.get('/account')).body, '김바뀐', 'a rolled-back change shows nowhere');
    });

    await t.test('the unread count: a new notification and reading it show on the next page', async (t) => {
      const staff = new Browser(app);
      await staff.login('admin@portal.example');
      await staff.post('/notifications/read-all', {}, { formUrl: '/notifications' });
      await cached(t, app, staff, '/staff');
      t.equal(badge((await staff.get('/staff')).body), null, 'nothing unread');
      await app.services.notifications.notify(
        { staffRole: 'admin' },
        { messageKey: 'notifications.messages.live', params: { reference: 'OB-2026-000001' }, link: '/staff' },
      );
      t.equal(badge((await staff.get('/staff')).body), '1', 'a new notification counts at once');
      await cached(t, app, staff, '/staff');
      await staff.post('/notifications/read-all', {}, { formUrl: '/notifications' });
      t.equal(badge((await staff.get('/staff')).body), null, 'read: the badge goes at once');
    });
  },
);

t.test(
  "another instance's change (sign-out, role change, deactivation) is seen within SESSION_RECHECK_MS",
  async (t) => {
    const clock = stopCacheClock(t);
    const instances = await sharedDatabaseInstances(t, { demo: true });
    const a = await instances.start();
    const b = await instances.start();

    const owner = new Browser(a);
    await owner.login(DEMO_ORGS.demoFintech.owner);
    await cached(t, a, owner, '/account');
    t.equal((await sameCookiesOn(owner, b).post('/logout', {}, { formUrl: '/account' })).statusCode, 303);
    t.equal((await owner.get('/account')).statusCode, 200, 'A may serve its cached row until the bound');
    clock.pass(SESSION_RECHECK_MS);
    const res = await owner.get('/account');
    t.equal(res.statusCode, 303, 'signed out on A once the bound has passed');
    t.match(String(res.headers.location), /^\/login/);

    // Written by another process straight into the shared database: A learns it from the bound alone.
    const reviewer = new Browser(a);
    await reviewer.login('reviewer@portal.example');
    await cached(t, a, reviewer, '/staff');
    const db = instances.shared.open();
    t.teardown(() => db.destroy());
    await db('users').where({ email: 'reviewer@portal.example' }).update({ staff_role: 'admin' });
    t.notMatch((await reviewer.get('/staff')).body, 'href="/admin"', 'within the bound A may show the old role');
    clock.pass(SESSION_RECHECK_MS);
    t.match((await reviewer.get('/staff')).body, 'href="/admin"', 'after it, the new one');
    await cached(t, a, reviewer, '/staff');
    await db('users').where({ email: 'reviewer@portal.example' }).update({ disabled: true });
    clock.pass(SESSION_RECHECK_MS);
    t.equal((await reviewer.get('/staff')).statusCode, 303, 'a deactivation signs out within the bound');
  },
);

t.test('an expired session is refused although its row is cached', async (t) => {
  stopCacheClock(t);
  // The session store's clock is Date.now, taken when the app is built: moved here without writing anything.
  const realNow = Date.now;
  let ahead = 0;
  Date.now = () => realNow() + ahead;
  t.teardown(() => {
    Date.now = realNow;
  });
  const app = await build(t, { demo: true });
  const owner = new Browser(app);
  await owner.login(DEMO_ORGS.demoFintech.owner);
  await cached(t, app, owner, '/account');
  const sid = decodeURIComponent(owner.cookies.get('obp_sid')!).split('.')[0];
  const expires = Number((await app.db('sessions').where({ sid }).first()).expires_at);
  await cached(t, app, owner, '/account'); // the read above is a SELECT: the row stays cached
  ahead = expires + 1 - realNow();
  const res = await owner.get('/account');
  t.equal(res.statusCode, 303, 'the stored expiry is checked on every request, hit or miss');
});
