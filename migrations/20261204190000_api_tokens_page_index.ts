// The account page's tokens and GET /api/v1/tokens are paged newest first by (created_at, id)
// (src/api/repository.ts): one range of this index per page, however many tokens a user has been issued
// (every sign-in through POST /api/v1/tokens issues one).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.index(['user_id', 'created_at', 'id'], 'api_tokens_user_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.dropIndex(['user_id', 'created_at', 'id'], 'api_tokens_user_page');
  });
}
