// Credential sets (이용기관코드 + client_id + rotating client secrets) per organization and environment,
// and the organization's registered OAuth callback URLs.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credential_sets', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('application_id', 36).nullable().references('applications.id').onDelete('SET NULL');
    t.string('environment', 12).notNullable(); // sandbox | production
    t.string('client_use_code', 10).notNullable().unique(); // 이용기관코드 M + yyyy + 5 digits
    t.string('client_id', 36).notNullable().unique();
    t.boolean('allow_sa').notNullable().defaultTo(false); // approved for self-authentication (scope sa)
    t.string('status', 12).notNullable(); // active | revoked
    // "<organization_id>:<environment>" while active, null once revoked: at most one active set each.
    t.string('active_key', 60).nullable().unique();
    t.string('created_at', 30).notNullable();
    t.string('revoked_at', 30).nullable();
    t.index(['organization_id', 'environment']);
  });
  await knex.schema.createTable('client_secrets', (t) => {
    t.string('id', 36).primary();
    t.string('credential_set_id', 36).notNullable().references('credential_sets.id').onDelete('CASCADE');
    t.string('secret_hash', 64).notNullable().unique(); // sha256 hex; the secret itself is shown once
    t.string('hint', 8).notNullable(); // last characters, to tell secrets apart
    t.string('expires_at', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.string('created_by', 36).nullable();
    t.string('revoked_at', 30).nullable();
    t.index(['credential_set_id']);
  });
  // One counter row per year for 이용기관코드 numbers.
  await knex.schema.createTable('client_use_code_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_value').notNullable();
  });
  await knex.schema.createTable('callback_urls', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('url', 500).notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['organization_id', 'url']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['callback_urls', 'client_use_code_counters', 'client_secrets', 'credential_sets']) {
    await knex.schema.dropTableIfExists(t);
  }
}
