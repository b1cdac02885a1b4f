// The driver patches (src/db/sqlite-driver-patches.ts) rely on internals of knex and node-sqlite3: this
// file pins the versions they were verified against and checks on the application's own connection that
// each patch is in effect (statement reuse, BEGIN IMMEDIATE, the answered COMMIT, close, the reader).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import sqlite3 from 'sqlite3';
import type { Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { literalLimit, readerOf, VERIFIED_AGAINST } from '../../src/db/sqlite-driver-patches';
import { writeAndCommit } from '../../src/db/write-and-commit';

const PATCHES = 'src/db/sqlite-driver-patches.ts';

t.test('the installed knex and sqlite3 are the versions the driver patches were verified against', async (t) => {
  for (const name of ['knex', 'sqlite3'] as const) {
    const installed = (
      JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }
    ).version;
    t.equal(
      installed,
      VERIFIED_AGAINST[name],
      `${name} ${installed} is installed but the driver patches were verified against ${name} ${VERIFIED_AGAINST[name]}: ` +
        `re-verify the patches in ${PATCHES} (each one listed in its header, with the internal it relies on), ` +
        'run test/db/*.test.ts, then update VERIFIED_AGAINST',
    );
  }
});

function tempDb(t: { teardown: (fn: () => unknown) => void }): { db: Knex; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-patches-'));
  const file = path.join(dir, 'db.sqlite');
  const db = createDb(`sqlite:${file}`);
  t.teardown(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, file };
}

/** The application's one SQLite connection, with prepare() counted per SQL text from now on. */
async function countPrepares(db: Knex): Promise<Map<string, number>> {
  const conn = (await db.client.acquireConnection()) as Record<'prepare', (...a: unknown[]) => unknown>;
  await db.client.releaseConnection(conn);
  const counts = new Map<string, number>();
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (...a: unknown[]) => {
    counts.set(String(a[0]), (counts.get(String(a[0])) ?? 0) + 1);
    return prepare(...a);
  };
  return counts;
}

const settle = () => new Promise((r) => setTimeout(r, 100));

async function openOther(t: { teardown: (fn: () => unknown) => void }, file: string): Promise<sqlite3.Database> {
  const other = new sqlite3.Database(file);
  t.teardown(() => new Promise<void>((r) => other.close(() => r())));
  await new Promise<void>((r, j) => other.run('PRAGMA busy_timeout = 0', (e) => (e ? j(e) : r())));
  return other;
}

const write = (other: sqlite3.Database, k: string) =>
  new Promise<string>((resolve) =>
    other.run('INSERT INTO kv (k, v) VALUES (?, ?)', [k, 0], (err) => resolve(err ? err.message : 'written')),
  );

t.test('P1: a repeated query on the app connection reuses one prepared statement', async (t) => {
  const { db } = tempDb(t);
  await db.schema.createTable('kv', (tb) => {
    tb.string('k').primary();
    tb.integer('v');
  });
  const prepares = await countPrepares(db);
  for (let i = 0; i < 5; i++) {
    await db('kv').insert({ k: `k${i}`, v: i });
    if (i === 0) await settle(); // the reusable statement is prepared alongside the first run
  }
  const insert = [...prepares.keys()].find((sql) => sql.startsWith('insert into `kv`'));
  t.ok(insert, 'the INSERT was prepared for reuse');
  t.equal(prepares.get(insert!), 1, 'once, though it ran five times');
  t.same(
    (await db('kv').orderBy('k').select('v')).map((r) => r.v),
    [0, 1, 2, 3, 4],
    'and every run wrote its own values',
  );
});

t.test(
  'P7: a trailing LIMIT binding is written into the text, so the reused statement is never re-planned',
  async (t) => {
    const { db } = tempDb(t);
    await db.schema.createTable('kv', (tb) => {
      tb.string('k').primary();
      tb.integer('v');
    });
    for (let i = 0; i < 6; i++) await db('kv').insert({ k: `k${i}`, v: i });
    const prepares = await countPrepares(db);
    for (let i = 0; i < 5; i++) {
      t.equal(
        (
          await db('kv')
            .where({ k: `k${i}` })
            .first()
        )?.v,
        i,
        `first() finds k${i}`,
      );
      if (i === 0) await settle();
    }
    const first = [...prepares.keys()].filter((sql) => sql.startsWith('select * from `kv` where `k` = ?'));
    t.same(first, ['select * from `kv` where `k` = ? limit 1'], 'prepared once, with the limit written in');
    t.same(
      (await db('kv').orderBy('k').limit(2).offset(3).select('v')).map((r) => r.v),
      [3, 4],
      'a limit with an offset keeps the offset as a parameter and the right rows',
    );
    t.same(
      (await db('kv').orderBy('k').offset(4).select('v')).map((r) => r.v),
      [4, 5],
      'an offset alone (limit -1) too',
    );
    t.same(literalLimit('select 1 from t where a = ? limit ?', ['x', 20]), {
      sql: 'select 1 from t where a = ? limit 20',
      params: ['x'],
    });
    t.same(literalLimit('select 1 from t limit ? offset ?', [5, 40]), {
      sql: 'select 1 from t limit 5 offset ?',
      params: [40],
    });
    for (const [sql, params] of [
      ['select 1 from t limit ?', [-1]],
      ['select 1 from t limit ?', [1001]],
      ['select 1 from t limit ?', ['3']],
      ['select 1 from (select a from t limit ?) where a = ?', [3, 'x']],
    ] as const)
      t.same(literalLimit(sql, params), { sql, params }, `left as it is: ${sql} ${JSON.stringify(params)}`);
  },
);

