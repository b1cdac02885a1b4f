// An organization's credential sets, newest first (GET /api/v1/sandbox/credential-sets, src/credentials/repository.ts
// pageSets and latestSet): one range of this index per page, however often an administrator revoked and re-issued.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credential_sets', (t) => {
    t.index(['organization_id', 'created_at', 'id'], 'credential_sets_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credential_sets', (t) => {
    t.dropIndex(['organization_id', 'created_at', 'id'], 'credential_sets_page');
  });
}
