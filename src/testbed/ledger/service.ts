// The test-bed ledger: bank accounts whose balances move only through balanced, append-only postings.
// Invariants: every transaction's postings sum to zero; bank_accounts.balance equals the sum of the
// account's postings; customer money enters or leaves only through openings, top-ups and resets
// against the 'system' mint account. Every write runs in one database transaction (all or nothing).
import type { Knex } from 'knex';
import { together } from '../../db/batcher';
import { isPostgres } from '../../db/knex';
import type { Clock } from '../../clock';
import { timeOrderedId, type IdGenerator } from '../../db/ids';
import { writeAndCommit, type SqlStatement } from '../../db/write-and-commit';
import type { Runner } from '../../db/knex';
import { planHistory } from './account-history';
import { createSandboxWorlds } from './sandbox-worlds';
import { branchName } from './banks';
import { kstParts } from './kst-time';
import {
  createLedgerRepository,
  type AccountPurpose,
  type AccountStatus,
  type BankAccount,
  type OpenAccountInput,
  type PostingRow,
  type TransactionRow,
} from './repository';

export type { BankAccount, AccountStatus, OpenAccountInput, TransactionRow } from './repository';

const SYSTEM_ACCOUNT = {
  bankCode: '097',
  accountNum: '0000000000001',
  holderName: '오픈은행 발행계정',
} as const;

type TransferKind = 'withdraw' | 'deposit' | 'topup' | 'reset' | 'return';

export interface TransferInput {
  kind: TransferKind;
  fromAccountId: string;
  toAccountId: string;
  amount: number;
  organizationId?: string | null;
  userSeqNo?: string | null;
  bankTranId?: string | null;
  bankTranDate?: string | null;
  apiTranId?: string | null;
  /** Shown on the paying account's statement. */
  wdPrintContent: string;
  /** Shown on the receiving account's statement. */
  dpsPrintContent: string;
  tranType?: string;
  wdFintechUseNum?: string | null;
  dpsFintechUseNum?: string | null;
  /** 'processing' = the bank booked it but the caller was told A0001 until settlesAt. */
  status?: 'settled' | 'processing';
  settlesAt?: string | null;
  rspCode?: string;
  rspMessage?: string;
  bankRspCode?: string;
  bankRspMessage?: string;
  requestSummary?: Record<string, unknown> | null;
  responseSummary?: Record<string, unknown> | null;
  reversesTransactionId?: string | null;
  /** Let a customer account go below zero (only for compensating resets). */
  allowOverdraft?: boolean;
  /** Skip the account status check (resets restore closed/suspended accounts too). */
  ignoreStatus?: boolean;
}

export interface RefusalInput
  extends Omit<TransferInput, 'fromAccountId' | 'toAccountId' | 'wdPrintContent' | 'dpsPrintContent'> {
  fromAccountId?: string | null;
  toAccountId?: string | null;
  wdPrintContent?: string | null;
  dpsPrintContent?: string | null;
  rspCode: string;
  rspMessage: string;
}

/** Why the ledger refuses a movement: the account's state (a status other than active, or no such account), or its funds. */
export type RefusalReason = Exclude<AccountStatus, 'active'> | 'missing' | 'insufficient_funds';

/** A transfer the bank refuses; nothing was written. `side` says which account caused it. */
export class LedgerRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly side: 'from' | 'to',
    readonly accountId: string,
  ) {
    super(`${reason} (${side} ${accountId})`);
    this.name = 'LedgerRefusal';
  }
}

export interface TransferResult {
  transactionId: string;
  fromBalanceAfter: number;
  toBalanceAfter: number;
  tranDate: string;
  tranTime: string;
}

export interface VerifyResult {
  ok: boolean;
  accounts: number;
  /** Accounts whose cached balance differs from the sum of their postings. */
  mismatches: { accountId: string; cached: number; postings: number }[];
  /** Transactions whose postings do not sum to zero. */
  unbalancedTransactions: string[];
  /** Sum of all balances including the mint: always 0 in a closed double-entry ledger. */
  totalDrift: number;
  customerTotal: number;
  mintedTotal: number;
}

function assertAmount(amount: number, allowZero = false): void {
  if (!Number.isSafeInteger(amount) || amount < 0 || (!allowZero && amount === 0))
    throw new RangeError(`amount must be a positive whole number of KRW, got ${amount}`);
}

