// Message catalogs: Korean is the default, English on request. Keys are "<namespace>.<key>".
// Every user-facing string comes from here; test/i18n checks both languages have the same keys.
import { catalogs } from './catalogs';
import { fillWithParticles } from './korean-particles';

export const LOCALES = ['ko', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const DEFAULT_LOCALE: Locale = 'ko';

export function isLocale(s: unknown): s is Locale {
  return s === 'ko' || s === 'en';
}

type Flat = Map<string, string>;
const flat: Record<Locale, Flat> = { ko: new Map(), en: new Map() };

function flatten(prefix: string, obj: Record<string, unknown>, into: Flat): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'string') into.set(key, v);
    else if (v && typeof v === 'object') flatten(key, v as Record<string, unknown>, into);
  }
}
for (const locale of LOCALES) {
  for (const [ns, messages] of Object.entries(catalogs[locale]))
    flatten(ns, messages as Record<string, unknown>, flat[locale]);
}

export function messageKeys(locale: Locale): string[] {
  return [...flat[locale].keys()].sort();
}

export function hasMessage(locale: Locale, key: string): boolean {
  return flat[locale].has(key);
}

/** Translate; "{name}" placeholders are filled from params. A missing key shows itself, loudly. */
export function translate(locale: Locale, key: string, params?: Record<string, unknown>): string {
  const msg = flat[locale].get(key) ?? flat[DEFAULT_LOCALE].get(key);
  if (msg === undefined) return `⟦${key}⟧`;
  // Without a placeholder there is nothing to fill (templates pass an empty hash to every {{t}} call).
  if (!params || !msg.includes('{')) return msg;
  return fillWithParticles(msg, params);
}

/** Pick a locale from an explicit choice, then Accept-Language, then the default. */
export function negotiateLocale(explicit: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(explicit)) return explicit;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .filter((x) => x.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) {
      const base = tag.split('-')[0];
      if (isLocale(base)) return base;
    }
  }
  return DEFAULT_LOCALE;
}
