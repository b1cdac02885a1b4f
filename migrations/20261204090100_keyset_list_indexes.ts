// Indexes for the keyset-paged lists (src/pagination): each starts with the list's equality filter and
// ends with its whole sort key, so a page (first or deep) is one index range read, never a scan and sort.
// notifications: (user_id, created_at, id) — a user's notifications, newest first;
// email_outbox: (created_at, id) — the admin outbox, newest first.
// Checked by test/scale/explain-indexes.test.ts on SQLite and PostgreSQL.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.index(['user_id', 'created_at', 'id'], 'notifications_user_created_id');
  });
  await knex.schema.alterTable('email_outbox', (t) => {
    t.index(['created_at', 'id'], 'email_outbox_created_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropIndex([], 'email_outbox_created_id');
  });
  await knex.schema.alterTable('notifications', (t) => {
    t.dropIndex([], 'notifications_user_created_id');
  });
}
