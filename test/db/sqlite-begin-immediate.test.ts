// The main SQLite connection starts every transaction with BEGIN IMMEDIATE (src/db/sqlite-driver-patches.ts, P3):
// the write lock is taken at BEGIN, so a write transaction's statements may be sent in any order and a
// second process on the same file waits at its own BEGIN instead of failing to upgrade a read snapshot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import sqlite3 from 'sqlite3';
import { createDb } from '../../src/db/knex';

t.test('a transaction on the main connection holds the write lock from BEGIN, before its first write', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'begin-immediate-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'db.sqlite');
  const db = createDb(`sqlite:${file}`);
  t.teardown(() => db.destroy());
  await db.schema.createTable('kv', (tb) => {
    tb.string('k').primary();
    tb.integer('v');
  });
  const other = new sqlite3.Database(file);
  t.teardown(() => new Promise<void>((r) => other.close(() => r())));
  const tryWrite = () =>
    new Promise<string>((resolve) =>
      other.run('INSERT INTO kv (k, v) VALUES (?, ?)', [`o${Math.random()}`, 1], (err) =>
        resolve(err ? err.message : 'written'),
      ),
    );
  t.equal(await tryWrite(), 'written', 'outside a transaction, another connection writes at once');
  await db.transaction(async (trx) => {
    await trx.raw('SELECT count(*) AS n FROM kv'); // a read only: a deferred BEGIN would hold no write lock yet
    t.match(
      await tryWrite(),
      /SQLITE_BUSY|database is locked/,
      'inside it, before any write, another writer is refused once its busy timeout (the driver default, 1 s) runs out',
    );
  });
  t.equal(await tryWrite(), 'written', 'after COMMIT it writes again');
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
  await db.transaction(async (trx) => {
    await trx('kv').insert({ k: 'mine', v: 2 });
  });
  t.same(await db('kv').where({ k: 'mine' }).first('v'), { v: 2 }, 'transactions still commit');
  t.match(sent[0], /^BEGIN/i, 'knex still sends its own BEGIN (rewritten only on the connection)');
});
