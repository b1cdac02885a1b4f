// Rule: a withdrawal may not exceed the user's per-transfer limit (A0111 / bank 455) nor, with today's
// earlier withdrawals, the user's daily limit (A0112 / 456); an organization's withdrawals and deposits
// may not exceed its daily and monthly limits (A0103/A0104, A0101/A0102). Sandbox values below.
import type { BankRspCode } from '../common/kftc-error';
import type { LimitRspCode } from '../common/kftc-refusals';

export interface TransferLimits {
  userPerTransfer: number;
  userDaily: number;
  orgWithdrawDaily: number;
  orgWithdrawMonthly: number;
  orgDepositDaily: number;
  orgDepositMonthly: number;
}

export const SANDBOX_LIMITS: TransferLimits = {
  userPerTransfer: 1_000_000,
  userDaily: 5_000_000,
  orgWithdrawDaily: 100_000_000,
  orgWithdrawMonthly: 1_000_000_000,
  orgDepositDaily: 100_000_000,
  orgDepositMonthly: 1_000_000_000,
};

export interface Usage {
  dailyUser: number;
  dailyOrg: number;
  monthlyOrg: number;
}

/** The refusal for a withdrawal of `amount` given usage so far, or null when within every limit. */
export function withdrawLimitRefusal(
  limits: TransferLimits,
  usage: Usage,
  amount: number,
): { rspCode: LimitRspCode; bankRspCode?: BankRspCode } | null {
  if (amount > limits.userPerTransfer) return { rspCode: 'A0111', bankRspCode: '455' };
  if (usage.dailyUser + amount > limits.userDaily) return { rspCode: 'A0112', bankRspCode: '456' };
  if (usage.dailyOrg + amount > limits.orgWithdrawDaily) return { rspCode: 'A0103' };
  if (usage.monthlyOrg + amount > limits.orgWithdrawMonthly) return { rspCode: 'A0104' };
  return null;
}

/** The refusal for an organization deposit of `amount`, or null. */
export function depositLimitRefusal(
  limits: TransferLimits,
  usage: { dailyOrg: number; monthlyOrg: number },
  amount: number,
): { rspCode: LimitRspCode } | null {
  if (usage.dailyOrg + amount > limits.orgDepositDaily) return { rspCode: 'A0101' };
  if (usage.monthlyOrg + amount > limits.orgDepositMonthly) return { rspCode: 'A0102' };
  return null;
}

/**
 * The transfer_daily_usage subject of a person's withdrawals in one organization's sandbox world (each
 * world has its own limits usage, like its own balances). At most 2 + 36 + 1 + 10 = 49 characters.
 */
export function userUsageSubject(organizationId: string, userSeqNo: string): string {
  return `u:${organizationId}:${userSeqNo}`;
}

/** The subject of an organization's own daily and monthly totals. */
export function orgUsageSubject(organizationId: string): string {
  return `org:${organizationId}`;
}

/** The usage rows a transfer counts against: the user's day (withdrawals only), the organization's day and month. */
export function usageKeys(org: string, date: string, userSeqNo?: string): [string, string][] {
  const keys: [string, string][] = [];
  if (userSeqNo) keys.push([userUsageSubject(org, userSeqNo), date]);
  keys.push([orgUsageSubject(org), date], [orgUsageSubject(org), date.slice(0, 6)]);
  return keys;
}
