// selectRows (src/db/knex.ts): a lookup's rows come back exactly as the driver returns them, whichever way
// they travel (SQLite: each row as one JSON text unpacked in JS; PostgreSQL: as they are).
import t from 'tap';
import { rawRows, selectRows } from '../../src/db/knex';
import { createTestDb } from '../helpers/db';

t.test('selectRows gives the same rows as a plain raw SELECT: text, integers, reals, NULL', async (t) => {
  const { db, dispose } = await createTestDb();
  t.teardown(dispose);
  await db.schema.createTable('sel_rows', (tb) => {
    tb.string('k').primary();
    tb.string('name', 200);
    tb.bigInteger('amount');
    tb.double('ratio');
  });
  await db('sel_rows').insert([
    { k: 'a', name: 'O\'Brien "q" \\ 급여 🙂', amount: 9_007_199_254_740_991, ratio: 0.1 },
    { k: 'b', name: null, amount: -5, ratio: null },
    { k: 'c', name: '', amount: 0, ratio: -2.5e-8 },
  ]);
  const sql = 'SELECT s.k, s.name, s.amount, s.ratio FROM sel_rows s WHERE s.k IN (?, ?, ?) ORDER BY s.k';
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
  const got = await selectRows<Record<string, unknown>>(db, sql, ['a', 'b', 'c'], ['k', 'name', 'amount', 'ratio']);
  const plain = rawRows<Record<string, unknown>>(await db.raw(sql, ['a', 'b', 'c']));
  const byKey = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [r.k, r]));
  t.same(byKey(got), byKey(plain), 'every column of every row is what the driver returns for the plain query');
  t.equal(got.length, 3);
  const sqlite = !(process.env.DATABASE_URL ?? '').startsWith('postgres');
  t.equal(
    /json_array/.test(sent[0]!),
    sqlite,
    sqlite ? 'SQLite: rows packed as JSON' : 'PostgreSQL: the query as written',
  );
  t.same(await selectRows(db, sql, ['x', 'y', 'z'], ['k', 'name', 'amount', 'ratio']), [], 'no match: no rows');
});
