// The ledger's invariants: balances move only through balanced postings, refusals write nothing, racing
// transfers never overdraw, resets compensate instead of deleting, and seeded history is realistic.
import t from 'tap';
import { build } from '../../helpers/build';
import { LedgerRefusal } from '../../../src/testbed/ledger/service';
import { planHistory } from '../../../src/testbed/ledger/account-history';
import { SCENARIO_ACCOUNTS } from '../../../src/testbed/scenarios/catalogue';

const FIXED = new Date('2026-11-26T03:00:00Z');

t.test(
  'planned history ends at exactly the opening balance and never goes negative, for many accounts and balances',
  async (t) => {
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const num = `11012399${String(i).padStart(5, '0')}`;
      const opening = [0, 1, 3_000, 999_999, 3_000_000, 12_500_000][i % 6]!;
      const plan = planHistory(num, opening, FIXED);
      if (plan.length === 0) {
        t.equal(opening, 0);
        continue;
      }
      if (plan[plan.length - 1]!.balanceAfter !== opening)
        t.fail(`${num}: ends at ${plan[plan.length - 1]!.balanceAfter}, not ${opening}`);
      let running = 0;
      for (const p of plan) {
        running += p.amount;
        if (running !== p.balanceAfter || running < 0)
          t.fail(`${num}: running balance ${running} vs ${p.balanceAfter}`);
      }
      if (plan.some((p, k) => k > 0 && p.at < plan[k - 1]!.at)) t.fail(`${num}: not chronological`);
      if (plan.some((p) => p.at > FIXED || p.at.getTime() < FIXED.getTime() - 130 * 86_400_000))
        t.fail(`${num}: outside the past ~4 months`);
      checked++;
    }
    t.ok(checked > 200);
    t.ok(
      planHistory('1101230000678', 3_000_000, FIXED).some((p) => p.printContent === '급여'),
      'salary appears',
    );
  },
);

t.test('history is deterministic given the account number', async (t) => {
  t.same(planHistory('1101239990009', 1_000_000, FIXED), planHistory('1101239990009', 1_000_000, FIXED));
  t.notSame(planHistory('1101239990009', 1_000_000, FIXED), planHistory('1101239990010', 1_000_000, FIXED));
});

