// Rule: a 사업자등록번호 is 10 digits whose last digit is the check digit computed with weights
// 1,3,7,1,3,7,1,3,5 (plus ⌊d9×5/10⌋); hyphens and spaces are harmless and stripped before checking.

const WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5];

/** Digits only, or null when anything other than digits, spaces and hyphens was typed. */
function stripBusinessRegistrationNumber(input: string): string | null {
  const compact = input.replace(/[\s\-–]/g, '');
  return /^\d*$/.test(compact) ? compact : null;
}

/** The check digit for the first nine digits. */
export function businessRegistrationCheckDigit(first9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * WEIGHTS[i]!;
  sum += Math.floor((Number(first9[8]) * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

export type BrnCheck = { ok: true; value: string } | { ok: false; reason: 'format' | 'check_digit' };

/** Validates and normalizes to ten digits. */
export function checkBusinessRegistrationNumber(input: string): BrnCheck {
  const digits = stripBusinessRegistrationNumber(input);
  if (digits === null || digits.length !== 10) return { ok: false, reason: 'format' };
  if (businessRegistrationCheckDigit(digits.slice(0, 9)) !== Number(digits[9]))
    return { ok: false, reason: 'check_digit' };
  return { ok: true, value: digits };
}

/** "1234567890" → "123-45-67890" (for display). */
export function formatBusinessRegistrationNumber(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}` : digits;
}
