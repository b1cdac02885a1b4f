export function formatClientUseCode(year: number, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99_999) throw new RangeError('no 이용기관코드 numbers left for this year');
  return `M${year}${String(n).padStart(5, '0')}`;
}