t.test("P3: knex's BEGIN takes the write lock at once (BEGIN IMMEDIATE on the connection)", async (t) => {
  const { db, file } = tempDb(t);
  await db.schema.createTable('kv', (tb) => {
    tb.string('k').primary();
    tb.integer('v');
  });
  const other = await openOther(t, file);
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
  await db.transaction(async (trx) => {
    await trx.raw('SELECT 1');
    t.match(await write(other, 'x'), /SQLITE_BUSY/, 'a transaction that has only read already locks out a writer');
  });
  t.equal(sent[0], 'BEGIN;', 'knex itself sends a plain BEGIN; the connection rewrites it');
  t.equal(await write(other, 'y'), 'written', 'the lock ends with the transaction');
});

t.test('P4: the COMMIT answered without running leaves the batch committed, on disk, once', async (t) => {
  const { db, file } = tempDb(t);
  await db.schema.createTable('kv', (tb) => {
    tb.string('k').primary();
    tb.integer('v');
  });
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
  await db.transaction(async (trx) => {
    await trx('kv').insert({ k: 'a', v: 1 });
    await writeAndCommit(trx, [{ sql: 'INSERT INTO kv (k, v) VALUES (?, ?)', bindings: ['b', 2] }]);
  });
  t.same(
    sent.filter((q) => /^(BEGIN|COMMIT|ROLLBACK)/i.test(q)),
    ['BEGIN;', 'COMMIT;'],
    'knex ended the transaction with its own COMMIT (answered by the connection), no ROLLBACK',
  );
  t.notOk(
    sent.some((q) => q.startsWith('INSERT INTO kv')),
    "the batch's statement went with the COMMIT as one exec, not through knex",
  );
  const other = await openOther(t, file);
  const rows = await new Promise<unknown[]>((r, j) =>
    other.all('SELECT k, v FROM kv ORDER BY k', (e, rows) => (e ? j(e) : r(rows))),
  );
  t.same(
    rows,
    [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ],
    'another connection reads both rows: they were committed',
  );
  t.equal(await write(other, 'c'), 'written', 'and no transaction was left open holding the lock');
  await db.transaction(async (trx) => {
    await trx('kv').insert({ k: 'd', v: 4 });
  });
  t.equal((await db('kv').count({ n: '*' }).first())?.n, 4, 'the next transaction runs and commits normally');
});

t.test('P2, P5, P6: the reader is a separate read-only connection, and destroy closes both', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-patches-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = createDb(`sqlite:${path.join(dir, 'db.sqlite')}`);
  await db.schema.createTable('kv', (tb) => {
    tb.string('k').primary();
  });
  await db('kv').insert({ k: 'a' });
  const reader = readerOf(db);
  t.not(reader, db, 'a file database has a reader of its own');
  t.same(await reader('kv').select('k'), [{ k: 'a' }], 'it reads committed rows');
  await t.rejects(reader('kv').insert({ k: 'b' }), /readonly|query_only|attempt to write/i, 'it cannot write');
  for (let i = 0; i < 3; i++) await db('kv').where({ k: 'a' }).first(); // statements cached on both connections
  await t.resolves(db.destroy(), 'destroy closes the main connection with its cached statements, and the reader');
  await t.rejects(reader('kv').select('k'), 'a reader asked for after destroy does not open a new connection');
});

t.test('both SQLite connections get the page cache SQLITE_CACHE_MIB asks for (16 MiB unless told)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-cache-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cacheOf = async (k: Knex) => Number(Object.values(((await k.raw('PRAGMA cache_size')) as object[])[0]!)[0]);
  for (const [asked, kib] of [
    [undefined, -16 * 1024],
    [48, -48 * 1024],
  ] as const) {
    const db = createDb(`sqlite:${path.join(dir, `db-${asked ?? 'default'}.sqlite`)}`, { sqliteCacheMiB: asked });
    t.equal(await cacheOf(db), kib, `writer: ${asked ?? 'default'} MiB`);
    t.equal(await cacheOf(readerOf(db)), kib, `reader: ${asked ?? 'default'} MiB`);
    await db.destroy();
  }
});
