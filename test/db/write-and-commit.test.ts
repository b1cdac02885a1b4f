// writeAndCommit (src/db/write-and-commit.ts): a write batch's statements and its COMMIT. On SQLite they
// run as one exec of one text, the values written as literals; whatever the path, the data lands exactly,
// in order, atomically, and a hostile value stays data.
import t from 'tap';
import { inlineStatement, sqlLiteral, writeAndCommit } from '../../src/db/write-and-commit';
import { createTestDb } from '../helpers/db';

const sqlite = !(process.env.DATABASE_URL ?? '').startsWith('postgres');

t.test(
  'literals: text with every quote doubled, numbers as written, NULL; no literal for what would not be exact',
  async (t) => {
    t.equal(sqlLiteral("it's"), "'it''s'");
    t.equal(sqlLiteral("'); DROP TABLE x; --"), "'''); DROP TABLE x; --'");
    t.equal(sqlLiteral('급여 🙂'), "'급여 🙂'");
    t.equal(sqlLiteral(-1250000), '-1250000');
    t.equal(sqlLiteral(0.5), '0.5');
    t.equal(sqlLiteral(null), 'NULL');
    t.equal(sqlLiteral(true), '1');
    t.equal(sqlLiteral('a\0b'), null, 'a NUL character: no literal');
    t.equal(sqlLiteral('\ud800'), null, 'a lone surrogate: no literal');
    t.equal(sqlLiteral(Number.NaN), null);
    t.equal(sqlLiteral(new Date()), null);
    t.equal(
      inlineStatement({ sql: 'INSERT INTO x VALUES (?, ?)', bindings: ["a'b", 2] }),
      "INSERT INTO x VALUES (('a''b'), (2))",
      'every literal in parentheses',
    );
    t.throws(
      () => inlineStatement({ sql: 'SELECT ?', bindings: [] }),
      /1 placeholders for 0 values/,
      'a placeholder count mismatch is a programming error',
    );
  },
);

async function setUp(t: { teardown: (fn: () => Promise<void>) => void }) {
  const { db, dispose } = await createTestDb();
  t.teardown(dispose);
  await db.schema.createTable('wac', (tb) => {
    tb.increments('id');
    tb.string('name', 200).unique();
    tb.bigInteger('amount');
  });
  return db;
}

t.test('the statements run in order and commit together; hostile text is stored as text', async (t) => {
  const db = await setUp(t);
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
  const names = ["O'Brien", "'); DELETE FROM wac; --", '급여 입금 🙂', 'x;y', ''];
  await db.transaction(async (trx) => {
    await trx('wac').insert({ name: 'before', amount: 1 });
    await writeAndCommit(trx, [
      ...names.map((name, i) => ({ sql: 'INSERT INTO wac (name, amount) VALUES (?, ?)', bindings: [name, i * 1000] })),
      { sql: 'UPDATE wac SET amount = amount + ? WHERE name = ?', bindings: [5, 'before'] },
    ]);
  });
  const rows = await db('wac').orderBy('id').select('name', 'amount');
  t.same(
    rows.map((r: { name: string }) => r.name),
    ['before', ...names],
    'every row, in order, the hostile ones as plain text',
  );
  t.same(
    rows.map((r: { amount: number | string }) => Number(r.amount)),
    [6, 0, 1000, 2000, 3000, 4000],
    'and the UPDATE after them',
  );
  t.equal(sent.filter((q) => /^COMMIT/i.test(q)).length, 1, 'knex still ends the transaction once');
  t.equal(
    sent.filter((q) => q.startsWith('INSERT INTO wac (name')).length,
    sqlite ? 0 : names.length,
    sqlite
      ? 'SQLite: the batch went as one exec, not statement by statement through knex'
      : 'PostgreSQL: statement by statement',
  );
});

t.test('a statement that fails rolls the whole transaction back: nothing before it in the batch stays', async (t) => {
  const db = await setUp(t);
  await t.rejects(
    db.transaction(async (trx) => {
      await trx('wac').insert({ name: 'earlier', amount: 1 });
      await writeAndCommit(trx, [
        { sql: 'INSERT INTO wac (name, amount) VALUES (?, ?)', bindings: ['first', 1] },
        { sql: 'INSERT INTO wac (name, amount) VALUES (?, ?)', bindings: ['first', 2] }, // unique name: fails
      ]);
    }),
    /unique|UNIQUE|duplicate/,
  );
  t.same(
    await db('wac').select('name'),
    [],
    'neither the earlier insert nor the first statement of the batch was committed',
  );
  await db.transaction(async (trx) => {
    await writeAndCommit(trx, [{ sql: 'INSERT INTO wac (name, amount) VALUES (?, ?)', bindings: ['after', 3] }]);
  });
  t.same(await db('wac').select('name'), [{ name: 'after' }], 'the connection works normally afterwards');
});

t.test('values with no exact literal take the ordinary path and land exactly', async (t) => {
  const db = await setUp(t);
  await db.transaction(async (trx) => {
    await writeAndCommit(trx, [{ sql: 'INSERT INTO wac (name, amount) VALUES (?, ?)', bindings: ['lone \ud800', 7] }]);
  });
  t.same(
    await db('wac')
      .select('name', 'amount')
      .then((r) => r.map((x: { name: string; amount: number | string }) => [x.name, Number(x.amount)])),
    [['lone \ufffd', 7]],
  );
  t.pass(sqlite ? "SQLite: bound values, then knex's COMMIT" : 'PostgreSQL: always bound values');
});

t.test(
  'the literal writer fails closed: a quote or a comment opener in the template sends it down the bound path',
  async (t) => {
    t.equal(
      inlineStatement({ sql: "SELECT '?', ?", bindings: [1] }),
      null,
      'a ? inside quotes is text, never a placeholder',
    );
    t.equal(inlineStatement({ sql: 'SELECT 1 /* ? */, ?', bindings: [1, 2] }), null, 'a block comment');
    t.equal(inlineStatement({ sql: 'SELECT 1 -- ?\n, ?', bindings: [1, 2] }), null, 'a line comment');
    t.equal(
      inlineStatement({ sql: 'UPDATE a SET b = b -?', bindings: [-5] }),
      'UPDATE a SET b = b -(-5)',
      'a negative number after a minus is not a comment',
    );
    const db = (await createTestDb()).db;
    t.teardown(() => db.destroy());
    await db.schema.createTable('trap', (tb) => {
      tb.integer('b');
      tb.string('s', 20);
    });
    await db('trap').insert({ b: 10, s: '' });
    await db.transaction(async (trx) => {
      await writeAndCommit(trx, [
        { sql: 'UPDATE trap SET b = b -?', bindings: [-5] },
        { sql: "UPDATE trap SET s = 'q' || ?", bindings: ['x'] },
      ]);
    });
    const row = await db('trap').first();
    t.equal(row.b, 15, 'b - (-5): the minus of a negative number, not a comment');
    t.equal(row.s, 'qx', 'a template with a quote runs with its value bound');
  },
);
