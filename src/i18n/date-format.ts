// Dates and times as people read them, always in Korean time (Asia/Seoul): Korean pages get
// "2026년 12월 3일 오후 3:56" and "2026년 12월 3일", English pages "3 Dec 2026, 15:56" and "3 Dec 2026".
// The Korean forms are written out here rather than asked of Intl: a Node built without full ICU data
// (as Debian's is) formats ko-KR as "2026. 12. 3. PM 3:56".
import type { Locale } from './index';

const KST_MS = 9 * 3600_000;
// Made once: building an Intl formatter costs far more than formatting with it (a page formats dozens of dates).
const EN_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Seoul',
});
const EN_DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Asia/Seoul' });

function kstParts(d: Date) {
  const k = new Date(d.getTime() + KST_MS);
  return {
    y: k.getUTCFullYear(),
    m: k.getUTCMonth() + 1,
    day: k.getUTCDate(),
    h: k.getUTCHours(),
    min: k.getUTCMinutes(),
  };
}

function parse(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2026년 12월 3일 오후 3:56" / "3 Dec 2026, 15:56"; the input unchanged when it is not a date. */
export function formatDateTime(locale: Locale, value: unknown): string {
  const d = parse(value);
  if (!d) return value === null || value === undefined ? '' : String(value);
  if (locale === 'ko') {
    const p = kstParts(d);
    const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
    return `${p.y}년 ${p.m}월 ${p.day}일 ${p.h < 12 ? '오전' : '오후'} ${h12}:${String(p.min).padStart(2, '0')}`;
  }
  return EN_DATE_TIME.format(d);
}

/** "2026년 12월 3일" / "3 Dec 2026". */
export function formatDate(locale: Locale, value: unknown): string {
  const d = parse(value);
  if (!d) return value === null || value === undefined ? '' : String(value);
  if (locale === 'ko') {
    const p = kstParts(d);
    return `${p.y}년 ${p.m}월 ${p.day}일`;
  }
  return EN_DATE.format(d);
}
