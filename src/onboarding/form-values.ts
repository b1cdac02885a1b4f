// Rule: harmless variation in typed values is accepted — spaces, hyphens and thousands separators in
// numbers, dots or slashes in dates — and values are stored in one normal form.

/** "1,000,000", "1 000 000원" → 1000000; null when not a whole number. */
export function parseWholeNumber(input: string): number | null {
  const s = input.replace(/[\s,_]/g, '').replace(/(원|KRW|건|명)$/i, '');
  if (!/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** "2020-01-15", "2020.1.15.", "2020/01/15", "20200115" → "2020-01-15"; null when not a real date. */
export function parseIsoDate(input: string): string | null {
  const s = input.replace(/\s+/g, '').replace(/\.$/, '');
  let m = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Today's date in Korea (Asia/Seoul, UTC+9 without daylight saving) as YYYY-MM-DD. */
export function koreanToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The year in Korea, used for reference numbers. */
export function koreanYear(now: Date): number {
  return Number(koreanToday(now).slice(0, 4));
}

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;
export function isEmailAddress(s: string): boolean {
  return s.length <= 254 && EMAIL_RE.test(s);
}