t.test('the ledger on one database', async (t) => {
  const app = await build(t, { clock: () => FIXED });
  const { ledger } = app.services;
  const open = (num: string, amount: number, withHistory = false) =>
    ledger.openAccount({
      bankCode: '097',
      accountNum: num,
      holderName: '홍길동',
      purpose: 'personal',
      openingBalance: amount,
      withHistory,
    });

  await t.test('an account opened with history has postings ending at the opening balance', async (t) => {
    const { id } = await open('1101239990001', 3_000_000, true);
    t.equal(await ledger.balance(id), 3_000_000);
    const postings = await app.db('postings').where({ account_id: id }).orderBy('seq');
    t.ok(postings.length > 10, 'has history');
    t.equal(Number(postings[postings.length - 1].balance_after), 3_000_000);
    const v = await ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
    t.equal(v.totalDrift, 0);
  });

  await t.test('a transfer without funds is refused and changes nothing', async (t) => {
    const a = await open('1101239990011', 1000);
    const b = await open('1101239990012', 0);
    const before = await app.db('postings').count({ n: '*' }).first();
    await t.rejects(
      ledger.transfer({
        kind: 'withdraw',
        fromAccountId: a.id,
        toAccountId: b.id,
        amount: 1001,
        wdPrintContent: 'x',
        dpsPrintContent: 'y',
      }),
      LedgerRefusal,
    );
    t.same(await app.db('postings').count({ n: '*' }).first(), before);
    t.equal(await ledger.balance(a.id), 1000);
    const r = await ledger.transfer({
      kind: 'withdraw',
      fromAccountId: a.id,
      toAccountId: b.id,
      amount: 1000,
      wdPrintContent: 'x',
      dpsPrintContent: 'y',
    });
    t.equal(r.fromBalanceAfter, 0);
    t.equal(r.toBalanceAfter, 1000);
    t.ok((await ledger.verifyBalances()).ok);
  });

  await t.test('racing transfers on one account never overdraw it nor lose a posting', async (t) => {
    const a = await open('1101239990021', 10_000);
    const b = await open('1101239990022', 0);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        ledger.transfer({
          kind: 'withdraw',
          fromAccountId: a.id,
          toAccountId: b.id,
          amount: 1000,
          wdPrintContent: 'x',
          dpsPrintContent: 'y',
        }),
      ),
    );
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    t.ok(results.every((r) => r.status === 'fulfilled' || r.reason instanceof LedgerRefusal));
    t.equal(await ledger.balance(a.id), 0);
    t.equal(await ledger.balance(b.id), 10_000);
    t.equal(Number((await app.db('postings').where({ account_id: b.id }).count({ n: '*' }).first())!.n), 10);
    t.ok((await ledger.verifyBalances()).ok);
  });

  await t.test('transfers in opposite directions at once do not deadlock', async (t) => {
    const a = await open('1101239990041', 5_000);
    const b = await open('1101239990042', 5_000);
    const moves = Array.from({ length: 20 }, (_, i) =>
      ledger.transfer({
        kind: 'withdraw',
        fromAccountId: i % 2 ? a.id : b.id,
        toAccountId: i % 2 ? b.id : a.id,
        amount: 100,
        wdPrintContent: 'x',
        dpsPrintContent: 'y',
      }),
    );
    await Promise.all(moves);
    t.equal((await ledger.balance(a.id)) + (await ledger.balance(b.id)), 10_000);
  });

  await t.test(
    'a sandbox reset restores the seed balance and status with new postings, never deleting any',
    async (t) => {
      const a = await open('1101239990031', 5000);
      const b = await open('1101239990032', 0);
      await ledger.transfer({
        kind: 'withdraw',
        fromAccountId: a.id,
        toAccountId: b.id,
        amount: 2000,
        wdPrintContent: 'x',
        dpsPrintContent: 'y',
      });
      await ledger.topUp(b.id, 7000);
      await ledger.setStatus(a.id, 'closed');
      const count = Number((await app.db('postings').count({ n: '*' }).first())!.n);
      t.equal(await ledger.resetAccount(a.id), 2000);
      t.equal(await ledger.resetAccount(b.id), -9000);
      t.equal(await ledger.balance(a.id), 5000);
      t.equal(await ledger.balance(b.id), 0);
      t.equal((await ledger.findAccount(a.id))!.status, 'active');
      t.equal(Number((await app.db('postings').count({ n: '*' }).first())!.n), count + 4);
      const v = await ledger.verifyBalances();
      t.ok(v.ok, JSON.stringify(v));
      t.equal(v.customerTotal, v.mintedTotal, 'customer money changed only through documented mints');
    },
  );

  await t.test('verifyBalances detects a cached balance that drifted from its postings', async (t) => {
    const a = await open('1101239990051', 100);
    await app.db('bank_accounts').where({ id: a.id }).update({ balance: 101 });
    const v = await ledger.verifyBalances();
    t.notOk(v.ok);
    t.same(v.mismatches, [{ accountId: a.id, cached: 101, postings: 100 }]);
    await app.db('bank_accounts').where({ id: a.id }).update({ balance: 100 });
    t.ok((await ledger.verifyBalances()).ok);
  });

  await t.test('the scenario accounts exist without demo data, in their documented states', async (t) => {
    for (const a of Object.values(SCENARIO_ACCOUNTS)) {
      const found = await ledger.findAccountByNumber(a.bankCode, a.accountNum);
      t.equal(found?.status, a.status, `${a.accountNum} is ${a.status}`);
    }
  });
});
