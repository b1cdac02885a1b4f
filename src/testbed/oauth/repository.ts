// Knex queries for authorization codes and issued tokens.
import type { Runner } from '../../db/knex';

export interface AuthCodeRecord {
  id: string;
  codeHash: string;
  organizationId: string;
  credentialSetId: string;
  redirectUri: string;
  userSeqNo: string;
  scope: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface TokenRecord {
  jti: string;
  organizationId: string;
  credentialSetId: string;
  clientUseCode: string;
  userSeqNo: string | null;
  scopes: string;
  kind: 'user' | 'org';
  expiresAt: string;
  refreshHash: string | null;
  refreshExpiresAt: string | null;
  authCodeId: string | null;
  createdAt: string;
  revokedAt: string | null;
  clientSecretId?: string | null;
}

interface TokenRow {
  jti: string;
  organization_id: string;
  credential_set_id: string;
  client_use_code: string;
  user_seq_no: string | null;
  scopes: string;
  kind: string;
  expires_at: string;
  refresh_hash: string | null;
  refresh_expires_at: string | null;
  auth_code_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

function tokenFromRow(r: TokenRow): TokenRecord {
  return {
    jti: r.jti,
    organizationId: r.organization_id,
    credentialSetId: r.credential_set_id,
    clientUseCode: r.client_use_code,
    userSeqNo: r.user_seq_no,
    scopes: r.scopes,
    kind: r.kind === 'user' ? 'user' : 'org',
    expiresAt: r.expires_at,
    refreshHash: r.refresh_hash,
    refreshExpiresAt: r.refresh_expires_at,
    authCodeId: r.auth_code_id,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export function createOAuthRepository() {
  return {
    async insertCode(run: Runner, c: Omit<AuthCodeRecord, 'usedAt'>): Promise<void> {
      await run('testbed_auth_codes').insert({
        id: c.id,
        code_hash: c.codeHash,
        organization_id: c.organizationId,
        credential_set_id: c.credentialSetId,
        redirect_uri: c.redirectUri,
        user_seq_no: c.userSeqNo,
        scope: c.scope,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        used_at: null,
      });
    },

    async findCodeByHash(run: Runner, codeHash: string): Promise<AuthCodeRecord | undefined> {
      const r = await run('testbed_auth_codes').where({ code_hash: codeHash }).first();
      return r
        ? {
            id: r.id,
            codeHash: r.code_hash,
            organizationId: r.organization_id,
            credentialSetId: r.credential_set_id,
            redirectUri: r.redirect_uri,
            userSeqNo: r.user_seq_no,
            scope: r.scope,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
            usedAt: r.used_at,
          }
        : undefined;
    },

    /** Compare-and-set: true only for the first use. */
    async markCodeUsed(run: Runner, id: string, at: string): Promise<boolean> {
      return (await run('testbed_auth_codes').where({ id }).whereNull('used_at').update({ used_at: at })) === 1;
    },

    async insertToken(run: Runner, t: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
      await run('testbed_tokens').insert({
        jti: t.jti,
        organization_id: t.organizationId,
        credential_set_id: t.credentialSetId,
        client_use_code: t.clientUseCode,
        user_seq_no: t.userSeqNo,
        scopes: t.scopes,
        kind: t.kind,
        expires_at: t.expiresAt,
        refresh_hash: t.refreshHash,
        refresh_expires_at: t.refreshExpiresAt,
        auth_code_id: t.authCodeId,
        created_at: t.createdAt,
        revoked_at: null,
        client_secret_id: t.clientSecretId ?? null,
      });
    },

    async findTokenByRefreshHash(run: Runner, refreshHash: string): Promise<TokenRecord | undefined> {
      const r = await run<TokenRow>('testbed_tokens').where({ refresh_hash: refreshHash }).first();
      return r ? tokenFromRow(r) : undefined;
    },

    async findToken(run: Runner, jti: string): Promise<TokenRecord | undefined> {
      const r = await run<TokenRow>('testbed_tokens').where({ jti }).first();
      return r ? tokenFromRow(r) : undefined;
    },

    /** Compare-and-set revocation of one token (refresh rotation): true only once. */
    async revokeToken(run: Runner, jti: string, at: string): Promise<boolean> {
      return (await run('testbed_tokens').where({ jti }).whereNull('revoked_at').update({ revoked_at: at })) === 1;
    },

    async revokeTokensFromCode(run: Runner, authCodeId: string, at: string): Promise<number> {
      return run('testbed_tokens')
        .where({ auth_code_id: authCodeId })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
    },

    /** Revokes the organization's tokens for a user; with `scope`, only tokens carrying it. */
    async revokeUserTokens(
      run: Runner,
      organizationId: string,
      userSeqNo: string,
      at: string,
      scope?: string,
    ): Promise<number> {
      const live = await run<TokenRow>('testbed_tokens')
        .where({ organization_id: organizationId, user_seq_no: userSeqNo })
        .whereNull('revoked_at')
        .select('jti', 'scopes');
      const jtis = live.filter((t) => !scope || t.scopes.split(' ').includes(scope)).map((t) => t.jti);
      let n = 0;
      for (let i = 0; i < jtis.length; i += 200)
        n += await run('testbed_tokens')
          .whereIn('jti', jtis.slice(i, i + 200))
          .update({ revoked_at: at });
      return n;
    },
  };
}
