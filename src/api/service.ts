// Personal access tokens for the JSON API: issued on the account page, by e-mail + password (sign-in
// throttling applies) or at API sign-up; shown once, stored as SHA-256; revocable; last use recorded.
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { AuditService } from '../audit/service';
import type { AccountsService, SignupInput } from '../accounts/service';
import type { CurrentUser } from '../accounts/types';
import { AppError, validationFailed, type FieldError } from '../http/errors';
import { sha256Hex } from '../secret-tokens';
import { createApiTokensRepository } from './repository';

/** The shape of the tokens list's cursor (routes read it; the repository pages by it). */
export { TOKENS_CURSOR } from './repository';
import type { ApiTokenSummary } from './types';
import type { Page, PageRequest } from '../pagination/cursor';
import { displayPrefix, newApiToken } from './bearer-token';

const TOKEN_NAME_MAX = 100;
/** last_used_at is written at most once per minute per token. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface IssuedToken {
  token: string;
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
}

function tokenName(v: unknown, errors: FieldError[]): string {
  if (v === undefined || v === null) return 'API';
  const name = typeof v === 'string' ? v.trim() : '';
  if (!name) errors.push({ field: 'name', message: 'api.errors.token_name_required' });
  else if (name.length > TOKEN_NAME_MAX)
    errors.push({ field: 'name', message: 'api.errors.too_long', params: { max: TOKEN_NAME_MAX } });
  return name;
}

export function createApiTokensService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  accounts: AccountsService;
}) {
  const repo = createApiTokensRepository();

  const service = {
    /** A new token for `user`; the token is in the result only, the database keeps its hash. */
    async issue(user: CurrentUser, input: { name?: unknown } = {}): Promise<IssuedToken> {
      const errors: FieldError[] = [];
      const name = tokenName(input.name, errors);
      if (errors.length) throw validationFailed(errors);
      const token = newApiToken();
      const id = deps.ids();
      const createdAt = deps.clock().toISOString();
      const prefix = displayPrefix(token);
      await deps.db.transaction(async (trx) => {
        await repo.insert(trx, { id, userId: user.id, name, tokenHash: sha256Hex(token), prefix, now: createdAt });
        await deps.audit.record(
          {
            event: 'api_token.created',
            actor: { userId: user.id, label: user.email },
            organizationId: user.organizationId,
            data: { tokenId: id, name },
          },
          trx,
        );
      });
      return { token, id, name, prefix, createdAt };
    },

    /** E-mail + password → token. Throttled exactly like the sign-in page (accounts.verifyCredentials). */
    async issueForCredentials(
      input: { email?: unknown; password?: unknown; name?: unknown },
      ip: string,
    ): Promise<IssuedToken> {
      const nameErrors: FieldError[] = [];
      tokenName(input.name, nameErrors);
      if (nameErrors.length) throw validationFailed(nameErrors);
      const user = await deps.accounts.verifyCredentials(input, ip);
      return service.issue(user, { name: input.name });
    },

    /** Sign-up through the API, step 1: the same answer for new and registered addresses (an e-mail goes out). */
    async signup(input: SignupInput, locale: string | null = null): Promise<void> {
      await deps.accounts.requestSignup(input, locale);
    },

    /** Step 2: the token from the confirmation e-mail creates the organization and its owner, and a first API token. */
    async confirmSignup(token: string): Promise<{ user: CurrentUser; issued: IssuedToken }> {
      const user = await deps.accounts.confirmSignup(token);
      return { user, issued: await service.issue(user, { name: 'API sign-up' }) };
    },

    /** The user behind a presented token, or null (unknown, revoked, or the account was disabled). */
    async authenticate(token: string): Promise<CurrentUser | null> {
      const row = await repo.findByHash(deps.db, sha256Hex(token));
      if (!row || row.revoked_at) return null;
      const user = await deps.accounts.loadCurrentUser(row.user_id);
      if (!user) return null;
      const now = deps.clock();
      await repo.touch(deps.db, row.id, now.toISOString(), new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString());
      return user;
    },

    /** A page of the user's tokens, newest first (every token ever issued, revoked ones included). */
    list(user: CurrentUser, page: PageRequest): Promise<Page<ApiTokenSummary>> {
      return repo.pageForUser(deps.db, user.id, page);
    },

    /** Only the token's owner revokes it; someone else's token is "not found". */
    async revoke(user: CurrentUser, tokenId: string): Promise<void> {
      const now = deps.clock().toISOString();
      await deps.db.transaction(async (trx) => {
        if (!(await repo.revoke(trx, tokenId, user.id, now))) throw new AppError('not_found', 'token');
        await deps.audit.record(
          {
            event: 'api_token.revoked',
            actor: { userId: user.id, label: user.email },
            organizationId: user.organizationId,
            data: { tokenId },
          },
          trx,
        );
      });
    },
  };
  return service;
}
export type ApiTokensService = ReturnType<typeof createApiTokensService>;
