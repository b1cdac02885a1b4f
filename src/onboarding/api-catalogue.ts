// The Open Banking APIs an applicant can request: one place for keys, KFTC paths and scopes.
// Onboarding shows it, the test bed enforces it, the workflow checks testbed evidence against it.
// To add an API: add one entry here and its name/description in src/i18n/locales/{ko,en}/onboarding.ts
// (onboarding.apis.<key>.name / .description).

export type ApiScope = 'login' | 'inquiry' | 'transfer' | 'oob';

export interface ApiCatalogueEntry {
  key: string;
  method: 'GET' | 'POST';
  /** KFTC paths, exactly as the real test bed spells them. */
  paths: string[];
  /** The scope the API call itself needs. */
  scope: ApiScope;
  /** The scopes the applicant must be granted to use it (user APIs also need login for the 3-legged flow). */
  impliedScopes: ApiScope[];
}

export const API_CATALOGUE: readonly ApiCatalogueEntry[] = [
  {
    key: 'balance',
    method: 'GET',
    paths: ['/v2.0/account/balance/fin_num'],
    scope: 'inquiry',
    impliedScopes: ['inquiry', 'login'],
  },
  {
    key: 'transaction_list',
    method: 'GET',
    paths: ['/v2.0/account/transaction_list/fin_num'],
    scope: 'inquiry',
    impliedScopes: ['inquiry', 'login'],
  },
  { key: 'real_name', method: 'POST', paths: ['/v2.0/inquiry/real_name'], scope: 'oob', impliedScopes: ['oob'] },
  { key: 'remit_list', method: 'POST', paths: ['/v2.0/inquiry/remit_list'], scope: 'oob', impliedScopes: ['oob'] },
  { key: 'receive', method: 'POST', paths: ['/v2.0/inquiry/receive'], scope: 'oob', impliedScopes: ['oob'] },
  {
    key: 'withdraw',
    method: 'POST',
    paths: ['/v2.0/transfer/withdraw/fin_num'],
    scope: 'transfer',
    impliedScopes: ['transfer', 'login'],
  },
  {
    key: 'deposit',
    method: 'POST',
    paths: ['/v2.0/transfer/deposit/fin_num', '/v2.0/transfer/deposit/acnt_num'],
    scope: 'oob',
    impliedScopes: ['oob'],
  },
  { key: 'transfer_result', method: 'POST', paths: ['/v2.0/transfer/result'], scope: 'oob', impliedScopes: ['oob'] },
];
export const API_KEYS: readonly string[] = API_CATALOGUE.map((a) => a.key);
const SCOPE_ORDER: ApiScope[] = ['login', 'inquiry', 'transfer', 'oob'];

export function findApi(key: string): ApiCatalogueEntry | undefined {
  return API_CATALOGUE.find((a) => a.key === key);
}

/** The union of scopes the requested APIs imply, in a stable order (login, inquiry, transfer, oob). */
export function impliedScopes(keys: readonly string[]): ApiScope[] {
  const set = new Set<ApiScope>();
  for (const k of keys) for (const s of findApi(k)?.impliedScopes ?? []) set.add(s);
  return SCOPE_ORDER.filter((s) => set.has(s));
}

/** The catalogue entry whose path and method match a request path (for the test bed), if any. */
export function apiForPath(method: string, path: string): ApiCatalogueEntry | undefined {
  const p = path.split('?')[0];
  return API_CATALOGUE.find((a) => a.method === method.toUpperCase() && a.paths.includes(p ?? ''));
}
