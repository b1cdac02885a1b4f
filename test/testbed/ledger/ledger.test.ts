import t from 'tap';
import { build } from '../../helpers/build';
import { LedgerRefusal } from '../../../src/testbed/ledger/service';

const FIXED = new Date('2026-11-26T03:00:00Z');

t.test('an account opened with history ends at exactly the opening balance and its running balance never goes negative', async (t) => {
  const app = await build(t, { clock: () => FIXED });
  const { ledger } = app.services;
  for (const [num, amount] of [['1101239990001', 3_000_000], ['1101239990002', 3_000], ['1101239990003', 0]] as const) {
    const { id } = await ledger.openAccount({ bankCode: '097', accountNum: num, holderName: '홍길동', purpose: 'personal', openingBalance: amount, withHistory: true });
    t.equal(await ledger.balance(id), amount);
    const postings = await app.db('postings').where({ account_id: id }).orderBy('seq');
    t.ok(postings.length >= 1, 'has history');
    t.equal(Number(postings[postings.length - 1].balance_after), amount, 'last balance_after is the opening balance');
    t.ok(postings.every((p: { balance_after: number }) => Number(p.balance_after) >= 0), 'never negative');
    const sorted = [...postings].sort((a, b) => (a.tran_date + a.tran_time).localeCompare(b.tran_date + b.tran_time));
    t.same(sorted.map((p) => p.id), postings.map((p: { id: string }) => p.id), 'chronological');
  }
  t.ok(((await app.db('postings').select('print_content')) as { print_content: string }[]).some((p) => p.print_content === '급여'), 'salary appears');
  const v = await ledger.verifyBalances();
  t.ok(v.ok, JSON.stringify(v));
  t.equal(v.totalDrift, 0);
});

t.test('history is deterministic given the account number', async (t) => {
  const a = await build(t, { clock: () => FIXED });
  const b = await build(t, { clock: () => FIXED });
  const rows = [];
  for (const app of [a, b]) {
    const { id } = await app.services.ledger.openAccount({ bankCode: '097', accountNum: '1101239990009', holderName: '허균', purpose: 'personal', openingBalance: 1_000_000, withHistory: true });
    rows.push((await app.db('postings').where({ account_id: id }).orderBy('seq')).map((p: Record<string, unknown>) => [p.amount, p.print_content, p.tran_date, p.tran_time]));
  }
  t.same(rows[0], rows[1]);
});

t.test('a transfer without funds is refused and changes nothing', async (t) => {
  const app = await build(t, { clock: () => FIXED });
  const { ledger } = app.services;
  const a = await ledger.openAccount({ bankCode: '097', accountNum: '1101239990011', holderName: '홍길동', purpose: 'personal', openingBalance: 1000 });
  const b = await ledger.openAccount({ bankCode: '097', accountNum: '1101239990012', holderName: '허균', purpose: 'personal', openingBalance: 0 });
  const before = await app.db('postings').count({ n: '*' }).first();
  await t.rejects(ledger.transfer({ kind: 'withdraw', fromAccountId: a.id, toAccountId: b.id, amount: 1001, wdPrintContent: 'x', dpsPrintContent: 'y' }), LedgerRefusal);
  t.same(await app.db('postings').count({ n: '*' }).first(), before);
  t.equal(await ledger.balance(a.id), 1000);
  const r = await ledger.transfer({ kind: 'withdraw', fromAccountId: a.id, toAccountId: b.id, amount: 1000, wdPrintContent: 'x', dpsPrintContent: 'y' });
  t.equal(r.fromBalanceAfter, 0);
  t.equal(r.toBalanceAfter, 1000);
  t.ok((await ledger.verifyBalances()).ok);
});

t.test('racing transfers on one account never overdraw it nor lose a posting', async (t) => {
  const app = await build(t, { clock: () => FIXED });
  const { ledger } = app.services;
  const a = await ledger.openAccount({ bankCode: '097', accountNum: '1101239990021', holderName: '홍길동', purpose: 'personal', openingBalance: 10_000 });
  const b = await ledger.openAccount({ bankCode: '097', accountNum: '1101239990022', holderName: '허균', purpose: 'personal', openingBalance: 0 });
  const results = await Promise.allSettled(Array.from({ length: 40 }, () => ledger.transfer({ kind: 'withdraw', fromAccountId: a.id, toAccountId: b.id, amount: 1000, wdPrintContent: 'x', dpsPrintContent: 'y' })));
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  t.equal(await ledger.balance(a.id), 0);
  t.equal(await ledger.balance(b.id), 10_000);
  t.ok((await ledger.verifyBalances()).ok);
});

t.test('a sandbox reset restores the seed balance and status with new postings, never deleting any', async (t) => {
  const app = await build(t, { clock: () => FIXED });
  const { ledger } = app.services;
  const a = await ledger.openAccount({ bankCode: '097', accountNum: '1101239990031', holderName: '홍길동', purpose: 'personal', openingBalance: 5000 });
  const b = await ledger.openAccount({ bankCode: '097', accountNum: '1101239990032', holderName: '허균', purpose: 'personal', openingBalance: 0 });
  await ledger.transfer({ kind: 'withdraw', fromAccountId: a.id, toAccountId: b.id, amount: 2000, wdPrintContent: 'x', dpsPrintContent: 'y' });
  await ledger.topUp(b.id, 7000);
  await ledger.setStatus(a.id, 'closed');
  const count = Number((await app.db('postings').count({ n: '*' }).first())!.n);
  t.equal(await ledger.resetAccount(a.id), 2000);
  t.equal(await ledger.resetAccount(b.id), -9000);
  t.equal(await ledger.balance(a.id), 5000);
  t.equal(await ledger.balance(b.id), 0);
  t.equal((await ledger.findAccount(a.id))!.status, 'active');
  t.equal(Number((await app.db('postings').count({ n: '*' }).first())!.n), count + 4);
  t.ok((await ledger.verifyBalances()).ok);
});

t.test('the scenario accounts exist without demo data, in their documented states', async (t) => {
  const app = await build(t, { clock: () => FIXED });
  const { SCENARIO_ACCOUNTS } = await import('../../../src/testbed/scenarios/catalogue');
  for (const a of Object.values(SCENARIO_ACCOUNTS)) {
    const found = await app.services.ledger.findAccountByNumber(a.bankCode, a.accountNum);
    t.equal(found?.status, a.status, `${a.accountNum} is ${a.status}`);
  }
  t.ok((await app.services.ledger.verifyBalances()).ok);
});
