// Who may use which account: a registered fintech_use_num (its organization's world only, the token's own
// user, the consent the API needs, present and unexpired) and the contract account an organization names.
// Each refusal is a class named after its rule (../common/kftc-refusals.ts).
import type { BankAccount } from '../ledger/service';
import type { TestbedCaller } from '../common/token-guard';
import {
  ContractAccountUnregistered,
  type Echo,
  FintechUseNumUnknown,
  InquiryConsentExpired,
  InquiryConsentMissing,
  NotTheTokensUser,
  TransferConsentExpired,
  TransferConsentMissing,
} from '../common/kftc-refusals';
import type { Parsed } from './field-specs';
import type { RegisteredFintechAccount } from './repository';
import type { ServicesContext } from './services-context';

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
  if (acc?.state !== '01' || acc.organizationId !== caller.organizationId) throw new FintechUseNumUnknown(echo);
  if (caller.kind === 'user' && caller.userSeqNo && caller.userSeqNo !== acc.userSeqNo)
    throw new NotTheTokensUser(echo);
  const nowIso = now.toISOString();
  if (need === 'inquiry') {
    if (acc.inquiryAgreeYn !== 'Y') throw new InquiryConsentMissing(echo);
    if (acc.inquiryExpiresAt && acc.inquiryExpiresAt <= nowIso) throw new InquiryConsentExpired(echo);
  }
  if (need === 'transfer') {
    if (acc.transferAgreeYn !== 'Y') throw new TransferConsentMissing(echo);
    if (acc.transferExpiresAt && acc.transferExpiresAt <= nowIso) throw new TransferConsentExpired(echo);
  }
  return acc;
}

export async function requireContractAccount(
  ctx: ServicesContext,
  caller: TestbedCaller,
  p: Parsed,
  purpose: 'deposit_paying' | 'withdraw_collecting',
  echo: Echo,
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
export function checkContractAccount(account: BankAccount | undefined, echo: Echo): BankAccount {
  if (account?.status !== 'active') throw new ContractAccountUnregistered(echo);
  return account;
}
