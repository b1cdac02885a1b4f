import t from 'tap';
import { build, Browser } from '../helpers/build';
import { sqlDuring } from '../helpers/sql-during';
import { stopCacheClock } from '../helpers/cache-clock';
import { SESSION_RECHECK_MS } from '../../src/http/session-row-cache';

const badge = (html: string) => /<span class="badge">(\d+)<\/span>/.exec(html)?.[1] ?? null;

t.test(
  'a signed-in page reads the database at most once before its handler: the session, its user and the unread count in one query, none again within SESSION_RECHECK_MS',
  async (t) => {
    const clock = stopCacheClock(t);
    const app = await build(t, { demo: true });
    const staff = new Browser(app);
    await staff.login('reviewer@portal.example');
    await staff.get('/docs'); // the first view after signing in may slide the session's expiry (a write)
    // /docs and the portal's 404 page run every page hook, and their handlers read nothing: what they issue is
    // what comes before the handler. The header still shows the unread count, so it was read with the user.
    for (const url of ['/docs', '/docs?lang=en', '/no-such-page']) {
      clock.pass(SESSION_RECHECK_MS); // the session row read before has aged out of the cache
      let status = 0;
      let body = '';
      const queries = await sqlDuring(app, async () => {
        const res = await staff.get(url);
        status = res.statusCode;
        body = res.body;
      });
      t.equal(status, url === '/no-such-page' ? 404 : 200, `${url} answers`);
      t.equal(queries.length, 1, `${url}: one query before the handler`);
      t.match(queries[0], /from [`"]sessions[`"]/, 'the session');
      t.match(queries[0], /join [`"]users[`"]/, 'with its user');
      t.match(queries[0], /from [`"]notifications[`"]/, 'and the unread count');
      t.match(body, '/logout', 'the page is rendered signed in');
      const again = await sqlDuring(app, () => staff.get(url));
      t.equal(again.length, 0, `${url} again within the bound: the session row comes from memory`);
    }
  },
);

t.test(
  'the header count is fresh on every page of the instance that changed it: a new notification shows at once, reading clears it',
  async (t) => {
    const app = await build(t, { demo: true });
    const staff = new Browser(app);
    await staff.login('reviewer@portal.example');
    await staff.post('/notifications/read-all', {}, { formUrl: '/notifications' });
    t.equal(badge((await staff.get('/staff')).body), null, 'nothing unread: no badge');
    await app.services.notifications.notify(
      { staffRole: 'reviewer' },
      { messageKey: 'notifications.messages.live', params: { reference: 'OB-2026-000001' }, link: '/staff' },
    );
    t.equal(badge((await staff.get('/staff')).body), '1', 'the next page counts the new notification');
    t.equal(badge((await staff.get('/docs')).body), '1', 'on every page');
    await staff.post('/notifications/read-all', {}, { formUrl: '/notifications' });
    t.equal(badge((await staff.get('/staff')).body), null, 'read: the badge goes');
  },
);

t.test(
  'a change to the user through the instance shows on its next request: a role change on the next page, a deactivation signs out at once',
  async (t) => {
    const app = await build(t, { demo: true });
    const staff = new Browser(app);
    await staff.login('reviewer@portal.example');
    const id = (await app.db('users').where({ email: 'reviewer@portal.example' }).first()).id;
    t.notMatch((await staff.get('/staff')).body, 'href="/admin"', 'a reviewer has no admin link');
    // Written by SQL, not through a service, so no session is ended: the session-row cache is emptied by the
    // write itself (another instance's write is seen within SESSION_RECHECK_MS: test/http/session-row-cache.test.ts).
    await app.db('users').where({ id }).update({ staff_role: 'admin' });
    t.match((await staff.get('/staff')).body, 'href="/admin"', 'the new role on the very next page');
    await app.db('users').where({ id }).update({ disabled: true });
    const res = await staff.get('/staff');
    t.equal(res.statusCode, 303, 'deactivated: the very next request is signed out');
    t.match(String(res.headers.location), /^\/login/);
    await app.db('users').where({ id }).update({ disabled: false });
    t.equal((await staff.get('/staff')).statusCode, 303, 'and the session stays ended');
  },
);