export function createLedgerService(deps: { db: Knex; clock: Clock; ids: IdGenerator }) {
  const { db, clock, ids } = deps;
  // Transactions and postings: time-ordered ids (see src/db/ids.ts); accounts keep the app's random ids.
  const rowId = timeOrderedId;
  const repo = createLedgerRepository();

  function inTrx<T>(trx: Knex.Transaction | undefined, fn: (t: Knex.Transaction) => Promise<T>): Promise<T> {
    return trx ? fn(trx) : db.transaction(fn);
  }

  async function ensureSystemAccount(trx: Runner): Promise<BankAccount> {
    const found = await repo.findSystemAccount(trx);
    if (found) return found;
    const now = clock().toISOString();
    await repo.insertAccount(trx, {
      id: ids(),
      bank_code: SYSTEM_ACCOUNT.bankCode,
      account_num: SYSTEM_ACCOUNT.accountNum,
      account_holder_name: SYSTEM_ACCOUNT.holderName,
      account_holder_info: null,
      user_seq_no: null,
      organization_id: null,
      world: '',
      purpose: 'system',
      account_type: '1',
      product_name: '시스템 계정',
      status: 'active',
      balance: 0,
      opening_balance: 0,
      opening_status: 'active',
      opened_at: now,
      created_at: now,
    });
    return (await repo.findSystemAccount(trx))!;
  }

  function posting(
    txId: string,
    account: BankAccount,
    amount: number,
    balanceAfter: number,
    at: Date,
    printContent: string,
    tranType: string,
    createdAt: string,
  ): PostingRow {
    const p = kstParts(at);
    return {
      id: rowId(),
      transaction_id: txId,
      account_id: account.id,
      amount,
      balance_after: balanceAfter,
      tran_date: p.date,
      tran_time: p.time,
      inout_type: amount >= 0 ? '입금' : '출금',
      tran_type: tranType,
      print_content: printContent.slice(0, 40),
      branch_name: branchName(account.bankCode),
      created_at: createdAt,
    };
  }

  type RowInput = Omit<
    Partial<TransferInput>,
    'kind' | 'fromAccountId' | 'toAccountId' | 'wdPrintContent' | 'dpsPrintContent'
  > & {
    kind: string;
    amount: number;
    fromAccountId?: string | null;
    toAccountId?: string | null;
    wdPrintContent?: string | null;
    dpsPrintContent?: string | null;
  };
  function transactionRow(input: RowInput, id: string, createdAt: string, status: string): TransactionRow {
    return {
      id,
      kind: input.kind,
      organization_id: input.organizationId ?? null,
      user_seq_no: input.userSeqNo ?? null,
      bank_tran_id: input.bankTranId ?? null,
      bank_tran_date: input.bankTranDate ?? null,
      api_tran_id: input.apiTranId ?? null,
      status,
      amount: input.amount,
      wd_account_id: input.fromAccountId ?? null,
      dps_account_id: input.toAccountId ?? null,
      wd_fintech_use_num: input.wdFintechUseNum ?? null,
      dps_fintech_use_num: input.dpsFintechUseNum ?? null,
      wd_print_content: input.wdPrintContent ?? null,
      dps_print_content: input.dpsPrintContent ?? null,
      rsp_code: input.rspCode ?? 'A0000',
      rsp_message: input.rspMessage ?? '',
      bank_rsp_code: input.bankRspCode ?? '000',
      bank_rsp_message: input.bankRspMessage ?? '정상',
      request_summary: input.requestSummary ? JSON.stringify(input.requestSummary) : null,
      response_summary: input.responseSummary ? JSON.stringify(input.responseSummary) : null,
      settles_at: input.settlesAt ?? null,
      reverses_transaction_id: input.reversesTransactionId ?? null,
      created_at: createdAt,
    };
  }

  /**
   * Checks one transfer against the locked accounts' current state and, when the bank accepts it, applies
   * it to that in-memory state and returns the rows to write. Throws LedgerRefusal (state untouched) when
   * refused. Shared by transfer() and the batch opened by openBatch(), so one rule set decides both.
   */
  function plan(
    input: TransferInput,
    locked: Map<string, BankAccount>,
    now: Date,
  ): { result: TransferResult; tx: TransactionRow; postings: PostingRow[] } {
    assertAmount(input.amount);
    if (input.fromAccountId === input.toAccountId) throw new RangeError('a transfer needs two different accounts');
    const from = locked.get(input.fromAccountId);
    const to = locked.get(input.toAccountId);
    if (!from) throw new LedgerRefusal('missing', 'from', input.fromAccountId);
    if (!to) throw new LedgerRefusal('missing', 'to', input.toAccountId);
    if (!input.ignoreStatus) {
      if (from.status !== 'active') throw new LedgerRefusal(from.status, 'from', from.id);
      if (to.status !== 'active') throw new LedgerRefusal(to.status, 'to', to.id);
    }
    if (from.purpose !== 'system' && !input.allowOverdraft && from.balance < input.amount) {
      throw new LedgerRefusal('insufficient_funds', 'from', from.id);
    }
    const createdAt = now.toISOString();
    const txId = rowId();
    const fromAfter = from.balance - input.amount;
    const toAfter = to.balance + input.amount;
    const tranType = input.tranType ?? '이체';
    const postings = [
      posting(txId, from, -input.amount, fromAfter, now, input.wdPrintContent, tranType, createdAt),
      posting(txId, to, input.amount, toAfter, now, input.dpsPrintContent, tranType, createdAt),
    ];
    from.balance = fromAfter;
    to.balance = toAfter;
    const p = kstParts(now);
    return {
      result: {
        transactionId: txId,
        fromBalanceAfter: fromAfter,
        toBalanceAfter: toAfter,
        tranDate: p.date,
        tranTime: p.time,
      },
      tx: transactionRow(input, txId, createdAt, input.status ?? 'settled'),
      postings,
    };
  }

  /** Moves money between two accounts inside `trx` (or a new transaction). Throws LedgerRefusal and writes nothing when refused. */
  async function transfer(input: TransferInput, trx?: Knex.Transaction): Promise<TransferResult> {
    return inTrx(trx, async (t) => {
      const locked = await repo.lockAccounts(t, [input.fromAccountId, input.toAccountId]);
      const planned = plan(input, locked, clock());
      await repo.insertTransaction(t, planned.tx);
      await repo.insertPostings(t, planned.postings);
      await repo.setBalances(
        t,
        new Map([
          [input.fromAccountId, locked.get(input.fromAccountId)!.balance],
          [input.toAccountId, locked.get(input.toAccountId)!.balance],
        ]),
      );
      return planned.result;
    });
  }

  /**
   * A batch of transfers and refusal records inside `trx`, written with a few multi-row statements: every
   * account the batch may touch is locked once (`accountIds`), each `apply` is decided at once against
   * the balances the earlier ones left (same rules as transfer(); a refusal throws LedgerRefusal and
   * changes nothing), and `write()` then inserts all transaction rows and postings and sets all new
   * balances. Nothing reaches the database before write(); call it once, inside the same transaction.
   */
  async function openBatch(trx: Knex.Transaction, accountIds: string[]) {
    // Postings refer to their transaction row. SQLite may run statements sent together in any order, so
    // there the foreign keys are checked at COMMIT instead (defer_foreign_keys lasts until the transaction
    // ends); PostgreSQL runs a connection's statements in the order they were sent, transaction rows first.
    const [locked] = await together([
      accountIds.length ? repo.lockAccounts(trx, accountIds) : Promise.resolve(new Map<string, BankAccount>()),
      isPostgres(trx) ? Promise.resolve() : trx.raw('PRAGMA defer_foreign_keys = ON'),
    ]);
    const txRows: TransactionRow[] = [];
    const postingRows: PostingRow[] = [];
    const touched = new Set<string>();
    return {
      apply(input: TransferInput): TransferResult {
        const planned = plan(input, locked, clock());
        txRows.push(planned.tx);
        postingRows.push(...planned.postings);
        touched.add(input.fromAccountId).add(input.toAccountId);
        return planned.result;
      },
      refuse(input: RefusalInput): string {
        const id = rowId();
        txRows.push(transactionRow(input, id, clock().toISOString(), 'failed'));
        return id;
      },
      /**
       * Writes the batch — transaction rows, postings, new balances, then the caller's own `alongside`
       * statements — as the LAST work of `trx`: on SQLite the same job commits it (writeAndCommit), so
       * return from the transaction callback right after.
       */
      async writeAndCommit(alongside: SqlStatement[] = []): Promise<void> {
        await writeAndCommit(trx, [
          ...repo.insertStatements(trx, txRows, postingRows),
          ...(touched.size
            ? [repo.setBalancesStatement(new Map([...touched].map((id) => [id, locked.get(id)!.balance])))]
            : []),
          ...alongside,
        ]);
      },
    };
  }

  /** Records a refused transfer's outcome (no postings) so transfer/result can report it later. */
  async function recordRefusal(input: RefusalInput, trx?: Knex.Transaction): Promise<string> {
    const id = rowId();
    await inTrx(trx, (t) => repo.insertTransaction(t, transactionRow(input, id, clock().toISOString(), 'failed')));
    return id;
  }

  async function openAccount(input: OpenAccountInput, trx?: Knex.Transaction): Promise<{ id: string }> {
    assertAmount(input.openingBalance, true);
    if (input.purpose === 'system') throw new RangeError('the system account is created by the ledger itself');
    return inTrx(trx, async (t) => {
      const mint = await ensureSystemAccount(t);
      const now = clock();
      const createdAt = now.toISOString();
      const id = ids();
      const status = input.status ?? 'active';
      const world = input.world ?? input.organizationId ?? '';
      // A new template account (a global test person's or a scenario account): every world must copy it.
      if (world === '') worlds.templateChanged();
      await repo.insertAccount(t, {
        id,
        bank_code: input.bankCode,
        account_num: input.accountNum,
        account_holder_name: input.holderName,
        account_holder_info: input.holderInfo ?? null,
        user_seq_no: input.userSeqNo ?? null,
        organization_id: input.organizationId ?? null,
        world,
        purpose: input.purpose,
        account_type: '1',
        product_name: input.productName ?? defaultProductName(input.purpose),
        status,
        balance: 0,
        opening_balance: input.openingBalance,
        opening_status: status,
        opened_at: createdAt,
        created_at: createdAt,
      });
      if (input.openingBalance === 0 && !input.withHistory) return { id };
      const account = (await repo.findAccount(t, id))!;
      const txId = rowId();
      const plan = input.withHistory
        ? planHistory(input.accountNum, input.openingBalance, now)
        : [
            {
              at: now,
              amount: input.openingBalance,
              printContent: '계좌개설',
              tranType: '대체',
              balanceAfter: input.openingBalance,
            },
          ];
      if (plan.length === 0) return { id };
      const lockedMint = (await repo.lockAccounts(t, [mint.id])).get(mint.id)!;
      const mintAfter = lockedMint.balance - input.openingBalance;
      await repo.insertTransaction(
        t,
        transactionRow(
          {
            kind: input.withHistory ? 'history' : 'opening',
            amount: input.openingBalance,
            organizationId: input.organizationId ?? null,
            userSeqNo: input.userSeqNo ?? null,
            fromAccountId: mint.id,
            toAccountId: id,
            wdPrintContent: '계좌개설',
            dpsPrintContent: '계좌개설',
          },
          txId,
          createdAt,
          'settled',
        ),
      );
      await repo.insertPostings(t, [
        ...plan.map((p) =>
          posting(txId, account, p.amount, p.balanceAfter, p.at, p.printContent, p.tranType, createdAt),
        ),
        posting(
          txId,
          lockedMint,
          -input.openingBalance,
          mintAfter,
          now,
          `계좌개설 ${input.accountNum}`.slice(0, 40),
          '대체',
          createdAt,
        ),
      ]);
      await repo.setBalances(
        t,
        new Map([
          [id, input.openingBalance],
          [mint.id, mintAfter],
        ]),
      );
      return { id };
    });
  }

  /** Adds test money to an account (a documented mint: system → account). */
  async function topUp(
    accountId: string,
    amount: number,
    opts: { organizationId?: string | null; printContent?: string } = {},
    trx?: Knex.Transaction,
  ): Promise<TransferResult> {
    return inTrx(trx, async (t) => {
      const mint = await ensureSystemAccount(t);
      return transfer(
        {
          kind: 'topup',
          fromAccountId: mint.id,
          toAccountId: accountId,
          amount,
          organizationId: opts.organizationId ?? null,
          wdPrintContent: '테스트 충전',
          dpsPrintContent: opts.printContent ?? '테스트 충전',
          tranType: '대체',
        },
        t,
      );
    });
  }

  /**
   * Restores an account to its seed state (opening balance and status) with a compensating 'reset'
   * transaction against the mint. Postings are never deleted. Returns the amount posted (signed).
   */
  async function resetAccount(
    accountId: string,
    opts: { organizationId?: string | null } = {},
    trx?: Knex.Transaction,
  ): Promise<number> {
    return inTrx(trx, async (t) => {
      const mint = await ensureSystemAccount(t);
      const account = (await repo.lockAccounts(t, [accountId])).get(accountId);
      if (!account || account.purpose === 'system') throw new RangeError('no such account');
      if (account.status !== account.openingStatus) await repo.setStatus(t, accountId, account.openingStatus);
      const delta = account.openingBalance - account.balance;
      if (delta === 0) return 0;
      const base = {
        kind: 'reset' as const,
        amount: Math.abs(delta),
        organizationId: opts.organizationId ?? null,
        wdPrintContent: '샌드박스 초기화',
        dpsPrintContent: '샌드박스 초기화',
        tranType: '대체',
        ignoreStatus: true,
        allowOverdraft: true,
      };
      if (delta > 0) await transfer({ ...base, fromAccountId: mint.id, toAccountId: accountId }, t);
      else await transfer({ ...base, fromAccountId: accountId, toAccountId: mint.id }, t);
      return delta;
    });
  }

  async function balance(accountId: string, runner: Runner = db): Promise<number> {
    const a = await repo.findAccount(runner, accountId);
    if (!a) throw new RangeError('no such account');
    return a.balance;
  }

  async function verifyBalances(runner: Runner = db): Promise<VerifyResult> {
    // One query after another, not all queued at once: on SQLite's one connection a queued query's wait for
    // it counts against knex's acquire timeout, and over a million postings the scans outlast it.
    const mismatches = await repo.balanceDrift(runner);
    const unbalancedTransactions = await repo.unbalancedTransactions(runner);
    const totals = await repo.totals(runner);
    const mintedTotal = await repo.mintedTotal(runner);
    const ok =
      mismatches.length === 0 &&
      unbalancedTransactions.length === 0 &&
      totals.all === 0 &&
      totals.customer === mintedTotal;
    return {
      ok,
      accounts: totals.accounts,
      mismatches,
      unbalancedTransactions,
      totalDrift: totals.all,
      customerTotal: totals.customer,
      mintedTotal,
    };
  }

  const worlds = createSandboxWorlds({ db, clock, repo, openAccount });

  /**
   * The account with this number in the organization's sandbox world (undefined when the world has none).
   * A template account this process has not copied yet (created by another instance) is copied first.
   */
  async function findAccountInWorld(
    organizationId: string,
    bankCode: string,
    accountNum: string,
    runner: Runner = db,
  ): Promise<BankAccount | undefined> {
    const found = await repo.findAccountInWorlds(runner, organizationId, bankCode, accountNum);
    if (found.own) return found.own;
    if (found.template?.purpose !== 'personal') return undefined;
    await worlds.ensure(organizationId, {
      refresh: true,
      trx: 'isTransaction' in runner && runner.isTransaction ? (runner as Knex.Transaction) : undefined,
    });
    return (await repo.findAccountInWorlds(runner, organizationId, bankCode, accountNum)).own;
  }

  return {
    repo,
    worlds,
    findAccountInWorld,
    openAccount,
    transfer,
    openBatch,
    recordRefusal,
    topUp,
    resetAccount,
    balance,
    verifyBalances,
    ensureSystemAccount,
    findAccount: (id: string, runner: Runner = db) => repo.findAccount(runner, id),
    findAccountByNumber: (bankCode: string, accountNum: string, runner: Runner = db) =>
      repo.findAccountByNumber(runner, bankCode, accountNum),
    setStatus: (id: string, status: AccountStatus, runner: Runner = db) => repo.setStatus(runner, id, status),
  };
}
export type LedgerService = ReturnType<typeof createLedgerService>;

function defaultProductName(purpose: AccountPurpose): string {
  switch (purpose) {
    case 'personal':
      return '오픈자유입출금통장';
    case 'deposit_paying':
      return '이용기관 지급계좌';
    case 'withdraw_collecting':
      return '이용기관 모계좌';
    case 'fee':
      return '이용기관 수수료계좌';
    default:
      return '시스템 계정';
  }
}
