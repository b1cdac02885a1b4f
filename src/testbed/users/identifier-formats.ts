// Rule: test-bed identifiers have the real formats (§5): user_seq_no is 10 digits starting "11";
// user_ci is 88 characters of base64 (64 bytes); fintech_use_num is 24 digits = "1" + the 9 digits of
// the 이용기관코드 + 14 digits. The variable digits are derived from a fresh id (injected), so they are
// unpredictable in production and reproducible in tests.
import crypto from 'node:crypto';

function digitsFrom(seed: string, count: number): string {
  let out = '';
  let block = 0;
  while (out.length < count) {
    const h = crypto.createHash('sha256').update(`${seed}:${block++}`).digest();
    for (const byte of h) {
      if (byte < 250) out += String(byte % 10); // reject 250..255: no bias
      if (out.length === count) break;
    }
  }
  return out;
}

export function userSeqNoFrom(seed: string): string {
  return `11${digitsFrom(`user:${seed}`, 8)}`;
}

export function userCiFrom(seed: string): string {
  return crypto.createHash('sha512').update(`ci:${seed}`).digest('base64');
}

export function fintechUseNumFrom(clientUseCode: string, seed: string): string {
  const orgDigits = clientUseCode.slice(1).replace(/\D/g, '').padStart(9, '0').slice(-9);
  return `1${orgDigits}${digitsFrom(`fin:${seed}`, 14)}`;
}

/** A bank account number for a new test account: 13 digits, 110 prefix at the test bank. */
export function accountNumFrom(bankCode: string, seed: string): string {
  return bankCode === '097' ? `110${digitsFrom(`acct:${seed}`, 10)}` : digitsFrom(`acct:${bankCode}:${seed}`, 12);
}
