// One table of every code the emulator can answer: rsp_code (A- and O-codes) and bank_rsp_code, each with
// its meaning (testbed.code_meaning.<code> in both languages) and the endpoints on
// /docs that can answer it (anchors #api-<key>).
import { bankMessages, messages } from '../common/kftc-error';
import { ENDPOINTS } from './endpoints';
import { translate, type Locale } from '../../i18n';

export interface CodeRow {
  code: string;
  kind: 'rsp' | 'bank';
  meaning: string;
  endpoints: { key: string; label: string }[];
}

export function codeCatalogue(locale: Locale): CodeRow[] {
  const rowsFor = (codes: string[], kind: 'rsp' | 'bank') =>
    codes.map((code) => {
      const users = ENDPOINTS.filter(
        (e) =>
          e.codes.some((c) => (kind === 'rsp' ? c.code === code : c.bank === code)) ||
          (kind === 'rsp' && code === 'A0000' && e.tag !== 'oauth'),
      );
      const seen = new Set<string>();
      return {
        code,
        kind,
        meaning: translate(locale, `testbed.code_meaning.${code}`),
        endpoints: users
          .filter((e) => !seen.has(e.key) && seen.add(e.key))
          .map((e) => ({ key: e.key, label: `${e.method} ${e.path}` })),
      };
    });
  return [...rowsFor(Object.keys(messages).sort(), 'rsp'), ...rowsFor(Object.keys(bankMessages).sort(), 'bank')];
}

/** Every code the catalogue lists (for the catalog test: each has an English meaning). */
export function catalogueCodes(): string[] {
  return [...Object.keys(messages), ...Object.keys(bankMessages)];
}
