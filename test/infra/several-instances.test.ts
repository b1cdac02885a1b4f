// Several instances behind a load balancer share one database: sessions (and the CSRF secret inside
// them) live there, so any instance can serve any request; start-up is safe when they start together.
import crypto from 'node:crypto';
import t from 'tap';
import { buildApp } from '../../src/app';
import { DEMO_ORGS } from '../../src/demo-accounts';
import { Browser } from '../helpers/build';
import { sharedDatabaseInstances } from '../helpers/instances';

const onPostgres = Boolean(process.env.DATABASE_URL?.startsWith('postgres'));

/** A browser whose cookies (the session) are copied to another instance, as a load balancer would route it. */
function sameCookiesOn(from: Browser, app: Browser['app']): Browser {
  const b = new Browser(app);
  for (const [k, v] of from.cookies) b.cookies.set(k, v);
  return b;
}

t.test('a session made on one instance is valid on another sharing the database', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const a = await instances.start();
  const b = await instances.start();

  const onA = new Browser(a);
  await onA.login(DEMO_ORGS.demoFintech.owner);
  const onB = sameCookiesOn(onA, b);
  const account = await onB.get('/account');
  t.equal(account.statusCode, 200, 'instance B knows the session made on instance A');
  t.match(account.body, DEMO_ORGS.demoFintech.ownerName, "and shows the signed-in user's name");

  const stranger = await buildApp({
    config: { ...instances.config, sessionSecret: crypto.randomBytes(32).toString('hex') },
    db: instances.shared.open(),
  });
  t.teardown(() => stranger.close());
  t.equal(
    (await sameCookiesOn(onA, stranger).get('/account')).statusCode,
    303,
    'an instance with another SESSION_SECRET does not accept it: the secret must be shared',
  );

  const logout = await onB.post('/logout', {}, { formUrl: '/account' });
  t.equal(logout.statusCode, 303, 'a form rendered by B posts with the CSRF secret from the shared session');
  const afterLogout = await onA.get('/account');
  t.equal(afterLogout.statusCode, 303, 'signing out on B ends the session on A too');
  t.match(String(afterLogout.headers.location), /^\/login/);
});

t.test('a form rendered by one instance can be posted to another', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const a = await instances.start();
  const b = await instances.start();
  const onA = new Browser(a);
  await onA.login(DEMO_ORGS.demoFintech.owner);
  const token = await onA.csrfToken('/account');
  const onB = sameCookiesOn(onA, b);
  const res = await onB.post('/logout', { _csrf: token }, { csrf: false });
  t.equal(res.statusCode, 303, 'B accepts the CSRF token A rendered');
});

t.test(
  'instances starting at the same time on an empty database all come up',
  {
    skip: !onPostgres && 'several instances share PostgreSQL; a SQLite file serves one instance',
  },
  async (t) => {
    const instances = await sharedDatabaseInstances(t, { demo: true });
    const started = await Promise.allSettled([instances.start(), instances.start(), instances.start()]);
    t.same(
      started.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
      'every instance started',
    );
    const db = instances.shared.open();
    const reference = await (await sharedDatabaseInstances(t, { demo: true })).start(); // one instance, alone
    t.equal(
      Number((await db('users').count({ n: '*' }).first())?.n),
      Number((await reference.db('users').count({ n: '*' }).first())?.n),
      'the demo data was loaded exactly once',
    );
    t.equal(
      Number((await db('knex_migrations_lock').count({ n: '*' }).first())?.n),
      1,
      "knex's lock table has its single row",
    );
    t.equal(
      Number((await db('knex_migrations_lock').where({ is_locked: 1 }).count({ n: '*' }).first())?.n),
      0,
      'and is unlocked',
    );
  },
);
