// The SQLite connection reuses prepared statements (src/db/sqlite-driver-patches.ts, P1): same answers as the
// driver's own path, errors still reported, and a broken statement never stays cached.
import t from 'tap';
import sqlite3 from 'sqlite3';
import { patchConnection } from '../../src/db/sqlite-driver-patches';
import { createDb } from '../../src/db/knex';

function call<T>(
  fn: (cb: (this: { lastID?: number; changes?: number }, err: Error | null, rows?: T) => void) => void,
): Promise<{ err: Error | null; rows?: T; ctx: { lastID?: number; changes?: number } }> {
  return new Promise((resolve) =>
    fn(function (err, rows) {
      resolve({ err, rows, ctx: { lastID: this?.lastID, changes: this?.changes } });
    }),
  );
}

/** Gives a statement being prepared alongside its first run (on the thread pool) time to finish. */
const settle = () => new Promise((r) => setTimeout(r, 100));

t.test("a data statement is prepared once and re-run with new values, giving the driver's results", async (t) => {
  const conn = new sqlite3.Database(':memory:');
  t.teardown(() => conn.close());
  // Count what reaches the driver's own all()/run() (a fresh statement each time) and its prepare().
  let driverRuns = 0;
  const loose = conn as unknown as Record<'all' | 'run' | 'prepare', (...a: unknown[]) => unknown>;
  for (const m of ['all', 'run'] as const) {
    const orig = loose[m]!.bind(conn);
    loose[m] = (...a: unknown[]) => {
      if (!/^CREATE/.test(String(a[0]))) driverRuns += 1;
      return orig(...a);
    };
  }
  let prepared = 0;
  const prepare = loose.prepare!.bind(conn);
  loose.prepare = (...a: unknown[]) => {
    prepared += 1;
    return prepare(...a);
  };
  patchConnection(conn);
  await call((cb) => conn.run('CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)', [], cb));
  t.equal(prepared, 0, "DDL takes the driver's own path");
  const first = await call((cb) => conn.run('INSERT INTO a (v) VALUES (?)', ['x'], cb));
  await settle(); // the reusable statement is prepared alongside the first run, on the thread pool
  const second = await call((cb) => conn.run('INSERT INTO a (v) VALUES (?)', ['y'], cb));
  t.same([first.ctx.lastID, second.ctx.lastID], [1, 2], 'run() reports lastID as the driver does');
  const upd = await call((cb) => conn.run('UPDATE a SET v = ? WHERE id >= ?', ['z', 1], cb));
  t.equal(upd.ctx.changes, 2, 'and changes');
  const rows1 = await call<{ v: string }[]>((cb) => conn.all('SELECT v FROM a WHERE id = ?', [1], cb));
  await settle();
  const rows2 = await call<{ v: string }[]>((cb) => conn.all('SELECT v FROM a WHERE id = ?', [2], cb));
  t.same([rows1.rows, rows2.rows], [[{ v: 'z' }], [{ v: 'z' }]]);
  t.equal(prepared, 3, 'three distinct statements prepared, each once, though run five times');
  t.equal(driverRuns, 3, 'only the first run of each went through the driver; the repeats used the prepared statement');
});

t.test('a statement that fails is reported and dropped from the cache', async (t) => {
  const conn = new sqlite3.Database(':memory:');
  t.teardown(() => conn.close());
  patchConnection(conn);
  const bad = await call((cb) => conn.all('SELECT nope FROM missing WHERE x = ?', [1], cb));
  t.match(bad.err?.message, /no such table/);
  await call((cb) => conn.run('CREATE TABLE missing (x INTEGER, nope TEXT)', [], cb));
  await call((cb) => conn.run('INSERT INTO missing VALUES (?, ?)', [1, 'now it works'], cb));
  const good = await call<{ nope: string }[]>((cb) => conn.all('SELECT nope FROM missing WHERE x = ?', [1], cb));
  t.equal(good.err, null, 'the same SQL is prepared afresh once the table exists');
  t.same(good.rows, [{ nope: 'now it works' }]);
  const dup = await call((cb) => conn.run('INSERT INTO missing VALUES (?, ?)', ['not a number', 1], cb));
  t.equal(dup.err, null, 'SQLite type affinity as usual');
});

t.test("the application's SQLite connection answers through the cache, transactions included", async (t) => {
  const db = createDb('sqlite::memory:');
  t.teardown(() => db.destroy());
  await db.schema.createTable('n', (tb) => {
    tb.increments('id');
    tb.integer('v');
  });
  await db('n').insert([{ v: 1 }, { v: 2 }]);
  await t.rejects(
    db.transaction(async (trx) => {
      await trx('n').insert({ v: 3 });
      throw new Error('roll back');
    }),
  );
  t.same(
    (await db('n').select('v').orderBy('id')).map((r) => r.v),
    [1, 2],
    'a rolled-back insert left nothing',
  );
  await db.transaction(async (trx) => {
    await trx('n').where({ v: 1 }).update({ v: 10 });
  });
  t.same(
    (await db('n').select('v').orderBy('id')).map((r) => r.v),
    [10, 2],
  );
});

t.test('BEGIN, COMMIT and ROLLBACK are prepared once and reused, and still commit and roll back', async (t) => {
  const conn = new sqlite3.Database(':memory:');
  t.teardown(() => conn.close());
  let driverRuns = 0;
  const loose = conn as unknown as Record<'all' | 'run', (...a: unknown[]) => unknown>;
  for (const m of ['all', 'run'] as const) {
    const orig = loose[m]!.bind(conn);
    loose[m] = (...a: unknown[]) => {
      if (/^(BEGIN|COMMIT|ROLLBACK)/.test(String(a[0]))) driverRuns += 1;
      return orig(...a);
    };
  }
  patchConnection(conn);
  await call((cb) => conn.run('CREATE TABLE c (v INTEGER)', [], cb));
  for (let i = 1; i <= 5; i++) {
    if (i === 3) {
      // BEGIN, COMMIT and ROLLBACK have each run once, through the driver, while their reusable
      // statements were prepared alongside (on the thread pool): give those a moment to finish, then count.
      await settle();
      t.equal(driverRuns, 3, 'the first BEGIN, COMMIT and ROLLBACK went through the driver');
      driverRuns = 0;
    }
    await call((cb) => conn.all('BEGIN;', [], cb));
    await call((cb) => conn.run('INSERT INTO c (v) VALUES (?)', [i], cb));
    const end = await call((cb) => conn.all(i % 2 ? 'COMMIT;' : 'ROLLBACK', [], cb));
    t.equal(end.err, null, `transaction ${i} ends without error`);
  }
  const rows = await call<{ v: number }[]>((cb) => conn.all('SELECT v FROM c ORDER BY v', [], cb));
  t.same(rows.rows, [{ v: 1 }, { v: 3 }, { v: 5 }], 'the committed inserts stay, the rolled-back ones are gone');
  t.equal(driverRuns, 0, 'the later ones reused the prepared statements');
  const outside = await call((cb) => conn.all('COMMIT;', [], cb));
  t.match(outside.err?.message, /no transaction is active/, 'a COMMIT with no transaction is still an error');
  const after = await call((cb) => conn.all('BEGIN;', [], cb));
  t.equal(after.err, null, 'and the cached statements keep working after it');
  await call((cb) => conn.all('ROLLBACK', [], cb));
});
