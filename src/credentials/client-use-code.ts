// Rule: an 이용기관코드 (client_use_code) is "M" + the four-digit year of issue + a five-digit number,
// e.g. M202600001; numbers count per year and are never reused.
export const CLIENT_USE_CODE_PATTERN = /^M\d{9}$/;

export function formatClientUseCode(year: number, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99_999) throw new RangeError('no 이용기관코드 numbers left for this year');
  return `M${year}${String(n).padStart(5, '0')}`;
}
