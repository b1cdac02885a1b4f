// Accounts, organizations, sessions, login throttling and the audit log.
// Conventions (all migrations): ids are app-generated strings, timestamps are ISO-8601 UTC strings,
// statuses are plain strings, booleans are read with Boolean(), money is bigInteger read with Number().
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.string('id', 36).primary();
    t.string('name', 200).notNullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('staff_role', 30).nullable(); // reviewer | inspector | contract_officer | admin
    t.string('locale', 5).nullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.string('created_at', 30).notNullable();
    t.string('password_changed_at', 30).notNullable();
  });
  await knex.schema.createTable('memberships', (t) => {
    t.string('user_id', 36).primary().references('users.id').onDelete('CASCADE');
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('role', 20).notNullable(); // owner | member
    t.string('created_at', 30).notNullable();
    t.index(['organization_id']);
  });
  await knex.schema.createTable('invites', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_by', 36).notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
    t.string('used_by', 36).nullable().references('users.id');
    t.string('revoked_at', 30).nullable();
  });
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 128).primary();
    t.text('data').notNullable();
    t.bigInteger('expires_at').notNullable(); // epoch ms
    t.index(['expires_at']);
  });
  await knex.schema.createTable('login_failures', (t) => {
    t.string('id', 36).primary();
    t.string('key', 300).notNullable(); // "email:<address>" or "ip:<address>"
    t.string('created_at', 30).notNullable();
    t.index(['key', 'created_at']);
  });
  await knex.schema.createTable('audit_events', (t) => {
    t.increments('seq').primary(); // ordering only; never shown in a URL
    t.string('id', 36).notNullable().unique();
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE');
    t.string('application_id', 36).nullable();
    t.string('actor_user_id', 36).nullable();
    t.string('actor_label', 200).nullable(); // e-mail or "system"
    t.string('event', 80).notNullable(); // e.g. application.submitted
    t.string('from_state', 60).nullable();
    t.string('to_state', 60).nullable();
    t.text('reason').nullable();
    t.boolean('internal').notNullable().defaultTo(false); // staff-only notes are hidden from applicants
    t.text('data').nullable(); // JSON
    t.string('created_at', 30).notNullable();
    t.index(['application_id', 'seq']);
    t.index(['organization_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['audit_events', 'login_failures', 'sessions', 'invites', 'memberships', 'users', 'organizations']) {
    await knex.schema.dropTableIfExists(t);
  }
}
