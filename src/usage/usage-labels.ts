// How the usage numbers are named and printed for a person: API names (KFTC's Korean titles from the
// API catalogue, the usage catalog's names for OAuth steps and management APIs), response code meanings
// from KFTC's code list, Korean days as "12월 3일 (목)" and times as "오후 3:56", counts with separators, one-decimal percentages.
import { translate, hasMessage, type Locale } from '../i18n';
import { messages } from '../testbed/common/kftc-error';
import { APIS } from '../testbed/services/api-catalogue';

const TITLES = new Map<string, string>(APIS.map((a) => [a.key, a.title]));

/** A readable API name: Korean pages give KFTC's title, English pages the key; never empty. */
export function apiName(locale: Locale, api: string | null): string {
  if (api === null) return translate(locale, 'usage.api_names.unknown');
  if (hasMessage(locale, `usage.api_names.${api}`)) return translate(locale, `usage.api_names.${api}`);
  if (locale === 'ko' && TITLES.has(api)) return TITLES.get(api)!;
  return api;
}

/** KFTC's message for a response code ('' when the catalogue has none). */
export function codeMeaning(code: string): string {
  return messages[code] || (code === 'A0000' ? '정상처리' : '');
}

function intlLocale(locale: Locale): string {
  return locale === 'ko' ? 'ko-KR' : 'en-GB';
}

/** "2026-12-03" (a Korean day) → "12월 3일" / "3 Dec"; `withWeekday` adds "(목)" / "Thu". */
export function dayLabel(locale: Locale, day: string, withWeekday = false): string {
  const [y, m, d] = day.split('-').map(Number);
  const at = new Date(Date.UTC(y!, m! - 1, d!));
  const opts: Intl.DateTimeFormatOptions = {
    month: locale === 'ko' ? 'long' : 'short',
    day: 'numeric',
    timeZone: 'UTC',
  };
  const base = new Intl.DateTimeFormat(intlLocale(locale), opts).format(at);
  if (!withWeekday) return base;
  const wd = new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'short', timeZone: 'UTC' }).format(at);
  return locale === 'ko' ? `${base} (${wd})` : `${wd} ${base}`;
}

/**
 * An instant as Korean time: "2026년 12월 3일 오후 3:56" (written out here: the ICU data of recent Node
 * versions prints "PM 3:56" for ko-KR's short time style); English "3 Dec 2026, 15:56".
 */
export function momentLabel(locale: Locale, iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  if (locale !== 'ko')
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' }).format(
      at,
    );
  const k = new Date(at.getTime() + 9 * 3600_000);
  const h = k.getUTCHours();
  const minutes = String(k.getUTCMinutes()).padStart(2, '0');
  return `${k.getUTCFullYear()}년 ${k.getUTCMonth() + 1}월 ${k.getUTCDate()}일 ${h < 12 ? '오전' : '오후'} ${h % 12 === 0 ? 12 : h % 12}:${minutes}`;
}

const COUNT = new Intl.NumberFormat('ko-KR');
export function count(n: number): string {
  return COUNT.format(n);
}

export function percent(n: number): string {
  return `${(Math.round(n * 10) / 10).toFixed(1)}%`;
}
