// The test bed's OAuth 2.0 server: authorization codes, the token endpoint's three grants, refresh-token
// rotation, and HS256 JWT access and refresh tokens whose record is kept server-side (so they can be
// revoked). A refresh token is a JWT with its own `exp` (10 days after its access token's) as in public
// samples; its `jti` is never a token record's, so the token guard refuses it as an access token (O0002).
// It is checked by its SHA-256 in testbed_tokens (single use, rotated), not by its signature alone.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { createSigner } from 'fast-jwt';
import type { Clock } from '../../clock';
import type { IdGenerator } from '../../db/ids';
import type { AppConfig } from '../../config';
import type { CredentialsService, CredentialSet } from '../../credentials/service';
import type { TestbedUsersService } from '../users/service';
import { isRegisteredRedirectUri } from '../../credentials/redirect-uri-match';
import { sha256Hex } from '../../secret-tokens';
import { KftcError, authParamError, messages } from '../common/kftc-error';
import type { TokenCache } from '../common/token-guard';
import { AUTH_CODE_TTL_MS, newAuthCode } from './auth-code';
import { ACCESS_TOKEN_TTL_S, REFRESH_EXTRA_MS } from './token-lifetimes';
import { parseUserScope, scopeString, USER_SCOPES, UNSUPPORTED_USER_SCOPES } from './scopes';
import { createOAuthRepository } from './repository';

export interface UserTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  refresh_token: string;
  expires_in: number;
  scope: string;
  user_seq_no: string;
}
export interface InstitutionTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  client_use_code: string;
}

