// Knex queries for the service APIs: a registered account joined with its bank account (one round trip on
// the hot path), daily/monthly transfer usage (compare-and-set under row locks), per-API call counts,
// statement pages, and original transactions for transfer/result and return/claim.
import { forUpdateClause, placeholders, rawRows, selectRows, sqlCache, type Runner } from '../../db/knex';
import type { AccountRow, TransactionRow } from '../ledger/repository';
import type { SqlStatement } from '../../db/write-and-commit';

/** testbed_fintech_accounts (owned by the users module) joined with bank_accounts. */
export interface RegisteredFintechAccount {
  fintechUseNum: string;
  organizationId: string;
  userSeqNo: string;
  accountAlias: string | null;
  inquiryAgreeYn: string;
  inquiryExpiresAt: string | null;
  transferAgreeYn: string;
  transferExpiresAt: string | null;
  state: string;
  bankAccountId: string;
  bankCode: string;
  accountNum: string;
  holderName: string;
  accountType: string;
  productName: string;
  status: string;
  balance: number;
  openedAt: string;
  /** Only with { withLastTranDate: true }. */
  lastTranDate: string | null;
}

interface JoinedRow {
  fintech_use_num: string;
  organization_id: string;
  user_seq_no: string;
  account_alias: string | null;
  inquiry_agree_yn: string;
  inquiry_expires_at: string | null;
  transfer_agree_yn: string;
  transfer_expires_at: string | null;
  state: string;
  bank_account_id: string;
  bank_code: string;
  account_num: string;
  account_holder_name: string;
  account_type: string;
  product_name: string;
  status: string;
  balance: number | string;
  opened_at: string;
  last_tran_date?: string | null;
}

/** One transfer_daily_usage row's totals. */
export interface UsageRow {
  wdAmt: number;
  wdCnt: number;
  dpAmt: number;
  dpCnt: number;
}

export interface StatementQuery {
  accountId: string;
  inout: 'A' | 'I' | 'O';
  from: string; // yyyyMMddHHmmss inclusive
  to: string; // yyyyMMddHHmmss inclusive
  order: 'D' | 'A';
  after?: { stamp: string; seq: number };
  limit: number;
}

export interface StatementRow {
  seq: number;
  tran_date: string;
  tran_time: string;
  inout_type: string;
  tran_type: string;
  print_content: string;
  amount: number | string;
  balance_after: number | string;
  branch_name: string;
}

export interface WithdrawalRow {
  created_at: string;
  user_seq_no: string | null;
  bank_code: string;
  account_num: string;
  wd_fintech_use_num: string | null;
  amount: number | string;
  wd_print_content: string | null;
  dps_print_content: string | null;
}

export interface ReturnClaimRow {
  status: 'returned' | 'partial' | 'refused';
  amount: number | string;
  return_fail_code: string | null;
  return_fail_message: string | null;
  return_date: string | null;
  org_amount: number | string;
}

export interface RemitterRow {
  seq: number | string;
  tran_date: string;
  tran_time: string;
  tran_type: string;
  amount: number | string;
  balance_after: number | string;
  print_content: string;
  branch_name: string;
  remitter_name: string | null;
  remitter_bank_code: string | null;
  remitter_account_num: string | null;
}

// The hot lookup as plain SQL, its text cached per number of fintech numbers (knex's builder costs more
// than the query). ORDER BY … DESC LIMIT 1 walks the postings (account_id, tran_date, …) index
// backwards: one index probe (a correlated MAX() is not min/max-optimised by SQLite).
const REGISTERED_COLUMNS = `f.fintech_use_num, f.organization_id, f.user_seq_no, f.account_alias, f.inquiry_agree_yn, f.inquiry_expires_at,
  f.transfer_agree_yn, f.transfer_expires_at, f.state, f.bank_account_id, a.bank_code, a.account_num, a.account_holder_name,
  a.account_type, a.product_name, a.status, a.balance, a.opened_at`;
const registeredWhere = (n: number) => `FROM testbed_fintech_accounts f JOIN bank_accounts a ON a.id = f.bank_account_id
  WHERE f.fintech_use_num IN (${placeholders(n)})`;
const REGISTERED_NAMES = REGISTERED_COLUMNS.split(',').map((c) => c.trim().replace(/^[a-z]\./, ''));
const registeredSql = sqlCache((n) => `SELECT ${REGISTERED_COLUMNS} ${registeredWhere(n)}`);
const registeredWithLastTranDateSql = sqlCache(
  (n) => `SELECT ${REGISTERED_COLUMNS},
  (SELECT p.tran_date FROM postings p WHERE p.account_id = a.id ORDER BY p.tran_date DESC LIMIT 1) AS last_tran_date ${registeredWhere(n)}`,
);

