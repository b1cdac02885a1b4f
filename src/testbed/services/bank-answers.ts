// What a bank answers when it refuses. ONE table maps the state of an account — its status in the ledger,
// or why the ledger refused to move money (no such account, not enough funds) — to bank_rsp_code; one
// lookup reads it, and one named fallback (499 기타 처리불가) answers for anything the table does not name:
// a bank under maintenance, a real-name number that does not match [inferred], an unknown state.
// Inquiries, withdrawals, deposits and return claims all answer from here.
import { type BankRspCode, bankRspMessage, rspMessage } from '../common/kftc-error';
import { BankRefused, type Echo } from '../common/kftc-refusals';
import type { LedgerRefusal, RefusalReason } from '../ledger/service';
import { type ForcedOutcome, isBankUnderMaintenance } from '../scenarios/scenario-triggers';

/** bank_rsp_code by account state (every reason the ledger refuses, every status but active). */
export const BANK_RSP_CODE_BY_ACCOUNT_STATE = {
  closed: '415',
  accident: '419',
  suspended: '420',
  missing: '412',
  insufficient_funds: '453',
} as const satisfies Record<RefusalReason, BankRspCode>;

/** The bank's answer when no rule names the cause: 기타 처리불가. */
export const OTHER_BANK_REFUSAL = '499' satisfies BankRspCode;

/** The bank_rsp_code for an account state (a ledger status or refusal reason); the fallback for any other. */
export function bankRspCodeFor(state: string): BankRspCode {
  return (BANK_RSP_CODE_BY_ACCOUNT_STATE as Readonly<Record<string, BankRspCode>>)[state] ?? OTHER_BANK_REFUSAL;
}

/** A bank under maintenance (bank/status N) refuses every transfer to or from it. */
export const MAINTENANCE_REFUSAL: ForcedOutcome = { rspCode: 'A0002', bankRspCode: OTHER_BANK_REFUSAL };

/** The answer for a movement the ledger refused. */
export function ledgerRefusalOutcome(err: LedgerRefusal): ForcedOutcome {
  return { rspCode: 'A0002', bankRspCode: bankRspCodeFor(err.reason) };
}

/** bank_rsp_code and bank_rsp_message recorded for a refused transfer (no bank code: the rsp_message). */
export function bankAnswer(outcome: ForcedOutcome): { bankRspCode: string; bankRspMessage: string } {
  const code = outcome.bankRspCode;
  return code
    ? { bankRspCode: code, bankRspMessage: bankRspMessage(code) }
    : { bankRspCode: '', bankRspMessage: rspMessage(outcome.rspCode) };
}

/** Rule: an inquiry's bank refuses while under maintenance, and for an account that is not active. */
export function refuseUnavailableAccount(
  acc: { bankCode: string; status: string },
  bankTranId: string,
  now: Date,
  echo: Echo,
): void {
  const bankCode = acc.bankCode;
  if (isBankUnderMaintenance(bankCode))
    throw new BankRefused({ bankRspCode: OTHER_BANK_REFUSAL, bankTranId, bankCode, now, echo });
  if (acc.status !== 'active')
    throw new BankRefused({ bankRspCode: bankRspCodeFor(acc.status), bankTranId, bankCode, now, echo });
}
