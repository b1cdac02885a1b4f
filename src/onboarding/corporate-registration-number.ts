// Rule: a 법인등록번호 is 13 digits whose last digit is (10 − Σ dᵢ×wᵢ mod 10) mod 10 with weights
// 1,2,1,2,…(12 weights); hyphens and spaces are harmless and stripped before checking.

const WEIGHTS = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2];

export function corporateRegistrationCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * WEIGHTS[i]!;
  return (10 - (sum % 10)) % 10;
}

export type CrnCheck = { ok: true; value: string } | { ok: false; reason: 'format' | 'check_digit' };

/** Validates and normalizes to thirteen digits. */
export function checkCorporateRegistrationNumber(input: string): CrnCheck {
  const digits = input.replace(/[\s\-–]/g, '');
  if (!/^\d{13}$/.test(digits)) return { ok: false, reason: 'format' };
  if (corporateRegistrationCheckDigit(digits.slice(0, 12)) !== Number(digits[12]))
    return { ok: false, reason: 'check_digit' };
  return { ok: true, value: digits };
}

/** "1101111234567" → "110111-1234567" (for display). */
export function formatCorporateRegistrationNumber(digits: string): string {
  return /^\d{13}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
}
