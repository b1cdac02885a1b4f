// Rule: user tokens (3-legged) carry only user scopes (login, inquiry, transfer); institution tokens
// (2-legged) carry exactly one of oob or sa, and sa only for institutions approved for it. Scopes the
// emulator does not offer (cardinfo, fintechinfo, insuinfo) are "not registered for the client".
export const USER_SCOPES = ['login', 'inquiry', 'transfer'] as const;
export const UNSUPPORTED_USER_SCOPES = ['cardinfo', 'fintechinfo', 'insuinfo'] as const;
const INSTITUTION_SCOPES = ['oob', 'sa'] as const;

export type ScopeProblem = 'empty' | 'institution_scope' | 'not_registered' | 'unknown';

/** Parses a space-separated user scope list; returns the scopes in canonical order, or the problem. */
export function parseUserScope(raw: unknown): { ok: true; scopes: string[] } | { ok: false; problem: ScopeProblem } {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, problem: 'empty' };
  const parts = raw.trim().split(/\s+/);
  for (const p of parts) {
    if ((INSTITUTION_SCOPES as readonly string[]).includes(p)) return { ok: false, problem: 'institution_scope' };
    if ((UNSUPPORTED_USER_SCOPES as readonly string[]).includes(p)) return { ok: false, problem: 'not_registered' };
    if (!(USER_SCOPES as readonly string[]).includes(p)) return { ok: false, problem: 'unknown' };
  }
  return { ok: true, scopes: USER_SCOPES.filter((s) => parts.includes(s)) };
}

/** The scope string as KFTC prints it in token responses: "inquiry login transfer" (alphabetical). */
export function scopeString(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}
