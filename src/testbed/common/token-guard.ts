// Rule: an emulator call is allowed only with a Bearer token that (1) verifies as an HS256 JWT signed
// with config.jwtSecret, (2) has a live server-side record (not revoked, not expired, credential set
// active) and (3) carries one of the route's scopes ('sa' stands in for any). Errors: no Bearer header →
// O0001 [992]; bad or revoked token → O0002; expired → O0003; scope → O0011.
// Revocation bound: a token's server-side record is cached per process for at most TOKEN_RECHECK_MS (1 s).
// Every service that revokes tokens or credential sets announces it: it calls forgetCachedTokens() after
// its commit (the credentials service on a secret or set revoked, OAuth on a reused code or a rotated
// refresh token, the management APIs on user/unlink and user/close), which clears the cache at once, so a
// revocation takes effect immediately on the instance that made it and within 1 s on every other. After
// the commit, not before: a read that raced the uncommitted write cannot keep serving what it saw. The
// cache does not watch SQL: a write made around the services is seen within the bound.
// A token minted with a client secret that has since been revoked or has expired (rotation grace over,
// src/credentials/secret-rotation-grace.ts) is refused as revoked (O0002).
import type { FastifyRequest } from 'fastify';
import { createVerifier } from 'fast-jwt';
import type { Runner } from '../../db/knex';
import type { Clock } from '../../clock';
import { KftcError, authParamError, rspMessage } from './kftc-error';
import { testbedContext } from './request-context';

export interface TestbedCaller {
  kind: 'user' | 'org';
  organizationId: string;
  clientUseCode: string;
  userSeqNo: string | null;
  scopes: string[];
  tokenId: string;
}

interface TokenRow {
  jti: string;
  organization_id: string;
  client_use_code: string;
  user_seq_no: string | null;
  scopes: string;
  kind: string;
  expires_at: string;
  revoked_at: string | null;
  set_status: string;
  secret_revoked_at: string | null;
  secret_expires_at: string | null;
}

type Claims = { jti?: unknown; exp?: unknown; aud?: unknown };

const rejected = () => new KftcError('O0002', rspMessage('O0002'));
const expired = () => new KftcError('O0003', rspMessage('O0003'));

/** `Bearer <t>`, `Bearer<t>` (real clients omit the space) and any case of "bearer". */
function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const m = /^\s*bearer\s*(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** How long a token's live/revoked state may be served from this process's cache (real time). */
export const TOKEN_RECHECK_MS = 1000;
const CACHE_MAX = 10_000;

export function createTokenGuard(deps: { db: Runner; clock: Clock; jwtSecret: string; recheckMs?: number }) {
  // Created once. Expiry is checked against the injected clock below, not by the verifier.
  const verify = createVerifier({
    key: deps.jwtSecret,
    algorithms: ['HS256'],
    ignoreExpiration: true,
    ignoreNotBefore: true,
  });
  const recheckMs = deps.recheckMs ?? TOKEN_RECHECK_MS;
  const verified = new Map<string, Claims>();
  // jti → the record as read and when (performance.now()); unknown tokens are never cached.
  const records = new Map<string, { row: TokenRow; at: number }>();
  // Reads started before the last announced revocation must not refill the cache with what they saw.
  let epoch = 0;

  async function tokenRecord(jti: string): Promise<TokenRow | undefined> {
    const now = performance.now();
    const hit = records.get(jti);
    if (hit && now - hit.at < recheckMs) return hit.row;
    const started = epoch;
    const row = await deps
      .db('testbed_tokens as t')
      .join('credential_sets as c', 'c.id', 't.credential_set_id')
      .leftJoin('client_secrets as s', 's.id', 't.client_secret_id')
      .where('t.jti', jti)
      .first<TokenRow | undefined>(
        't.jti',
        't.organization_id',
        't.client_use_code',
        't.user_seq_no',
        't.scopes',
        't.kind',
        't.expires_at',
        't.revoked_at',
        'c.status as set_status',
        's.revoked_at as secret_revoked_at',
        's.expires_at as secret_expires_at',
      );
    if (row && started === epoch) {
      if (records.size >= CACHE_MAX) records.clear();
      records.set(jti, { row, at: now });
    }
    return row;
  }

  async function authenticate(req: FastifyRequest, allowedScopes: readonly string[]): Promise<TestbedCaller> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw authParamError('992');
    // A token's claims depend only on its text and the key: verified once, then looked up by the text
    // (cheaper than fast-jwt's own cache, which hashes the token on every call). Failures are not cached.
    let claims = verified.get(token);
    if (!claims) {
      try {
        claims = verify(token) as Claims;
      } catch {
        throw rejected();
      }
      if (verified.size >= CACHE_MAX) verified.clear();
      verified.set(token, claims);
    }
    if (typeof claims.jti !== 'string' || claims.jti.length > 36) throw rejected();
    const nowMs = deps.clock().getTime();
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs) throw expired();
    const row = await tokenRecord(claims.jti);
    if (!row || row.revoked_at || row.set_status !== 'active') throw rejected();
    if (row.secret_revoked_at || (row.secret_expires_at && Date.parse(row.secret_expires_at) <= nowMs))
      throw rejected();
    if (Date.parse(row.expires_at) <= nowMs) throw expired();
    const ctx = testbedContext(req);
    ctx.organizationId = row.organization_id;
    ctx.userSeqNo = row.user_seq_no;
    ctx.clientUseCode = row.client_use_code;
    const scopes = row.scopes.split(' ').filter(Boolean);
    if (!scopes.includes('sa') && !scopes.some((s) => allowedScopes.includes(s)))
      throw new KftcError('O0011', rspMessage('O0011'));
    return {
      kind: row.kind === 'user' ? 'user' : 'org',
      organizationId: row.organization_id,
      clientUseCode: row.client_use_code,
      userSeqNo: row.user_seq_no,
      scopes,
      tokenId: row.jti,
    };
  }

  /** Drops every cached token record (called after a commit that revoked tokens on this instance). */
  function forgetCachedTokens(): void {
    records.clear();
    epoch += 1;
  }

  return { authenticate, forgetCachedTokens };
}

/** What a service that revokes tokens needs of the guard: to announce it after its commit. */
export interface TokenCache {
  forgetCachedTokens(): void;
}

/**
 * Authenticates an emulator call (see the rule at the top of this file) and records the caller in the
 * request context for the request log. Uses the guard wired in src/services.ts.
 */
export function authenticate(req: FastifyRequest, allowedScopes: readonly string[]): Promise<TestbedCaller> {
  return req.server.services.testbedTokenGuard.authenticate(req, allowedScopes);
}
