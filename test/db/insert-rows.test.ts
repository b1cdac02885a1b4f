// createRowInserter (src/db/insert-rows.ts): rows land exactly as given and in the order given, whichever
// path carries them (SQLite: one JSON value unpacked by json_each, or bound values for what JSON would not
// carry exactly; PostgreSQL: bound values).
import t from 'tap';
import { createRowInserter } from '../../src/db/insert-rows';
import { createTestDb } from '../helpers/db';

interface Row {
  id?: number;
  name: string | null;
  amount: number | null;
  ratio: number | null;
  flag?: boolean | null;
  at?: string | null;
}

/** The INSERT statements the inserter sent. */
function watch(db: Awaited<ReturnType<typeof withTable>>): string[] {
  const seen: string[] = [];
  db.on('query', (q: { sql: string }) => {
    if (/^insert/i.test(q.sql)) seen.push(q.sql);
  });
  return seen;
}
const sqlite = !(process.env.DATABASE_URL ?? '').startsWith('postgres');

async function withTable(t: { teardown: (fn: () => Promise<void>) => void }) {
  const { db, dispose } = await createTestDb();
  t.teardown(dispose);
  await db.schema.createTable('ins_rows', (tb) => {
    tb.increments('id');
    tb.string('name', 200);
    tb.bigInteger('amount');
    tb.double('ratio');
    tb.boolean('flag');
    tb.string('at', 40);
  });
  return db;
}

const insert = createRowInserter<Row>('ins_rows', ['name', 'amount', 'ratio', 'flag', 'at']);
const read = async (db: Awaited<ReturnType<typeof withTable>>) =>
  (await db('ins_rows').orderBy('id').select('id', 'name', 'amount', 'ratio', 'flag', 'at')).map(
    (r: Record<string, unknown>) => ({
      id: Number(r.id),
      name: r.name as string | null,
      amount: r.amount === null ? null : Number(r.amount),
      ratio: r.ratio as number | null,
      flag: r.flag === null ? null : Boolean(r.flag),
      at: r.at as string | null,
    }),
  );

t.test('every value comes back exactly as inserted: quotes, Korean, emoji, NULL, large integers, reals', async (t) => {
  const db = await withTable(t);
  const rows: Row[] = [
    {
      name: 'O\'Brien "quoted" \\ back; DROP TABLE ins_rows; --',
      amount: 9_007_199_254_740_991,
      ratio: 0.125,
      at: '2026-11-26T00:00:00.000Z',
    },
    { name: '급여 입금 (주)오픈뱅킹 🙂', amount: -1_250_000, ratio: -3.5e-7, at: null },
    { name: null, amount: null, ratio: null },
    { name: '', amount: 0, ratio: 1e21 },
  ];
  const sent = watch(db);
  await insert(db, rows);
  t.same(
    sent.map((q) => /json_each/.test(q)),
    [sqlite],
    sqlite ? 'SQLite: one statement, the rows as one JSON value' : 'PostgreSQL: bound values',
  );
  const got = await read(db);
  t.same(
    got.map((r) => r.name),
    rows.map((r) => r.name),
    'text',
  );
  t.same(
    got.map((r) => r.amount),
    rows.map((r) => r.amount),
    'integers, up to 2^53 - 1',
  );
  t.same(
    got.map((r) => r.ratio),
    rows.map((r) => r.ratio),
    'reals',
  );
  t.same(
    got.map((r) => r.at),
    rows.map((r) => r.at ?? null),
    'a missing key is NULL',
  );
  t.same(
    got.map((r) => r.id),
    [1, 2, 3, 4],
    'rows are inserted in the order given',
  );
  t.ok(await db.schema.hasTable('ins_rows'), 'a quote in a value is data, never SQL');
});

t.test('values JSON would not carry exactly still land exactly (booleans, lone surrogates)', async (t) => {
  const db = await withTable(t);
  const sent = watch(db);
  await insert(db, [
    { name: 'a', amount: 1, ratio: null, flag: true },
    { name: 'lone \ud800 surrogate', amount: 2, ratio: null, flag: false },
  ]);
  t.same(
    sent.map((q) => /json_each/.test(q)),
    [false],
    'these rows take the bound-values path',
  );
  const got = await read(db);
  t.same(
    got.map((r) => r.flag),
    [true, false],
    'booleans',
  );
  t.equal(got[1]!.name, 'lone \ufffd surrogate', 'a lone surrogate is stored as U+FFFD, as the driver binds it');
});

t.test('a large batch keeps its order across statements', async (t) => {
  const db = await withTable(t);
  const rows: Row[] = Array.from({ length: 1234 }, (_, i) => ({ name: `r${i}`, amount: i, ratio: i / 2 }));
  await insert(db, rows);
  const got = await read(db);
  t.equal(got.length, 1234);
  t.ok(
    got.every((r, i) => r.name === `r${i}` && r.amount === i && r.ratio === i / 2 && r.id === i + 1),
    'row i has id i + 1 and its own values',
  );
});
