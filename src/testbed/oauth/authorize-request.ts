// Validation of GET /oauth/2.0/authorize parameters (§2). The client and redirect_uri are checked
// first: when either is wrong the error is shown on a page and never redirected. Other problems go back
// to the (now trusted) redirect_uri as error=… with the state.
import { parseUserScope } from './scopes';

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  authType: '0' | '2';
  clientInfo: string | null;
  lang: 'kor' | 'eng' | null;
  registerInfo: string;
}

export interface PageProblem {
  kind: 'page';
  reason: 'client_missing' | 'client_invalid' | 'redirect_missing' | 'redirect_unregistered' | 'duplicate';
}
export interface RedirectProblem {
  kind: 'redirect';
  error: 'invalid_request' | 'unsupported_response_type' | 'invalid_scope';
  description: string;
}

const YN_PARAMS = ['cellphone_cert_yn', 'authorized_cert_yn', 'account_hold_auth_yn'];
const STATE_RE = /^[\x21-\x7e]{32}$/;

function single(q: Record<string, unknown>, name: string): string | undefined | null {
  const v = q[name];
  if (Array.isArray(v)) return null; // duplicate
  return typeof v === 'string' ? v : undefined;
}

/** Step 1: client_id and redirect_uri (problems here are shown on a page). */
export function clientAndRedirect(q: Record<string, unknown>): { clientId: string; redirectUri: string } | PageProblem {
  const clientId = single(q, 'client_id');
  const redirectUri = single(q, 'redirect_uri');
  if (clientId === null || redirectUri === null) return { kind: 'page', reason: 'duplicate' };
  if (!clientId) return { kind: 'page', reason: 'client_missing' };
  if (!redirectUri) return { kind: 'page', reason: 'redirect_missing' };
  return { clientId, redirectUri };
}

/** Step 2, once client and redirect_uri are trusted: everything else. */
export function authorizeParams(
  q: Record<string, unknown>,
  base: { clientId: string; redirectUri: string },
): AuthorizeParams | RedirectProblem {
  for (const [k, v] of Object.entries(q)) {
    if (Array.isArray(v))
      return { kind: 'redirect', error: 'invalid_request', description: `[3000103] duplicate parameter ${k}` };
  }
  const responseType = single(q, 'response_type');
  if (!responseType)
    return { kind: 'redirect', error: 'invalid_request', description: '[3000103] response_type is required' };
  if (responseType !== 'code')
    return {
      kind: 'redirect',
      error: 'unsupported_response_type',
      description: '[3000116] response_type must be code',
    };
  const state = single(q, 'state') ?? '';
  if (!STATE_RE.test(state))
    return { kind: 'redirect', error: 'invalid_request', description: '[3000103] state must be 32 characters' };
  const scope = parseUserScope(single(q, 'scope'));
  if (!scope.ok) {
    return scope.problem === 'empty'
      ? { kind: 'redirect', error: 'invalid_request', description: '[3000103] scope is required' }
      : { kind: 'redirect', error: 'invalid_scope', description: '[3000115] scope not allowed for this client' };
  }
  const authType = single(q, 'auth_type');
  if (authType !== '0' && authType !== '2')
    return { kind: 'redirect', error: 'invalid_request', description: '[3000103] auth_type must be 0 or 2' };
  const clientInfo = single(q, 'client_info');
  if (clientInfo !== undefined && clientInfo !== null && clientInfo.length > 256)
    return {
      kind: 'redirect',
      error: 'invalid_request',
      description: '[3000103] client_info is longer than 256 characters',
    };
  const lang = single(q, 'lang');
  if (lang !== undefined && lang !== 'kor' && lang !== 'eng')
    return { kind: 'redirect', error: 'invalid_request', description: '[3000103] lang must be kor or eng' };
  for (const p of YN_PARAMS) {
    const v = single(q, p);
    if (v !== undefined && v !== 'Y' && v !== 'N')
      return { kind: 'redirect', error: 'invalid_request', description: `[3000103] ${p} must be Y or N` };
  }
  const registerInfo = single(q, 'register_info') ?? 'A';
  if (!['A', 'C', 'F', 'I', 'L'].includes(registerInfo))
    return {
      kind: 'redirect',
      error: 'invalid_request',
      description: '[3000103] register_info must be A, C, F, I or L',
    };
  if (registerInfo !== 'A')
    return {
      kind: 'redirect',
      error: 'invalid_request',
      description: `[3000103] register_info=${registerInfo} is not offered by this test bed (accounts only)`,
    };
  return {
    clientId: base.clientId,
    redirectUri: base.redirectUri,
    scopes: scope.scopes,
    state,
    authType,
    clientInfo: clientInfo ?? null,
    lang: lang === 'kor' || lang === 'eng' ? lang : null,
    registerInfo,
  };
}

/** redirect_uri?code=…&scope=…&client_info=…&state=… (existing query parameters kept). */
export function successRedirect(
  redirectUri: string,
  p: { code: string; scope: string; clientInfo: string | null; state: string },
): string {
  const url = new URL(redirectUri);
  url.searchParams.append('code', p.code);
  url.searchParams.append('scope', p.scope);
  url.searchParams.append('client_info', p.clientInfo ?? '');
  url.searchParams.append('state', p.state);
  return url.toString();
}

/** redirect_uri?error=…&error_description=…&state=… */
export function errorRedirect(
  redirectUri: string,
  p: { error: string; description: string; state: string | null },
): string {
  const url = new URL(redirectUri);
  url.searchParams.append('error', p.error);
  url.searchParams.append('error_description', p.description);
  if (p.state) url.searchParams.append('state', p.state);
  return url.toString();
}
