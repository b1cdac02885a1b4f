// In-app notifications (one row per recipient) and the e-mail outbox.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE');
    t.string('application_id', 36).nullable();
    // Stored as an i18n key + params so each reader sees it in their own language.
    t.string('message_key', 120).notNullable();
    t.text('params').nullable(); // JSON
    t.string('link', 300).nullable(); // same-site path
    t.string('created_at', 30).notNullable();
    t.string('read_at', 30).nullable();
    t.index(['user_id', 'read_at']);
    t.index(['user_id', 'created_at']);
  });
  await knex.schema.createTable('email_outbox', (t) => {
    t.string('id', 36).primary();
    t.string('to_address', 254).notNullable();
    t.string('subject', 300).notNullable();
    t.text('body').notNullable();
    t.string('status', 60).notNullable(); // not_sent: SMTP not configured | pending | sending | sent | failed
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30).nullable();
    t.text('error').nullable();
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_outbox');
  await knex.schema.dropTableIfExists('notifications');
}
