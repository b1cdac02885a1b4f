// Pure rules that map a request to a scenario of the catalogue (catalogue.ts). Each returns the forced
// outcome or null for "process normally".
import { AMOUNT_INSUFFICIENT_AVAILABLE, AMOUNT_INSUFFICIENT_FUNDS, AMOUNT_TIMEOUT, MAINTENANCE_BANK_CODE, MARKERS } from './catalogue';

export interface ForcedOutcome { rspCode: string; bankRspCode?: string }

/** The first marker found in any of the print contents. */
export function markerOutcome(...printContents: (string | undefined | null)[]): ForcedOutcome | null {
  for (const text of printContents) {
    if (!text || !text.includes('#')) continue;
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
