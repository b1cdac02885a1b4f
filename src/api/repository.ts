// knex queries for personal access tokens (api_tokens). Every method takes a runner first (the database or a
// transaction).
import type { Runner } from '../db/knex';
import type { ApiTokenRow, ApiTokenSummary } from './types';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';

/** The account page's tokens: newest first, then id (unique), so pages never skip or repeat a token. */
const NEWEST_FIRST: KeysetOrder<ApiTokenRow> = {
  columns: ['created_at', 'id'],
  direction: 'desc',
  keyOf: (row) => [row.created_at, row.id],
};
export const TOKENS_CURSOR = ['string', 'string'] as const;

function summary(r: ApiTokenRow): ApiTokenSummary {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at ?? null,
    revokedAt: r.revoked_at ?? null,
  };
}

export function createApiTokensRepository() {
  return {
    async insert(
      run: Runner,
      t: { id: string; userId: string; name: string; tokenHash: string; prefix: string; now: string },
    ) {
      await run('api_tokens').insert({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        prefix: t.prefix,
        created_at: t.now,
      });
    },
    findByHash(run: Runner, tokenHash: string): Promise<ApiTokenRow | undefined> {
      return run<ApiTokenRow>('api_tokens').where({ token_hash: tokenHash }).first();
    },
    /** A page of the user's tokens, newest first (keyset on (created_at, id), index (user_id, created_at, id)). */
    async pageForUser(run: Runner, userId: string, page: PageRequest): Promise<Page<ApiTokenSummary>> {
      const found = await keysetPage<ApiTokenRow>(run('api_tokens').where({ user_id: userId }), NEWEST_FIRST, page);
      return { ...found, rows: found.rows.map(summary) };
    },
    /** Compare-and-set: only the owner's unrevoked token is revoked; false when there is none. */
    async revoke(run: Runner, id: string, userId: string, now: string): Promise<boolean> {
      return (
        (await run('api_tokens').where({ id, user_id: userId }).whereNull('revoked_at').update({ revoked_at: now })) ===
        1
      );
    },
    /** Records use, at most once per `since` window (so that reads do not turn into a write each). */
    async touch(run: Runner, id: string, now: string, since: string): Promise<void> {
      await run('api_tokens')
        .where({ id })
        .andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', since))
        .update({ last_used_at: now });
    },
  };
}
