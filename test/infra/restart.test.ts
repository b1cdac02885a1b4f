// The database outlives the process: starting again migrates nothing new, loads no demo data twice and
// loses nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { Browser, signUp } from '../helpers/build';
import { sharedDatabaseInstances } from '../helpers/instances';

t.test('a second start keeps existing data', async (t) => {
  t.test('on a SQLite file opened from DATABASE_URL, as npm start does', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-restart-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        DATABASE_URL: `sqlite:${path.join(dir, 'data', 'portal.sqlite')}`,
        SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      } as NodeJS.ProcessEnv,
      { loadDemoData: true },
    );

    const first = await buildApp({ config });
    await first.ready();
    const usersAfterFirst = await first.db('users').count({ n: '*' }).first();
    t.ok(Number(usersAfterFirst?.n) > 0, 'the first start loads the demo data');
    await signUp(first, { email: 'kept@fin.example', password: 'kept-password-1' });
    const migrated = await first.db('knex_migrations').count({ n: '*' }).first();
    await first.close();

    const second = await buildApp({ config });
    t.teardown(() => second.close());
    await second.ready();
    t.equal(
      Number((await second.db('users').count({ n: '*' }).first())?.n),
      Number(usersAfterFirst?.n) + 1,
      'the user signed up before the restart is still there and the demo data was not loaded again',
    );
    t.equal(
      Number((await second.db('knex_migrations').count({ n: '*' }).first())?.n),
      Number(migrated?.n),
      'no migration ran twice',
    );
    const b = new Browser(second);
    await b.login('kept@fin.example', 'kept-password-1');
    t.equal((await b.get('/account')).statusCode, 200, 'the user can sign in after the restart');
  });

  t.test('on the database under test (PostgreSQL when DATABASE_URL says so)', async (t) => {
    const instances = await sharedDatabaseInstances(t, { demo: true });
    const first = await instances.start();
    await signUp(first, { email: 'kept@fin.example', password: 'kept-password-1' });
    const before = Number((await first.db('users').count({ n: '*' }).first())?.n);
    await first.close();
    const second = await instances.start();
    t.equal(Number((await second.db('users').count({ n: '*' }).first())?.n), before);
    const b = new Browser(second);
    await b.login('kept@fin.example', 'kept-password-1');
    t.equal((await b.get('/account')).statusCode, 200);
  });
});
