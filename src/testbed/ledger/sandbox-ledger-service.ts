// "Reset my sandbox" and "top up a test account" for an organization's members. Rule: an organization
// touches only the accounts of its own sandbox world (../ledger/sandbox-worlds.ts): its contract accounts,
// its own test people's accounts and its copies of the shared fixtures (홍길동 … and the scenario
// accounts); another organization's world never changes. Money is added or restored with new
// compensating ledger entries against the mint — postings are never deleted.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { IdGenerator } from '../../db/ids';
import type { AuditActor, AuditService } from '../../audit/service';
import { validationFailed } from '../../http/errors';
import type { BankAccount, LedgerService } from './service';
import { createServicesRepository } from '../services/repository';
import { accountFromRow } from './repository';
import { orgUsageSubject, userUsageSubject } from '../services/transfer-limits';
import type { Page, PageRequest } from '../../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../../pagination/keyset';

export const MAX_TOP_UP = 100_000_000;

export interface SandboxAccountView {
  id: string;
  bankCode: string;
  accountNum: string;
  holderName: string;
  purpose: string;
  status: string;
  balance: number;
  openingBalance: number;
}

/** One line of an account's history (a posting), as the transaction history page shows it. */
export interface PostingView {
  seq: number;
  tranDate: string;
  tranTime: string;
  amount: number;
  balanceAfter: number;
  inoutType: string;
  tranType: string;
  printContent: string;
}

interface PostingRow {
  seq: number | string;
  tran_date: string;
  tran_time: string;
  amount: number | string;
  balance_after: number | string;
  inout_type: string;
  tran_type: string;
  print_content: string;
}

/** Newest first, as a bank statement: KST date and time, then seq (unique) — the postings index's order. */
const HISTORY_ORDER: KeysetOrder<PostingRow> = {
  columns: ['tran_date', 'tran_time', 'seq'],
  direction: 'desc',
  keyOf: (row) => [row.tran_date, row.tran_time, Number(row.seq)],
};
export const HISTORY_CURSOR = ['string', 'string', 'integer'] as const;

export function createSandboxLedgerService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerService;
  audit: AuditService;
}) {
  const { db, ledger, audit } = deps;
  const repo = createServicesRepository();

  /**
   * The accounts of the organization's sandbox world: its contract accounts, its own test people's
   * accounts and its copies of the shared fixtures (made first if need be). A registration still pointing
   * at a template account would be listed too, but materialising the world moves every one to its copy.
   */
  async function ownAccounts(organizationId: string, run: Knex | Knex.Transaction = db): Promise<BankAccount[]> {
    const own = await ledger.repo.listByWorld(run, organizationId);
    const registered = (await repo.registeredAccounts(run, organizationId)).map(accountFromRow);
    const seen = new Set<string>();
    return [...own, ...registered].filter(
      (a) => a.purpose !== 'system' && a.world === organizationId && !seen.has(a.id) && seen.add(a.id),
    );
  }

  function view(a: BankAccount): SandboxAccountView {
    return {
      id: a.id,
      bankCode: a.bankCode,
      accountNum: a.accountNum,
      holderName: a.holderName,
      purpose: a.purpose,
      status: a.status,
      balance: a.balance,
      openingBalance: a.openingBalance,
    };
  }

  return {
    /**
     * One page of an own account's postings, newest first; undefined when the account is not in the
     * organization's sandbox world (another organization's account is not found).
     */
    async accountHistory(
      organizationId: string,
      accountId: string,
      page: PageRequest,
    ): Promise<(Page<PostingView> & { account: SandboxAccountView }) | undefined> {
      await ledger.worlds.ensure(organizationId);
      const account = (await ownAccounts(organizationId)).find((a) => a.id === accountId);
      if (!account) return undefined;
      const q = db('postings')
        .where('account_id', accountId)
        .select('seq', 'tran_date', 'tran_time', 'amount', 'balance_after', 'inout_type', 'tran_type', 'print_content');
      const found = await keysetPage<PostingRow>(q, HISTORY_ORDER, page);
      return {
        ...found,
        account: view(account),
        rows: found.rows.map((r) => ({
          seq: Number(r.seq),
          tranDate: r.tran_date,
          tranTime: r.tran_time,
          amount: Number(r.amount),
          balanceAfter: Number(r.balance_after),
          inoutType: r.inout_type,
          tranType: r.tran_type,
          printContent: r.print_content,
        })),
      };
    },

    async listAccounts(organizationId: string): Promise<SandboxAccountView[]> {
      await ledger.worlds.ensure(organizationId);
      return (await ownAccounts(organizationId)).map(view);
    },

    /** Restores every own account's seed balance and status and clears today's limit usage. Returns how many accounts changed. */
    async resetOrganization(actor: AuditActor, organizationId: string): Promise<number> {
      await ledger.worlds.ensure(organizationId);
      return db.transaction(async (trx) => {
        const accounts = await ownAccounts(organizationId, trx);
        let changed = 0;
        for (const a of accounts) {
          if (a.balance !== a.openingBalance || a.status !== a.openingStatus) changed++;
          await ledger.resetAccount(a.id, { organizationId }, trx);
        }
        const users = await repo.organizationUserSeqNos(trx, organizationId);
        await repo.resetUsage(trx, [
          orgUsageSubject(organizationId),
          ...users.map((u) => userUsageSubject(organizationId, u)),
        ]);
        await audit.record(
          { event: 'testbed.sandbox_reset', actor, organizationId, data: { accounts: accounts.length, changed } },
          trx,
        );
        return changed;
      });
    },

    /** Adds test money to one of the organization's own accounts (form fields: account_id, amount). */
    async topUp(
      actor: AuditActor,
      organizationId: string,
      input: { account_id?: unknown; amount?: unknown },
    ): Promise<{ account: SandboxAccountView; amount: number }> {
      const accountId = typeof input.account_id === 'string' ? input.account_id : '';
      const rawAmount = typeof input.amount === 'string' ? input.amount.replace(/[\s,]/g, '') : '';
      const errors = [];
      await ledger.worlds.ensure(organizationId);
      const accounts = await ownAccounts(organizationId);
      const account = accounts.find((a) => a.id === accountId);
      if (!account) errors.push({ field: 'account_id', message: 'testbed.ledger.errors.account_required' });
      else if (account.status !== 'active')
        errors.push({ field: 'account_id', message: 'testbed.ledger.errors.account_not_active' });
      const amount = /^\d{1,12}$/.test(rawAmount) ? Number(rawAmount) : NaN;
      if (!rawAmount) errors.push({ field: 'amount', message: 'testbed.ledger.errors.amount_required' });
      else if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_TOP_UP)
        errors.push({
          field: 'amount',
          message: 'testbed.ledger.errors.amount_range',
          params: { max: MAX_TOP_UP.toLocaleString('ko-KR') },
        });
      if (errors.length || !account) throw validationFailed(errors);
      await db.transaction(async (trx) => {
        await ledger.topUp(account.id, amount, { organizationId }, trx);
        await audit.record(
          {
            event: 'testbed.account_topped_up',
            actor,
            organizationId,
            data: { bank_code: account.bankCode, account_num: account.accountNum, amount },
          },
          trx,
        );
      });
      const after = (await ledger.findAccount(account.id))!;
      return { account: view(after), amount };
    },
  };
}
export type SandboxLedgerService = ReturnType<typeof createSandboxLedgerService>;
