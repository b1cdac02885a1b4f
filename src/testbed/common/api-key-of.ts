// The request log's API key for a route: the service catalogue's key (`balance`, `withdraw`,
// `deposit_fin_num`, …), `oauth_token` and `sandbox_authorize` for the token endpoint and the sandbox
// shortcut, `authorize` for the authorize pages, and for the management APIs the path after /v2.0/ with
// `_` for `/` (`user_me`, `account_list`, …, as their OpenAPI operation ids).
import { APIS } from '../services/api-catalogue';

const BY_PATH = new Map<string, string>(APIS.map((a) => [a.path, a.key]));
BY_PATH.set('/oauth/2.0/token', 'oauth_token');
BY_PATH.set('/testbed/sandbox/authorize', 'sandbox_authorize');

/** `routeUrl` is the matched route's pattern (undefined when no route matched). */
export function apiKeyOf(routeUrl: string | undefined): string | null {
  if (!routeUrl) return null;
  const known = BY_PATH.get(routeUrl);
  if (known) return known;
  if (routeUrl.startsWith('/oauth/2.0/authorize')) return 'authorize';
  if (routeUrl.startsWith('/v2.0/'))
    return routeUrl
      .slice('/v2.0/'.length)
      .replace(/\/fin_num$/, '')
      .replace(/[^a-z0-9]+/gi, '_')
      .slice(0, 40);
  return null;
}

/** The bank_tran_id a call carried: at the top level, or the first item's (a deposit's req_list). */
export function bankTranIdOf(fields: unknown): string | null {
  if (!fields || typeof fields !== 'object') return null;
  const f = fields as Record<string, unknown>;
  if (typeof f.bank_tran_id === 'string') return f.bank_tran_id;
  const list = f.req_list;
  if (
    Array.isArray(list) &&
    list[0] &&
    typeof list[0] === 'object' &&
    typeof (list[0] as Record<string, unknown>).bank_tran_id === 'string'
  ) {
    return (list[0] as Record<string, unknown>).bank_tran_id as string;
  }
  return null;
}
