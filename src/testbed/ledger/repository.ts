// Knex queries for bank accounts, ledger transactions and postings. Every method takes a runner (the
// database or a transaction). Postings are only ever inserted, never updated or deleted.
import { forUpdateClause, placeholders, rawRows, sqlCache, type Runner } from '../../db/knex';
import { createRowInserter } from '../../db/insert-rows';
import type { SqlStatement } from '../../db/write-and-commit';

export type AccountPurpose = 'personal' | 'deposit_paying' | 'withdraw_collecting' | 'fee' | 'system';
export type AccountStatus = 'active' | 'closed' | 'suspended' | 'accident';

/** A bank account to open (ledger service openAccount; the sandbox worlds copy template accounts with it). */
export interface OpenAccountInput {
  bankCode: string;
  accountNum: string;
  holderName: string;
  holderInfo?: string | null;
  userSeqNo?: string | null;
  organizationId?: string | null;
  /** The sandbox world (see sandbox-worlds.ts); default: the organization's, or the template for none. */
  world?: string;
  purpose: AccountPurpose;
  productName?: string;
  status?: AccountStatus;
  openingBalance: number;
  withHistory?: boolean;
}

export interface BankAccount {
  id: string;
  bankCode: string;
  accountNum: string;
  holderName: string;
  holderInfo: string | null;
  userSeqNo: string | null;
  organizationId: string | null;
  /** The sandbox world: '' = the template (shared fixtures as seeded, the mint), else the organization's id. */
  world: string;
  purpose: AccountPurpose;
  accountType: string;
  productName: string;
  status: AccountStatus;
  balance: number;
  openingBalance: number;
  openingStatus: AccountStatus;
  openedAt: string;
}

export interface AccountRow {
  id: string;
  bank_code: string;
  account_num: string;
  account_holder_name: string;
  account_holder_info: string | null;
  user_seq_no: string | null;
  organization_id: string | null;
  world: string;
  purpose: string;
  account_type: string;
  product_name: string;
  status: string;
  balance: number | string;
  opening_balance: number | string;
  opening_status: string;
  opened_at: string;
  created_at: string;
}

export function accountFromRow(r: AccountRow): BankAccount {
  return {
    id: r.id,
    bankCode: r.bank_code,
    accountNum: r.account_num,
    holderName: r.account_holder_name,
    holderInfo: r.account_holder_info,
    userSeqNo: r.user_seq_no,
    organizationId: r.organization_id,
    world: r.world ?? '',
    purpose: r.purpose as AccountPurpose,
    accountType: r.account_type,
    productName: r.product_name,
    status: r.status as AccountStatus,
    balance: Number(r.balance),
    openingBalance: Number(r.opening_balance),
    openingStatus: r.opening_status as AccountStatus,
    openedAt: r.opened_at,
  };
}

export interface TransactionRow {
  id: string;
  kind: string;
  organization_id: string | null;
  user_seq_no: string | null;
  bank_tran_id: string | null;
  bank_tran_date: string | null;
  api_tran_id: string | null;
  status: string;
  amount: number | string;
  wd_account_id: string | null;
  dps_account_id: string | null;
  wd_fintech_use_num: string | null;
  dps_fintech_use_num: string | null;
  wd_print_content: string | null;
  dps_print_content: string | null;
  rsp_code: string | null;
  rsp_message: string | null;
  bank_rsp_code: string | null;
  bank_rsp_message: string | null;
  request_summary: string | null;
  response_summary: string | null;
  settles_at: string | null;
  reverses_transaction_id: string | null;
  created_at: string;
}

export interface PostingRow {
  id: string;
  transaction_id: string;
  account_id: string;
  amount: number;
  balance_after: number;
  tran_date: string;
  tran_time: string;
  inout_type: string;
  tran_type: string;
  print_content: string;
  branch_name: string;
  created_at: string;
}

const insertTransactionRows = createRowInserter<TransactionRow>('transactions', [
  'id',
  'kind',
  'organization_id',
  'user_seq_no',
  'bank_tran_id',
  'bank_tran_date',
  'api_tran_id',
  'status',
  'amount',
  'wd_account_id',
  'dps_account_id',
  'wd_fintech_use_num',
  'dps_fintech_use_num',
  'wd_print_content',
  'dps_print_content',
  'rsp_code',
  'rsp_message',
  'bank_rsp_code',
  'bank_rsp_message',
  'request_summary',
  'response_summary',
  'settles_at',
  'reverses_transaction_id',
  'created_at',
]);
const insertPostingRows = createRowInserter<PostingRow>('postings', [
  'id',
  'transaction_id',
  'account_id',
  'amount',
  'balance_after',
  'tran_date',
  'tran_time',
  'inout_type',
  'tran_type',
  'print_content',
  'branch_name',
  'created_at',
]);

