// What every service API handler shares: collaborators, the registered-account checks (organization
// binding and consent), bank-refusal errors and per-API call counting.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { IdGenerator } from '../../db/ids';
import type { BankAccount, LedgerService } from '../ledger/service';
import type { AccountPurpose } from '../ledger/repository';
import type { Parsed } from './field-specs';
import type { TestbedCaller } from '../common/token-guard';
import { KftcError, kftcError, messages } from '../common/kftc-error';
import { bankLeg, kstDate } from '../common/envelope';
import { createServicesRepository, type RegisteredFintechAccount } from './repository';
import type { TransferLimits } from './transfer-limits';
import { createCallCounter } from './call-counter';
import { createBatcher } from '../../db/batcher';
import { readerOf } from '../../db/knex';

export interface ServicesDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerService;
  limits: TransferLimits;
}

export function createServicesContext(deps: ServicesDeps) {
  const repo = createServicesRepository();
  const counter = createCallCounter({ db: deps.db, repo });
  // Concurrent calls share round trips (see src/db/batcher.ts): account lookups outside a transaction here;
  // writes (withdrawals, inquiries' bank_tran_id claims) in transfers.ts.
  // Reads that need no transaction go to the SQLite reader connection when there is one (src/db/knex.ts).
  const reads = readerOf(deps.db);
  const registeredAccounts = createBatcher<
    { fintechUseNum: string; withLastTranDate: boolean },
    RegisteredFintechAccount | undefined
  >(async (items) => {
    const found = await repo.findRegisteredAccounts(
      reads,
      items.map((i) => i.fintechUseNum),
      { withLastTranDate: items.some((i) => i.withLastTranDate) },
    );
    return items.map((i) => ({ ok: true as const, value: found.get(i.fintechUseNum) }));
  });
  const contractAccounts = createBatcher<
    { organizationId: string; purpose: AccountPurpose; accountNum: string },
    BankAccount | undefined
  >(async (items) => {
    const byPurpose = new Map<AccountPurpose, Map<string, BankAccount>>();
    for (const purpose of new Set(items.map((i) => i.purpose))) {
      byPurpose.set(
        purpose,
        await deps.ledger.repo.findOrgAccounts(
          reads,
          purpose,
          items.filter((i) => i.purpose === purpose).map((i): [string, string] => [i.organizationId, i.accountNum]),
        ),
      );
    }
    return items.map((i) => ({
      ok: true as const,
      value: byPurpose.get(i.purpose)!.get(`${i.organizationId}|${i.accountNum}`),
    }));
  });
  return { ...deps, repo, counter, registeredAccounts, contractAccounts, reads };
}
export type ServicesContext = ReturnType<typeof createServicesContext>;

export type Echo = Record<string, unknown>;

/** An A-code error with the request fields echoed (§3). */
export function refuse(code: string, echo: Echo = {}, detail?: string): KftcError {
  return kftcError(code, detail, echo);
}

/** A0002 (or another rsp_code) carrying a bank leg with the bank's answer. */
export function bankRefusal(opts: {
  rspCode?: string;
  bankRspCode: string;
  bankTranId: string;
  bankCode: string;
  now: Date;
  echo?: Echo;
}): KftcError {
  const code = opts.rspCode ?? 'A0002';
  return new KftcError(code, messages[code] ?? '', {
    ...bankLeg({ bankTranId: opts.bankTranId, bankCode: opts.bankCode, date: opts.now, bankRspCode: opts.bankRspCode }),
    ...opts.echo,
  });
}

export const STATUS_BANK_CODE: Record<string, string> = { closed: '415', accident: '419', suspended: '420' };

/**
 * Rule: a fintech_use_num exists only in the sandbox world of the organization that registered it: for any
 * other organization it is unknown (A0304, as an unknown or cancelled one), so another organization's
 * numbers and tokens never reach this world. It may be used only for the token's own user (A0313), and
 * only with the consent the API needs, present and unexpired (inquiry: A0305/A0316; transfer: A0306/A0319).
 */
export async function requireRegisteredAccount(
  ctx: ServicesContext,
  caller: TestbedCaller,
  fintechUseNum: string,
  need: 'inquiry' | 'transfer' | 'deposit',
  echo: Echo,
  opts: { withLastTranDate?: boolean } = {},
): Promise<RegisteredFintechAccount> {
  const acc = await ctx.registeredAccounts.submit({ fintechUseNum, withLastTranDate: Boolean(opts.withLastTranDate) });
  return checkRegisteredAccount(acc, caller, need, echo, ctx.clock());
}

/** The rule above, for an account already read (undefined = no such fintech_use_num). */
export function checkRegisteredAccount(
  acc: RegisteredFintechAccount | undefined,
  caller: TestbedCaller,
  need: 'inquiry' | 'transfer' | 'deposit',
  echo: Echo,
  now: Date,
): RegisteredFintechAccount {
  if (!acc || acc.state !== '01' || acc.organizationId !== caller.organizationId) throw refuse('A0304', echo);
  if (caller.kind === 'user' && caller.userSeqNo && caller.userSeqNo !== acc.userSeqNo) throw refuse('A0313', echo);
  const nowIso = now.toISOString();
  if (need === 'inquiry') {
    if (acc.inquiryAgreeYn !== 'Y') throw refuse('A0305', echo);
    if (acc.inquiryExpiresAt && acc.inquiryExpiresAt <= nowIso) throw refuse('A0316', echo);
  }
  if (need === 'transfer') {
    if (acc.transferAgreeYn !== 'Y') throw refuse('A0306', echo);
    if (acc.transferExpiresAt && acc.transferExpiresAt <= nowIso) throw refuse('A0319', echo);
  }
  return acc;
}

export async function requireContractAccount(
  ctx: ServicesContext,
  caller: TestbedCaller,
  p: Parsed,
  purpose: 'deposit_paying' | 'withdraw_collecting',
  echo: Record<string, unknown>,
) {
  return checkContractAccount(
    await ctx.contractAccounts.submit({
      organizationId: caller.organizationId,
      purpose,
      accountNum: String(p.cntr_account_num ?? ''),
    }),
    echo,
  );
}

/** Rule: the contract account named in cntr_account_num must be the organization's own, registered for that purpose, and active (else A0322). */
export function checkContractAccount(account: BankAccount | undefined, echo: Record<string, unknown>): BankAccount {
  if (!account || account.status !== 'active') throw refuse('A0322', echo);
  return account;
}

export function today(ctx: ServicesContext): string {
  return kstDate(ctx.clock());
}
