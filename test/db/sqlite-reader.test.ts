// A SQLite file database has a second, read-only connection for reads that need no transaction
// (src/db/knex.ts readerOf): it must see every committed write at once, never an uncommitted one, never
// write, and close with the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { createDb, readerOf } from '../../src/db/knex';
import { sharedDatabaseInstances } from '../helpers/instances';
import { HONG, bankTranId, userToken } from '../helpers/testbed';
import { tranDtime, withdrawBody } from '../helpers/testbed-services';

function tempFile(t: { teardown: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'db.sqlite');
}

t.test('the reader sees a write as soon as it commits, and nothing uncommitted', async (t) => {
  const db = createDb(`sqlite:${tempFile(t)}`);
  t.teardown(() => db.destroy());
  await db.schema.createTable('kv', (tb) => {
    tb.string('k').primary();
    tb.integer('v');
  });
  const reader = readerOf(db);
  t.not(reader, db, 'a file database has its own reader');
  await db('kv').insert({ k: 'a', v: 1 });
  t.same(await reader('kv').select('k', 'v'), [{ k: 'a', v: 1 }], 'committed: visible at once');
  await db.transaction(async (trx) => {
    await trx('kv').where({ k: 'a' }).update({ v: 2 });
    t.same(
      await reader('kv').select('v'),
      [{ v: 1 }],
      'inside an open transaction: the reader still sees the committed value',
    );
  });
  t.same(await reader('kv').select('v'), [{ v: 2 }], 'after the commit: the new value');
  await t.rejects(
    reader('kv').insert({ k: 'b', v: 3 }),
    /readonly|read-only|query_only|attempt to write/i,
    'the reader cannot write',
  );
  t.same(await db('kv').count({ n: '*' }).first(), { n: 1 }, 'and wrote nothing');
});

t.test('an in-memory database reads on its one connection', async (t) => {
  const db = createDb('sqlite::memory:');
  t.teardown(() => db.destroy());
  t.equal(readerOf(db), db);
});

t.test('destroying the database closes its reader too', async (t) => {
  const db = createDb(`sqlite:${tempFile(t)}`);
  await db.schema.createTable('x', (tb) => {
    tb.integer('n');
  });
  const reader = readerOf(db);
  await reader('x').select('n');
  await db.destroy();
  await t.rejects(reader('x').select('n'), 'a closed reader refuses queries instead of leaking a connection');
});

t.test('on a database file, a balance read right after a withdrawal shows the new balance', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const app = await instances.start();
  const token = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fin = (
    await app
      .db('testbed_fintech_accounts as f')
      .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
      .where({ 'a.account_num': HONG.accounts[0]!.accountNum })
      .first('f.fintech_use_num')
  ).fintech_use_num as string;
  const headers = { authorization: `Bearer ${token}` };
  const balance = async () =>
    (
      await app.inject({
        url: `/v2.0/account/balance/fin_num?bank_tran_id=${bankTranId()}&fintech_use_num=${fin}&tran_dtime=${tranDtime()}`,
        headers,
      })
    ).json();
  const before = Number((await balance()).balance_amt);
  for (let i = 1; i <= 5; i++) {
    const w = (
      await app.inject({
        method: 'POST',
        url: '/v2.0/transfer/withdraw/fin_num',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: withdrawBody(fin, { tran_amt: '1000' }),
      })
    ).json();
    t.equal(w.rsp_code, 'A0000');
    t.equal(Number((await balance()).balance_amt), before - i * 1000, `after withdrawal ${i}`);
  }
});
