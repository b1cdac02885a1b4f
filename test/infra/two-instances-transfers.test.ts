// Two app instances on one database (PostgreSQL when DATABASE_URL is set, else one SQLite file) take
// racing withdrawals from the same account: the ledger stays exact — no overdraft, no lost or duplicated posting.
import t from 'tap';
import { sharedDatabaseInstances } from '../helpers/instances';
import { HONG, userToken } from '../helpers/testbed';
import { bankTranId, COLLECTING, tranDtime, withdrawBody } from '../helpers/testbed-services';

t.setTimeout(300_000);

t.test('concurrent withdrawals through two instances never overdraw and keep the ledger exact', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const a = await instances.start();
  const b = await instances.start();
  const token = await userToken(a, { userSeqNo: HONG.userSeqNo });
  const db = a.db;
  const fin = await db('testbed_fintech_accounts as f')
    .join('bank_accounts as acc', 'acc.id', 'f.bank_account_id')
    .where({ 'acc.account_num': '1101230000685' })
    .first('f.fintech_use_num');
  t.ok(fin, 'the nearly empty account is registered');
  const before = await a.services.ledger.findAccountByNumber('097', '1101230000685');
  const collectingBefore = await a.services.ledger.findAccountByNumber('097', COLLECTING);
  t.equal(before!.balance, 3000, 'it holds 3,000 KRW');

  const calls = Array.from({ length: 12 }, (_, i) =>
    (i % 2 === 0 ? a : b).inject({
      method: 'POST',
      url: '/v2.0/transfer/withdraw/fin_num',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
      payload: withdrawBody(fin.fintech_use_num, {
        bank_tran_id: bankTranId(),
        tran_amt: '1000',
        tran_dtime: tranDtime(),
      }),
    }),
  );
  const bodies = (await Promise.all(calls)).map((r) => r.json() as { rsp_code: string; bank_rsp_code?: string });
  const ok = bodies.filter((x) => x.rsp_code === 'A0000').length;
  const refused = bodies.filter((x) => x.rsp_code === 'A0002' && x.bank_rsp_code === '453').length;
  t.equal(ok, 3, 'exactly three 1,000 KRW withdrawals fit into 3,000 KRW');
  t.equal(refused, 9, 'the rest are refused for insufficient funds');

  const after = await b.services.ledger.findAccountByNumber('097', '1101230000685');
  const collectingAfter = await b.services.ledger.findAccountByNumber('097', COLLECTING);
  t.equal(after!.balance, 0, 'the account is empty, never negative');
  t.equal(
    collectingAfter!.balance - collectingBefore!.balance,
    3000,
    'the collection account received exactly what left',
  );
  const check = await b.services.ledger.verifyBalances();
  t.same(
    {
      ok: check.ok,
      totalDrift: check.totalDrift,
      mismatches: check.mismatches,
      unbalanced: check.unbalancedTransactions,
    },
    { ok: true, totalDrift: 0, mismatches: [], unbalanced: [] },
    'cached balances equal the postings; nothing appeared or vanished',
  );
});