// Run for every transfer batch: plain SQL, text cached per number of accounts.
const lockAccountsSql = sqlCache((n) => `SELECT * FROM bank_accounts WHERE id IN (${placeholders(n)}) ORDER BY id`);
const setBalancesSql = sqlCache(
  (
    n,
  ) => `UPDATE bank_accounts SET balance = CASE id ${Array.from({ length: n }, () => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ')} END
  WHERE id IN (${placeholders(n)})`,
);

export function createLedgerRepository() {
  const repo = {
    async findAccount(runner: Runner, id: string): Promise<BankAccount | undefined> {
      const r = await runner<AccountRow>('bank_accounts').where({ id }).first();
      return r ? accountFromRow(r) : undefined;
    },
    /**
     * An account with this number in ANY world: the oldest organization world's first (the demo
     * fintech's, where there is demo data), the template last. For "is this number taken anywhere"
     * checks and tools; the service APIs use findAccountInWorlds (one organization's world).
     */
    async findAccountByNumber(runner: Runner, bankCode: string, accountNum: string): Promise<BankAccount | undefined> {
      const r = await runner<AccountRow>('bank_accounts')
        .where({ bank_code: bankCode, account_num: accountNum })
        .orderByRaw("CASE WHEN world = '' THEN 1 ELSE 0 END")
        .orderBy('created_at')
        .orderBy('id')
        .first();
      return r ? accountFromRow(r) : undefined;
    },
    /** The account with this number in the world, and the template's (world '') if there is one: one query. */
    async findAccountInWorlds(
      runner: Runner,
      world: string,
      bankCode: string,
      accountNum: string,
    ): Promise<{ own?: BankAccount; template?: BankAccount }> {
      const rows = await runner<AccountRow>('bank_accounts')
        .where({ bank_code: bankCode, account_num: accountNum })
        .whereIn('world', [...new Set([world, ''])]);
      const own = rows.find((r) => r.world === world);
      const template = rows.find((r) => r.world === '');
      return { own: own ? accountFromRow(own) : undefined, template: template ? accountFromRow(template) : undefined };
    },
    async findSystemAccount(runner: Runner): Promise<BankAccount | undefined> {
      const r = await runner<AccountRow>('bank_accounts')
        .where({ world: '', purpose: 'system' })
        .orderBy('created_at')
        .first();
      return r ? accountFromRow(r) : undefined;
    },
    async listByOrganization(runner: Runner, organizationId: string): Promise<BankAccount[]> {
      const rows = await runner<AccountRow>('bank_accounts')
        .where({ organization_id: organizationId })
        .orderBy(['bank_code', 'account_num']);
      return rows.map(accountFromRow);
    },
    /** Every account of a sandbox world (an organization's id), ordered like listByOrganization. */
    async listByWorld(runner: Runner, world: string): Promise<BankAccount[]> {
      const rows = await runner<AccountRow>('bank_accounts').where({ world }).orderBy(['bank_code', 'account_num']);
      return rows.map(accountFromRow);
    },
    async findOrgAccount(
      runner: Runner,
      organizationId: string,
      purpose: AccountPurpose,
      accountNum?: string,
    ): Promise<BankAccount | undefined> {
      const q = runner<AccountRow>('bank_accounts').where({ organization_id: organizationId, purpose });
      if (accountNum !== undefined) q.andWhere({ account_num: accountNum });
      const r = await q.orderBy('created_at').first();
      return r ? accountFromRow(r) : undefined;
    },
    /** findOrgAccount for many (organization, account number) pairs of one purpose in one query; key "org|accountNum". */
    async findOrgAccounts(
      runner: Runner,
      purpose: AccountPurpose,
      pairs: [string, string][],
    ): Promise<Map<string, BankAccount>> {
      const unique = [...new Map(pairs.map((p) => [`${p[0]}|${p[1]}`, p])).values()];
      const rows =
        unique.length === 0
          ? []
          : await runner<AccountRow>('bank_accounts')
              .where({ purpose })
              .whereIn(['organization_id', 'account_num'], unique)
              .orderBy('created_at');
      const found = new Map<string, BankAccount>();
      for (const r of rows) {
        const key = `${r.organization_id}|${r.account_num}`;
        if (!found.has(key)) found.set(key, accountFromRow(r));
      }
      return found;
    },
    /** Locks the rows (PostgreSQL: SELECT … FOR UPDATE) in id order, so two transfers never deadlock. */
    async lockAccounts(runner: Runner, ids: string[]): Promise<Map<string, BankAccount>> {
      const unique = [...new Set(ids)].sort();
      if (unique.length === 0) return new Map();
      const rows = rawRows<AccountRow>(
        await runner.raw(lockAccountsSql(unique.length) + forUpdateClause(runner), unique),
      );
      return new Map(rows.map((r) => [r.id, accountFromRow(r)]));
    },
    async insertAccount(runner: Runner, row: AccountRow): Promise<void> {
      await runner('bank_accounts').insert(row);
    },
    /** Writes new cached balances in one statement (fewer round trips on the transfer hot path). */
    async setBalances(runner: Runner, balances: Map<string, number>): Promise<void> {
      const entries = [...balances];
      if (entries.length === 1) {
        await runner('bank_accounts').where({ id: entries[0]![0] }).update({ balance: entries[0]![1] });
        return;
      }
      const s = repo.setBalancesStatement(balances);
      await runner.raw(s.sql, s.bindings as never[]);
    },
    /** The statement that sets these balances (one UPDATE for all of them). */
    setBalancesStatement(balances: Map<string, number>): SqlStatement {
      const entries = [...balances];
      return {
        sql: setBalancesSql(entries.length),
        bindings: [...entries.flat(), ...entries.map(([id]) => id)],
      };
    },
    /** The statements that insert these transaction rows, then these postings (in that order). */
    insertStatements(runner: Runner, transactions: TransactionRow[], postings: PostingRow[]): SqlStatement[] {
      return [
        ...insertTransactionRows.statements(runner, transactions),
        ...insertPostingRows.statements(runner, postings),
      ];
    },
    async setStatus(runner: Runner, id: string, status: AccountStatus): Promise<void> {
      await runner('bank_accounts').where({ id }).update({ status });
    },
    async insertTransaction(runner: Runner, row: TransactionRow): Promise<void> {
      await insertTransactionRows(runner, [row]);
    },
    async insertPostings(runner: Runner, rows: PostingRow[]): Promise<void> {
      await insertPostingRows(runner, rows);
    },
    async findTransaction(
      runner: Runner,
      organizationId: string,
      bankTranDate: string,
      bankTranId: string,
    ): Promise<TransactionRow | undefined> {
      return runner<TransactionRow>('transactions')
        .where({ organization_id: organizationId, bank_tran_date: bankTranDate, bank_tran_id: bankTranId })
        .first();
    },
    async findTransactionById(runner: Runner, id: string): Promise<TransactionRow | undefined> {
      return runner<TransactionRow>('transactions').where({ id }).first();
    },
    async balanceDrift(runner: Runner): Promise<{ accountId: string; cached: number; postings: number }[]> {
      const rows = await runner('bank_accounts as a')
        .leftJoin(
          runner('postings').select('account_id').sum({ total: 'amount' }).groupBy('account_id').as('p'),
          'p.account_id',
          'a.id',
        )
        .select('a.id', 'a.balance', 'p.total');
      return rows
        .map((r: { id: string; balance: number | string; total: number | string | null }) => ({
          accountId: r.id,
          cached: Number(r.balance),
          postings: Number(r.total ?? 0),
        }))
        .filter((r) => r.cached !== r.postings);
    },
    async unbalancedTransactions(runner: Runner): Promise<string[]> {
      const rows = (await runner('postings')
        .select('transaction_id')
        .sum({ total: 'amount' })
        .groupBy('transaction_id')
        .havingRaw('sum(amount) <> 0')) as { transaction_id: string }[];
      return rows.map((r) => r.transaction_id);
    },
    async totals(runner: Runner): Promise<{ all: number; customer: number; accounts: number }> {
      const all = await runner('bank_accounts').sum({ s: 'balance' }).count({ n: '*' }).first();
      const customer = await runner('bank_accounts').whereNot({ purpose: 'system' }).sum({ s: 'balance' }).first();
      return { all: Number(all?.s ?? 0), customer: Number(customer?.s ?? 0), accounts: Number(all?.n ?? 0) };
    },
    /** Net amount minted into customer accounts by openings, top-ups and resets (the only documented sources). */
    async mintedTotal(runner: Runner): Promise<number> {
      const r = await runner('postings as p')
        .join('transactions as t', 't.id', 'p.transaction_id')
        .join('bank_accounts as a', 'a.id', 'p.account_id')
        .whereIn('t.kind', ['opening', 'history', 'topup', 'reset'])
        .whereNot('a.purpose', 'system')
        .sum({ s: 'p.amount' })
        .first();
      return Number(r?.s ?? 0);
    },
    async seedPostingSum(runner: Runner, accountId: string): Promise<number> {
      const r = await runner('postings as p')
        .join('transactions as t', 't.id', 'p.transaction_id')
        .where('p.account_id', accountId)
        .whereIn('t.kind', ['opening', 'history'])
        .sum({ s: 'p.amount' })
        .first();
      return Number(r?.s ?? 0);
    },
  };
  return repo;
}
export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