// Usage rows are read and written on every transfer batch: plain SQL, text cached per row count.
const lockUsageSql = sqlCache(
  (n) => `SELECT subject, usage_date, wd_amt, wd_cnt, dp_amt, dp_cnt FROM transfer_daily_usage
  WHERE (subject, usage_date) IN (${placeholders(n, 2)}) ORDER BY subject, usage_date`,
);
const writeUsageSql = sqlCache(
  (
    n,
  ) => `INSERT INTO transfer_daily_usage (subject, usage_date, wd_amt, wd_cnt, dp_amt, dp_cnt) VALUES ${placeholders(n, 6)}
  ON CONFLICT (subject, usage_date) DO UPDATE SET wd_amt = excluded.wd_amt, wd_cnt = excluded.wd_cnt, dp_amt = excluded.dp_amt, dp_cnt = excluded.dp_cnt`,
);

export function createServicesRepository() {
  const repo = {
    /**
     * Registered accounts by fintech number, each joined with its bank account: one round trip for any
     * number of them (the service APIs batch concurrent lookups). `withLastTranDate` adds each account's
     * latest posting date (balance inquiry).
     */
    async findRegisteredAccounts(
      run: Runner,
      fintechUseNums: string[],
      opts: { withLastTranDate?: boolean } = {},
    ): Promise<Map<string, RegisteredFintechAccount>> {
      const unique = [...new Set(fintechUseNums)];
      if (unique.length === 0) return new Map();
      const rows = opts.withLastTranDate
        ? await selectRows<JoinedRow>(run, registeredWithLastTranDateSql(unique.length), unique, [
            ...REGISTERED_NAMES,
            'last_tran_date',
          ])
        : await selectRows<JoinedRow>(run, registeredSql(unique.length), unique, REGISTERED_NAMES);
      const found = new Map<string, RegisteredFintechAccount>();
      for (const r of rows) {
        found.set(r.fintech_use_num, {
          fintechUseNum: r.fintech_use_num,
          organizationId: r.organization_id,
          userSeqNo: r.user_seq_no,
          accountAlias: r.account_alias,
          inquiryAgreeYn: r.inquiry_agree_yn,
          inquiryExpiresAt: r.inquiry_expires_at,
          transferAgreeYn: r.transfer_agree_yn,
          transferExpiresAt: r.transfer_expires_at,
          state: r.state,
          bankAccountId: r.bank_account_id,
          bankCode: r.bank_code,
          accountNum: r.account_num,
          holderName: r.account_holder_name,
          accountType: r.account_type,
          productName: r.product_name,
          status: r.status,
          balance: Number(r.balance),
          openedAt: r.opened_at,
          lastTranDate: r.last_tran_date ?? null,
        });
      }
      return found;
    },

    async findRegisteredAccount(
      run: Runner,
      fintechUseNum: string,
      opts: { withLastTranDate?: boolean } = {},
    ): Promise<RegisteredFintechAccount | undefined> {
      return (await repo.findRegisteredAccounts(run, [fintechUseNum], opts)).get(fintechUseNum);
    },

    /** The fintech number an organization registered for a bank account (for echoing in transfer/result). */
    async fintechNumberFor(run: Runner, organizationId: string, bankAccountId: string): Promise<string | undefined> {
      const r = await run('testbed_fintech_accounts')
        .where({ organization_id: organizationId, bank_account_id: bankAccountId })
        .first('fintech_use_num');
      return r?.fintech_use_num as string | undefined;
    },

    /** Birth date YYMMDD of the account's person, for inquiry/real_name (when the account has no holder info of its own). */
    async holderBirthDate(run: Runner, userSeqNo: string): Promise<string | undefined> {
      const r = await run('testbed_users').where({ user_seq_no: userSeqNo }).first('birth_date');
      const d = (r?.birth_date as string | undefined)?.replace(/-/g, '');
      return d && d.length === 8 ? d.slice(2) : undefined;
    },

    async lastTranDate(run: Runner, accountId: string): Promise<string | undefined> {
      const r = await run('postings').where({ account_id: accountId }).max({ d: 'tran_date' }).first();
      return (r?.d as string | null) ?? undefined;
    },

    async statement(run: Runner, q: StatementQuery): Promise<StatementRow[]> {
      const stamp = '(tran_date || tran_time)';
      const cmp = q.order === 'D' ? '<' : '>';
      const query = run('postings')
        .select(
          'seq',
          'tran_date',
          'tran_time',
          'inout_type',
          'tran_type',
          'print_content',
          'amount',
          'balance_after',
          'branch_name',
        )
        .where('account_id', q.accountId)
        .andWhereRaw(`${stamp} >= ?`, [q.from])
        .andWhereRaw(`${stamp} <= ?`, [q.to]);
      if (q.inout === 'I') query.andWhere('amount', '>', 0);
      if (q.inout === 'O') query.andWhere('amount', '<', 0);
      if (q.after) {
        const a = q.after;
        query.andWhereRaw(`(${stamp} ${cmp} ? or (${stamp} = ? and seq ${cmp} ?))`, [a.stamp, a.stamp, a.seq]);
      }
      const dir = q.order === 'D' ? 'desc' : 'asc';
      return query
        .orderBy([
          { column: 'tran_date', order: dir },
          { column: 'tran_time', order: dir },
          { column: 'seq', order: dir },
        ])
        .limit(q.limit);
    },

    /**
     * A page of deposits into an account between two KST stamps (yyyyMMddHHmmss, inclusive) with who paid
     * them, in statement order after an optional cursor (for inquiry/remit_list).
     */
    async remitters(run: Runner, q: Omit<StatementQuery, 'inout'>): Promise<RemitterRow[]> {
      const stamp = '(p.tran_date || p.tran_time)';
      const cmp = q.order === 'D' ? '<' : '>';
      const query = run('postings as p')
        .join('transactions as t', 't.id', 'p.transaction_id')
        .leftJoin('bank_accounts as w', 'w.id', 't.wd_account_id')
        .select(
          'p.seq',
          'p.tran_date',
          'p.tran_time',
          'p.tran_type',
          'p.amount',
          'p.balance_after',
          'p.print_content',
          'p.branch_name',
          'w.account_holder_name as remitter_name',
          'w.bank_code as remitter_bank_code',
          'w.account_num as remitter_account_num',
        )
        .where('p.account_id', q.accountId)
        .andWhere('p.amount', '>', 0)
        .andWhereRaw(`${stamp} >= ?`, [q.from])
        .andWhereRaw(`${stamp} <= ?`, [q.to]);
      if (q.after)
        query.andWhereRaw(`(${stamp} ${cmp} ? or (${stamp} = ? and p.seq ${cmp} ?))`, [
          q.after.stamp,
          q.after.stamp,
          q.after.seq,
        ]);
      const dir = q.order === 'D' ? 'desc' : 'asc';
      return query
        .orderBy([
          { column: 'p.tran_date', order: dir },
          { column: 'p.tran_time', order: dir },
          { column: 'p.seq', order: dir },
        ])
        .limit(q.limit);
    },

    /** How many deposits remitters() finds in the whole range (total_record_cnt). */
    async countRemitters(run: Runner, accountId: string, from: string, to: string): Promise<number> {
      const r = await run('postings')
        .where('account_id', accountId)
        .andWhere('amount', '>', 0)
        .andWhereRaw('(tran_date || tran_time) >= ?', [from])
        .andWhereRaw('(tran_date || tran_time) <= ?', [to])
        .count({ n: '*' })
        .first();
      return Number(r?.n ?? 0);
    },

    /**
     * Reads (and on PostgreSQL locks) usage rows, creating missing ones first, so concurrent transfers of
     * the same user or organization serialise on them. Keys are [subject, usage_date].
     */
    async lockUsage(run: Runner, requested: [string, string][]): Promise<Map<string, UsageRow>> {
      const keys = [...new Map(requested.map((k) => [`${k[0]}|${k[1]}`, k])).values()];
      const sql = lockUsageSql(keys.length) + forUpdateClause(run);
      const read = async () =>
        rawRows<{
          subject: string;
          usage_date: string;
          wd_amt: number | string;
          wd_cnt: number | string;
          dp_amt: number | string;
          dp_cnt: number | string;
        }>(await run.raw(sql, keys.flat()));
      let rows = await read();
      if (rows.length < keys.length) {
        // First transfer of the day for someone: create the rows (a concurrent creator is fine), then lock them.
        await repo.createUsageRows(run, keys);
        rows = await read();
      }
      return new Map(
        rows.map((r) => [
          `${r.subject}|${r.usage_date}`,
          { wdAmt: Number(r.wd_amt), wdCnt: Number(r.wd_cnt), dpAmt: Number(r.dp_amt), dpCnt: Number(r.dp_cnt) },
        ]),
      );
    },

    /** Creates the usage rows that do not exist yet, at zero (one statement; existing rows are left alone). */
    async createUsageRows(run: Runner, requested: [string, string][]): Promise<void> {
      const keys = [...new Map(requested.map((k) => [`${k[0]}|${k[1]}`, k])).values()];
      if (keys.length === 0) return;
      await run('transfer_daily_usage')
        .insert(
          keys.map(([subject, usage_date]) => ({ subject, usage_date, wd_amt: 0, wd_cnt: 0, dp_amt: 0, dp_cnt: 0 })),
        )
        .onConflict(['subject', 'usage_date'])
        .ignore();
    },

    /**
     * The statement (none for no rows) that writes usage totals read with lockUsage (and still locked);
     * key = "subject|usage_date". Run as part of the ledger batch's writeAndCommit.
     */
    writeUsageStatements(rows: ({ key: string } & UsageRow)[]): SqlStatement[] {
      if (rows.length === 0) return [];
      const values = rows.flatMap((r) => {
        const cut = r.key.lastIndexOf('|');
        return [r.key.slice(0, cut), r.key.slice(cut + 1), r.wdAmt, r.wdCnt, r.dpAmt, r.dpCnt];
      });
      return [{ sql: writeUsageSql(rows.length), bindings: values }];
    },

    async addUsage(run: Runner, keys: [string, string][], kind: 'wd' | 'dp', amount: number): Promise<void> {
      const col = kind === 'wd' ? 'wd_amt' : 'dp_amt';
      const cnt = kind === 'wd' ? 'wd_cnt' : 'dp_cnt';
      await run('transfer_daily_usage')
        .whereIn(['subject', 'usage_date'], keys)
        .update({ [col]: run.raw('?? + ?', [col, amount]), [cnt]: run.raw('?? + 1', [cnt]) });
    },

    async readUsage(
      run: Runner,
      subject: string,
      usageDate: string,
    ): Promise<{ wdAmt: number; wdCnt: number; dpAmt: number; dpCnt: number }> {
      const r = await run('transfer_daily_usage').where({ subject, usage_date: usageDate }).first();
      return {
        wdAmt: Number(r?.wd_amt ?? 0),
        wdCnt: Number(r?.wd_cnt ?? 0),
        dpAmt: Number(r?.dp_amt ?? 0),
        dpCnt: Number(r?.dp_cnt ?? 0),
      };
    },

    async resetUsage(run: Runner, subjects: string[]): Promise<void> {
      if (subjects.length) await run('transfer_daily_usage').whereIn('subject', subjects).del();
    },

    /** One multi-row upsert per 200 rows (keys are unique within a batch; `excluded` works on SQLite and PostgreSQL). */
    async incrementCounts(
      run: Runner,
      rows: { organization_id: string; usage_date: string; api: string; cnt: number }[],
    ): Promise<void> {
      for (let i = 0; i < rows.length; i += 200) {
        await run('testbed_api_counts')
          .insert(rows.slice(i, i + 200))
          .onConflict(['organization_id', 'usage_date', 'api'])
          .merge({ cnt: run.raw('testbed_api_counts.cnt + excluded.cnt') });
      }
    },

    async countsBetween(
      run: Runner,
      organizationId: string,
      fromDate: string,
      toDate: string,
    ): Promise<{ usage_date: string; api: string; cnt: number }[]> {
      const rows = await run('testbed_api_counts')
        .where({ organization_id: organizationId })
        .andWhereBetween('usage_date', [fromDate, toDate])
        .orderBy(['usage_date', 'api'])
        .select('usage_date', 'api', 'cnt');
      return rows.map((r: { usage_date: string; api: string; cnt: number | string }) => ({
        usage_date: r.usage_date,
        api: r.api,
        cnt: Number(r.cnt),
      }));
    },

    /** Today's successful withdrawals of an organization, summed per bank of the withdrawn account (manage/wd_limit). */
    async withdrawnByBank(run: Runner, organizationId: string, bankTranDate: string): Promise<Map<string, number>> {
      const rows = await run('transactions as t')
        .join('bank_accounts as a', 'a.id', 't.wd_account_id')
        .where({
          't.organization_id': organizationId,
          't.kind': 'withdraw',
          't.bank_tran_date': bankTranDate,
          't.rsp_code': 'A0000',
        })
        .groupBy('a.bank_code')
        .select('a.bank_code')
        .sum({ s: 't.amount' });
      return new Map(
        (rows as unknown as { bank_code: string; s: number | string }[]).map((r) => [r.bank_code, Number(r.s)]),
      );
    },

    /** A day's successful withdrawals and deposits of an organization, summed per API key (manage/count). */
    async transferredByKind(run: Runner, organizationId: string, bankTranDate: string): Promise<Map<string, number>> {
      const rows = await run('transactions')
        .where({ organization_id: organizationId, bank_tran_date: bankTranDate, rsp_code: 'A0000' })
        .whereIn('kind', ['withdraw', 'deposit'])
        .groupBy('kind')
        .select('kind')
        .sum({ s: 'amount' });
      return new Map((rows as unknown as { kind: string; s: number | string }[]).map((r) => [r.kind, Number(r.s)]));
    },

    /** An organization's recorded withdrawals of one KST day with the withdrawn account, in time order (inquiry/fds_detect). */
    async withdrawalsOn(run: Runner, organizationId: string, bankTranDate: string): Promise<WithdrawalRow[]> {
      return run('transactions as t')
        .join('bank_accounts as a', 'a.id', 't.wd_account_id')
        .where({ 't.organization_id': organizationId, 't.kind': 'withdraw', 't.bank_tran_date': bankTranDate })
        .orderBy([
          { column: 't.created_at', order: 'asc' },
          { column: 't.id', order: 'asc' },
        ])
        .select(
          't.created_at',
          't.user_seq_no',
          'a.bank_code',
          'a.account_num',
          't.wd_fintech_use_num',
          't.amount',
          't.wd_print_content',
          't.dps_print_content',
        );
    },

    async findOriginal(
      run: Runner,
      organizationId: string,
      bankTranDate: string,
      bankTranId: string,
    ): Promise<TransactionRow | undefined> {
      return run<TransactionRow>('transactions')
        .where({ organization_id: organizationId, bank_tran_date: bankTranDate, bank_tran_id: bankTranId })
        .first();
    },

    /** What earlier claims returned of a deposit (in full or partly; refused claims return nothing). */
    async returnedAmount(run: Runner, orgTransactionId: string): Promise<number> {
      const r = await run('return_claims')
        .where({ org_transaction_id: orgTransactionId })
        .whereIn('status', ['returned', 'partial'])
        .sum({ s: 'amount' })
        .first();
      return Number(r?.s ?? 0);
    },

    async insertReturnClaim(run: Runner, row: Record<string, unknown>): Promise<void> {
      await run('return_claims').insert(row);
    },

    /** A return claim by its own KST date and bank_tran_id, with the original deposit's amount (return/result). */
    async findReturnClaim(
      run: Runner,
      organizationId: string,
      tranDate: string,
      bankTranId: string,
    ): Promise<ReturnClaimRow | undefined> {
      return run('return_claims as c')
        .join('transactions as t', 't.id', 'c.org_transaction_id')
        .where({ 'c.organization_id': organizationId, 'c.tran_date': tranDate, 'c.bank_tran_id': bankTranId })
        .first(
          'c.status',
          'c.amount',
          'c.return_fail_code',
          'c.return_fail_message',
          'c.return_date',
          't.amount as org_amount',
        );
    },

    /** The organization's own test people and the (global) people who registered accounts with it. */
    async organizationUserSeqNos(run: Runner, organizationId: string): Promise<string[]> {
      const own = await run('testbed_users').where({ organization_id: organizationId }).select('user_seq_no');
      const registered = await run('testbed_fintech_accounts')
        .where({ organization_id: organizationId })
        .distinct('user_seq_no');
      return [...new Set([...own, ...registered].map((r: { user_seq_no: string }) => r.user_seq_no))];
    },

    /** Bank accounts registered (fintech numbers in use) with the organization. */
    async registeredAccounts(run: Runner, organizationId: string): Promise<AccountRow[]> {
      return run('bank_accounts as a')
        .join('testbed_fintech_accounts as f', 'f.bank_account_id', 'a.id')
        .where({ 'f.organization_id': organizationId, 'f.state': '01' })
        .select('a.*');
    },
  };
  return repo;
}
export type ServicesRepository = ReturnType<typeof createServicesRepository>;
