// An organization's own test people, newest first (src/testbed/users/repository.ts pageOwnUsers: the sandbox page and
// GET /api/v1/sandbox/test-users, 50 a page): one range of this index per page. The index on organization_id alone
// gave them in no order, so every page would read and sort all of them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_users', (t) => {
    t.index(['organization_id', 'created_at', 'user_seq_no'], 'testbed_users_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_users', (t) => {
    t.dropIndex(['organization_id', 'created_at', 'user_seq_no'], 'testbed_users_page');
  });
}
