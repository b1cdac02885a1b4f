// Concurrent calls share database round trips (src/db/batcher.ts): withdrawals arriving together are
// decided and written in one transaction, inquiries' bank_tran_id claims in one insert. Batching must
// never change an answer: duplicates are still caught, limits and balances still hold, and one faulty
// request never fails the others.
import t from 'tap';
import { HONG, bankTranId, sandbox, tranDtime, withdrawBody, type Body } from '../../helpers/testbed-services';

const HONG_MAIN = HONG.accounts[0]!.accountNum; // 097 1101230000678, 3,000,000
const W = '/v2.0/transfer/withdraw/fin_num';
const B = '/v2.0/account/balance/fin_num';

t.test('batched service calls', async (t) => {
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG_MAIN);
  t.equal((await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '100' }))).rsp_code, 'A0000', 'warm-up');

  await t.test(
    'ten concurrent withdrawals share transactions: fewer statements than one transaction each',
    async (t) => {
      const statements: string[] = [];
      const listen = (q: { sql: string }) => statements.push(q.sql);
      sb.app.db.on('query', listen);
      const before = await sb.balanceOf('097', HONG_MAIN);
      let results: Body[];
      try {
        results = await Promise.all(
          Array.from({ length: 10 }, () => sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '1000' }))),
        );
      } finally {
        sb.app.db.removeListener('query', listen);
      }
      t.same(
        results.map((r) => r.rsp_code),
        Array(10).fill('A0000'),
      );
      t.equal(await sb.balanceOf('097', HONG_MAIN), before - 10_000, 'all ten moved, once each');
      const txInserts = statements.filter((s) => /^insert into .transactions./i.test(s)).length;
      t.ok(txInserts < 10, `the transaction rows went in ${txInserts} insert(s), not one per withdrawal`);
      const limits = results.map((r) => Number(r.wd_limit_remain_amt)).sort((a, b) => b - a);
      t.same(
        limits.slice(1).map((l, i) => limits[i]! - l),
        Array(9).fill(1000),
        'each saw the daily usage the earlier ones left: the remaining limits step down by 1,000',
      );
    },
  );

  await t.test('the same bank_tran_id twice in one batch moves money once; the second gets A0326', async (t) => {
    const before = await sb.balanceOf('097', HONG_MAIN);
    const body = withdrawBody(fin, { tran_amt: '700', bank_tran_id: bankTranId() });
    const [a, b] = await Promise.all([sb.post(W, sb.hong, body), sb.post(W, sb.hong, body)]);
    t.same([a.rsp_code, b.rsp_code].sort(), ['A0000', 'A0326']);
    t.equal(await sb.balanceOf('097', HONG_MAIN), before - 700);
  });

  await t.test('a batch that fails unexpectedly is retried one by one: only the faulty withdrawal fails', async (t) => {
    const repo = sb.app.services.ledger.repo;
    const original = repo.insertStatements;
    // A fault that strikes whenever the 3,333 KRW withdrawal's postings are written: the database refuses
    // a posting (NOT NULL) after the batch's transaction rows went in.
    repo.insertStatements = (run, transactions, postings) => {
      const statements = original(run, transactions, postings);
      if (!postings.some((r) => Math.abs(r.amount) === 3333)) return statements;
      return [
        statements[0]!,
        { sql: 'INSERT INTO postings (id) VALUES (?)', bindings: ['fault'] },
        ...statements.slice(1),
      ];
    };
    const before = await sb.balanceOf('097', HONG_MAIN);
    let results: Body[];
    try {
      results = await Promise.all(
        ['1000', '3333', '1000', '1000'].map((amt) => sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: amt }))),
      );
    } finally {
      repo.insertStatements = original;
    }
    t.same(
      results.map((r) => r.rsp_code),
      ['A0000', 'A0003', 'A0000', 'A0000'],
      'the others went through; the faulty one got an internal error, not a 500',
    );
    t.equal(await sb.balanceOf('097', HONG_MAIN), before - 3000);
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
  });

  await t.test(
    'concurrent inquiries with one bank_tran_id: exactly one is answered, the others get A0326',
    async (t) => {
      const id = bankTranId();
      const q = { bank_tran_id: id, fintech_use_num: fin, tran_dtime: tranDtime() };
      const results = await Promise.all(Array.from({ length: 5 }, () => sb.get(B, sb.hong, q)));
      t.same(results.map((r) => r.rsp_code).sort(), ['A0000', 'A0326', 'A0326', 'A0326', 'A0326']);
      const other = await sb.get(B, sb.hong, { ...q, bank_tran_id: bankTranId() });
      t.equal(other.rsp_code, 'A0000', 'and a fresh id still works');
    },
  );
});
