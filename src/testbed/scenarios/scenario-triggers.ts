// Pure rules that map a request to a scenario of the catalogue (catalogue.ts). Each returns the forced
// outcome or null for "process normally".
import type { BankRspCode, KftcRspCode } from '../common/kftc-error';
import {
  AMOUNT_INSUFFICIENT_AVAILABLE,
  AMOUNT_INSUFFICIENT_FUNDS,
  AMOUNT_TIMEOUT,
  FDS_MARKER,
  MAINTENANCE_BANK_CODE,
  MARKERS,
  PASS_PHRASE_MARKER,
  RETURN_PARTIAL_MARKER,
  RETURN_REFUSED_MARKER,
} from './catalogue';

/** An answer a rule or a scenario forces: rsp_code, and bank_rsp_code when the bank refuses. */
export interface ForcedOutcome {
  rspCode: KftcRspCode;
  bankRspCode?: BankRspCode;
}

/** The first marker found in any of the print contents. */
export function markerOutcome(...printContents: (string | undefined | null)[]): ForcedOutcome | null {
  for (const text of printContents) {
    if (!text?.includes('#')) continue;
    for (const [marker, outcome] of Object.entries(MARKERS)) if (text.includes(marker)) return outcome;
  }
  return null;
}

/** Amount triggers that force a bank refusal regardless of the balance. */
export function amountOutcome(amount: number): ForcedOutcome | null {
  if (amount === AMOUNT_INSUFFICIENT_FUNDS) return { rspCode: 'A0002', bankRspCode: '453' };
  if (amount === AMOUNT_INSUFFICIENT_AVAILABLE) return { rspCode: 'A0002', bankRspCode: '454' };
  return null;
}

/** The amount that books the transfer but answers A0001 (처리중) until the result settles. */
export function isTimeoutAmount(amount: number): boolean {
  return amount === AMOUNT_TIMEOUT;
}

export function isBankUnderMaintenance(bankCode: string): boolean {
  return bankCode === MAINTENANCE_BANK_CODE;
}

/** A deposit's wd_pass_phrase that forces A0307 (every other value is accepted in the sandbox). */
export function isPassPhraseRefused(passPhrase: string): boolean {
  return passPhrase === PASS_PHRASE_MARKER;
}

/** How a return claim settles when its claim_message carries a marker; null = by the ledger (in full, or refused for lack of funds). */
export function returnOutcome(
  claimMessage: string,
): { kind: 'partial' } | { kind: 'refused'; failCode: BankRspCode; failMessage: string } | null {
  if (claimMessage.includes(RETURN_REFUSED_MARKER))
    return { kind: 'refused', failCode: '499', failMessage: '수취인 반환 거부' };
  if (claimMessage.includes(RETURN_PARTIAL_MARKER)) return { kind: 'partial' };
  return null;
}

/** A withdrawal print content that makes fds_detect report the withdrawal. */
export function hasFdsMarker(...printContents: (string | null | undefined)[]): boolean {
  return printContents.some((t) => Boolean(t?.includes(FDS_MARKER)));
}