export function createOAuthService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  config: Pick<AppConfig, 'jwtSecret' | 'baseUrl'>;
  credentials: Pick<CredentialsService, 'activeSet' | 'callbackUrls'>;
  /** The consent step registers the chosen accounts in the same transaction as its code. */
  users: Pick<TestbedUsersService, 'registerAccounts'>;
  /** Told after each commit that revoked tokens (a reused code, a rotated refresh token). */
  tokenCache: TokenCache;
}) {
  const { db, clock, ids } = deps;
  const repo = createOAuthRepository();
  const sign = createSigner({ key: deps.config.jwtSecret, algorithm: 'HS256', noTimestamp: true });
  const issuer = deps.config.baseUrl;

  /** Revokes every token an authorization code produced (committed), then tells the token guard. */
  async function revokeTokensFromCode(authCodeId: string, at: string): Promise<void> {
    await db.transaction((trx) => repo.revokeTokensFromCode(trx, authCodeId, at));
    deps.tokenCache.forgetCachedTokens();
  }

  async function issueToken(
    trx: Knex.Transaction,
    set: CredentialSet,
    kind: 'user' | 'org',
    scopes: string[],
    userSeqNo: string | null,
    authCodeId: string | null,
  ) {
    const nowMs = clock().getTime();
    const exp = Math.floor(nowMs / 1000) + ACCESS_TOKEN_TTL_S;
    const jti = ids();
    scopes = [...scopes].sort(); // KFTC prints scopes alphabetically: ["inquiry","login","transfer"]
    const accessToken = sign({
      aud: kind === 'user' ? userSeqNo : set.clientUseCode,
      scope: scopes,
      iss: issuer,
      exp,
      jti,
    });
    const refreshExp = exp + REFRESH_EXTRA_MS / 1000;
    const refreshToken =
      kind === 'user' ? sign({ aud: userSeqNo, scope: scopes, iss: issuer, exp: refreshExp, jti: ids() }) : null;
    await repo.insertToken(trx, {
      jti,
      organizationId: set.organizationId,
      credentialSetId: set.id,
      clientUseCode: set.clientUseCode,
      userSeqNo,
      scopes: scopes.join(' '),
      kind,
      expiresAt: new Date(exp * 1000).toISOString(),
      refreshHash: refreshToken ? sha256Hex(refreshToken) : null,
      refreshExpiresAt: refreshToken ? new Date(refreshExp * 1000).toISOString() : null,
      authCodeId,
      createdAt: new Date(nowMs).toISOString(),
      clientSecretId: set.clientSecretId ?? null, // deleting that secret revokes this token
    });
    return { accessToken, refreshToken };
  }

  function userResponse(
    accessToken: string,
    refreshToken: string,
    scopes: string[],
    userSeqNo: string,
  ): UserTokenResponse {
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      refresh_token: refreshToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: scopeString(scopes),
      user_seq_no: userSeqNo,
    };
  }

  const service = {
    /** Issues an authorization code for a user who completed the authorize pages (inside the caller's transaction). */
    async issueAuthCode(
      trx: Knex.Transaction,
      input: { set: CredentialSet; redirectUri: string; userSeqNo: string; scopes: string[] },
    ): Promise<string> {
      const code = newAuthCode();
      const now = clock();
      await repo.insertCode(trx, {
        id: ids(),
        codeHash: sha256Hex(code),
        organizationId: input.set.organizationId,
        credentialSetId: input.set.id,
        redirectUri: input.redirectUri,
        userSeqNo: input.userSeqNo,
        scope: input.scopes.join(' '),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + AUTH_CODE_TTL_MS).toISOString(),
      });
      return code;
    },

    /**
     * The authorize pages' last step, in one transaction: the accounts the user chose are registered for the
     * client with the consents given, then the authorization code the redirect carries is issued.
     */
    grantConsent(input: {
      set: CredentialSet;
      redirectUri: string;
      userSeqNo: string;
      scopes: string[];
      bankAccountIds: string[];
      transferMethod: 'ars' | 'certificate';
    }): Promise<string> {
      return db.transaction(async (trx) => {
        await deps.users.registerAccounts(trx, {
          organizationId: input.set.organizationId,
          clientUseCode: input.set.clientUseCode,
          userSeqNo: input.userSeqNo,
          bankAccountIds: input.bankAccountIds,
          inquiry: input.scopes.includes('inquiry'),
          transfer: input.scopes.includes('transfer'),
          transferMethod: input.transferMethod,
          at: clock(),
        });
        return service.issueAuthCode(trx, input);
      });
    },

    /** grant_type=authorization_code. */
    async exchangeCode(set: CredentialSet, input: { code: string; redirectUri: string }): Promise<UserTokenResponse> {
      const record = input.code.length <= 200 ? await repo.findCodeByHash(db, sha256Hex(input.code)) : undefined;
      if (!record || record.credentialSetId !== set.id) throw authParamError('3002110');
      const at = clock().toISOString();
      if (record.usedAt) {
        // Second use: the code may have leaked. Revoke what it produced (committed even though we refuse).
        await revokeTokensFromCode(record.id, at);
        throw authParamError('3002110');
      }
      if (record.expiresAt <= at) throw authParamError('3002110');
      if (record.redirectUri !== input.redirectUri) throw authParamError('3000114');
      const scopes = record.scope.split(' ').filter(Boolean);
      const outcome = await db.transaction(async (trx) => {
        if (!(await repo.markCodeUsed(trx, record.id, at))) return null; // lost a race with another use
        const user = await trx('testbed_users').where({ user_seq_no: record.userSeqNo }).first('closed_at');
        if (!user || user.closed_at) return null;
        return issueToken(trx, set, 'user', scopes, record.userSeqNo, record.id);
      });
      if (!outcome) {
        await revokeTokensFromCode(record.id, at);
        throw authParamError('3002110');
      }
      return userResponse(outcome.accessToken, outcome.refreshToken!, scopes, record.userSeqNo);
    },

    /** grant_type=refresh_token: a new access and refresh token; the old pair stops working (rotation). */
    async refresh(
      set: CredentialSet,
      input: { refreshToken: string; scope: string | undefined },
    ): Promise<UserTokenResponse> {
      const record =
        input.refreshToken.length <= 2000
          ? await repo.findTokenByRefreshHash(db, sha256Hex(input.refreshToken))
          : undefined;
      const at = clock().toISOString();
      if (!record || record.credentialSetId !== set.id || record.kind !== 'user' || !record.userSeqNo)
        throw authParamError('3002110');
      if (record.revokedAt || !record.refreshExpiresAt || record.refreshExpiresAt <= at)
        throw authParamError('3002110');
      const granted = record.scopes.split(' ').filter(Boolean);
      let scopes = granted;
      if (input.scope !== undefined) {
        const parsed = parseUserScope(input.scope);
        if (!parsed.ok)
          throw parsed.problem === 'empty' ? authParamError('3000103') : new KftcError('O0011', messages.O0011!);
        if (!parsed.scopes.every((s) => granted.includes(s))) throw new KftcError('O0011', messages.O0011!);
        scopes = parsed.scopes;
      }
      const userSeqNo = record.userSeqNo;
      const outcome = await db.transaction(async (trx) => {
        if (!(await repo.revokeToken(trx, record.jti, at))) return null;
        return issueToken(trx, set, 'user', scopes, userSeqNo, record.authCodeId);
      });
      if (!outcome) throw authParamError('3002110');
      deps.tokenCache.forgetCachedTokens(); // the old access token stops working at once
      return userResponse(outcome.accessToken, outcome.refreshToken!, scopes, userSeqNo);
    },

    /** grant_type=client_credentials: scope oob, or sa for institutions approved for self-authentication. */
    async clientCredentials(set: CredentialSet, input: { scope: string }): Promise<InstitutionTokenResponse> {
      const scope = input.scope.trim();
      if (scope !== 'oob' && scope !== 'sa') {
        const parts = scope.split(/\s+/);
        if (
          parts.some(
            (p) =>
              (USER_SCOPES as readonly string[]).includes(p) ||
              (UNSUPPORTED_USER_SCOPES as readonly string[]).includes(p),
          )
        )
          throw authParamError('3000103');
        throw new KftcError('O0011', messages.O0011!);
      }
      if (scope === 'sa' && !set.allowSa) throw new KftcError('O0011', messages.O0011!);
      const { accessToken } = await db.transaction((trx) => issueToken(trx, set, 'org', [scope], null, null));
      return {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_TTL_S,
        scope,
        client_use_code: set.clientUseCode,
      };
    },

    /**
     * The portal's API console (src/sandbox-console): an oob institution token for the organization's own
     * ACTIVE SANDBOX credential set, without a client secret (the portal stores only hashes of secrets). Only
     * for a signed-in member of that organization; never for production or revoked sets (there is then no
     * active sandbox set, and the refusal is the token endpoint's O0001 [3000201]). The caller records the
     * issue in the request log with grant type `portal_console`, which no conformance scenario counts.
     */
    async issuePortalConsoleToken(organizationId: string): Promise<InstitutionTokenResponse> {
      const set = await deps.credentials.activeSet(organizationId, 'sandbox');
      if (set?.status !== 'active' || set.environment !== 'sandbox') throw authParamError('3000201');
      const { accessToken } = await db.transaction((trx) => issueToken(trx, set, 'org', ['oob'], null, null));
      return {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_TTL_S,
        scope: 'oob',
        client_use_code: set.clientUseCode,
      };
    },

    /** For auth_type=2: the login-scope token presented in Kftc-Bfop-AccessToken, if valid for this client and user. */
    async verifyReauthToken(set: CredentialSet, input: { token: string; userSeqNo: string }): Promise<boolean> {
      const parts = input.token.split('.');
      if (parts.length !== 3) return false;
      try {
        const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { jti?: unknown };
        if (typeof payload.jti !== 'string') return false;
        const expected = crypto.createHmac('sha256', deps.config.jwtSecret).update(`${parts[0]}.${parts[1]}`).digest();
        const given = Buffer.from(parts[2]!, 'base64url');
        if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return false;
        const record = await repo.findToken(db, payload.jti);
        const now = clock().toISOString();
        return Boolean(
          record &&
            !record.revokedAt &&
            record.expiresAt > now &&
            record.credentialSetId === set.id &&
            record.kind === 'user' &&
            record.userSeqNo === input.userSeqNo &&
            record.scopes.split(' ').includes('login'),
        );
      } catch {
        return false;
      }
    },

    /**
     * The sandbox shortcut: as if the user had completed the authorize pages — registers all of the user's
     * active accounts with both consents and returns an authorization code.
     */
    async shortcutAuthorize(
      set: CredentialSet,
      input: {
        userSeqNo: string;
        scopes: string[];
        redirectUri: string;
        registerAccounts: (trx: Knex.Transaction) => Promise<void>;
      },
    ): Promise<string> {
      if (!isRegisteredRedirectUri(await deps.credentials.callbackUrls(set.organizationId), input.redirectUri))
        throw authParamError('3000114');
      return db.transaction(async (trx) => {
        await input.registerAccounts(trx);
        return service.issueAuthCode(trx, {
          set,
          redirectUri: input.redirectUri,
          userSeqNo: input.userSeqNo,
          scopes: input.scopes,
        });
      });
    },

    revokeUserTokens(
      trx: Knex.Transaction,
      organizationId: string,
      userSeqNo: string,
      scope?: string,
    ): Promise<number> {
      return repo.revokeUserTokens(trx, organizationId, userSeqNo, clock().toISOString(), scope);
    },
  };
  return service;
}
export type OAuthService = ReturnType<typeof createOAuthService>;
