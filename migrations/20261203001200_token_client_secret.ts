// The client secret a test-bed access token was minted with, so that deleting a secret revokes exactly
// the tokens it minted. Tokens minted before this column existed have NULL (revoked with their set).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_tokens', (t) => {
    t.string('client_secret_id', 36).nullable();
    t.index(['client_secret_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_tokens', (t) => {
    t.dropIndex(['client_secret_id']);
    t.dropColumn('client_secret_id');
  });
}
