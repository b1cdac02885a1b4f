import t from 'tap';
import { build } from '../helpers/build';
import { manualClock } from '../helpers/workflow';
import { sqlDuring } from '../helpers/sql-during';
import { SESSION_REFRESH_MS } from '../../src/http/security';

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

/** The SQL statements that change data while `fn` runs. */
async function writesDuring(app: Awaited<ReturnType<typeof build>>, fn: () => Promise<unknown>): Promise<string[]> {
  return (await sqlDuring(app, fn)).filter((sql) => WRITE.test(sql));
}

t.test('a signed-in page view writes nothing to the database unless the session changed', async (t) => {
  const clock = manualClock('2026-12-04T01:00:00.000Z');
  const app = await build(t, { demo: true, clock });
  const { Browser } = await import('../helpers/build');
  const staff = new Browser(app);
  await staff.login('reviewer@portal.example', 'demo-password-1');
  await staff.get('/staff'); // the first view after signing in may slide the expiry once
  const writes = await writesDuring(app, async () => {
    for (const url of ['/staff', '/staff?stage=testing', '/notifications', '/docs', '/staff', '/account']) {
      const res = await staff.get(url);
      t.equal(res.statusCode, 200, `${url} answers`);
      t.notOk(res.headers['set-cookie'], `${url} re-sends no cookie`);
    }
  });
  t.same(writes, [], 'no INSERT, UPDATE or DELETE during six signed-in page views');

  const row = async () => app.db('sessions').whereNotNull('user_id').orderBy('expires_at', 'desc').first();
  const before = await row();
  clock.set(new Date(Date.now() + SESSION_REFRESH_MS + 1000).toISOString());
  const refreshed = await writesDuring(app, async () => {
    const res = await staff.get('/staff');
    t.match(String(res.headers['set-cookie']), /obp_sid=/, 'after the refresh interval the cookie is sent again');
  });
  t.equal(refreshed.length, 1, 'and the session is written once');
  const after = await row();
  t.ok(Number(after.expires_at) >= Number(before.expires_at), 'with an expiry no earlier than before');
  t.notSame(JSON.parse(after.data).refreshedAt, JSON.parse(before.data).refreshedAt, 'recording when it slid forward');
  t.same(await writesDuring(app, () => staff.get('/staff')), [], 'the next view writes nothing again');
});

t.test('a change to the session (a flash message, signing out) is still saved', async (t) => {
  const app = await build(t, { demo: true });
  const { Browser } = await import('../helpers/build');
  const owner = new Browser(app);
  await owner.login('owner@demo-fintech.example', 'demo-password-1');
  await owner.get('/applications');
  const lang = await owner.get('/applications?lang=en');
  t.match(lang.body, 'lang="en"');
  const out = await owner.post('/logout', {}, { formUrl: '/applications' });
  t.equal(out.statusCode, 303);
  const after = await owner.get('/applications');
  t.equal(after.statusCode, 303, 'signed out: the page sends to sign-in');
});

t.test(
  'static files and the health check skip the session: no database query at all, even with a session cookie',
  async (t) => {
    const app = await build(t, { demo: true });
    const { Browser } = await import('../helpers/build');
    const owner = new Browser(app);
    await owner.login('owner@demo-fintech.example', 'demo-password-1');
    const queries: string[] = [];
    const listener = (q: { sql: string }) => {
      queries.push(q.sql);
    };
    app.db.on('query', listener);
    try {
      for (const url of ['/public/app.css', '/public/copy.js', '/healthz']) {
        const res = await owner.get(url);
        t.equal(res.statusCode, 200, `${url} answers`);
        t.equal(res.headers['x-content-type-options'], 'nosniff', `${url} keeps the security headers`);
        t.notOk(res.headers['set-cookie'], `${url} sets no cookie`);
      }
    } finally {
      app.db.off('query', listener);
    }
    t.same(queries, [], 'not one query');
    const missing = await owner.get('/public/no-such.css');
    t.equal(missing.statusCode, 404);
    t.match(missing.body, '페이지를 찾을 수 없습니다', 'an unknown file is the portal’s 404 page');
  },
);
