// Stage 5 (이용계약): one row per signed contract version. The contract text is frozen as JSON when the
// owner signs (with its SHA-256), so the countersignature covers exactly what the owner signed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contracts', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.integer('version').notNullable(); // 1, 2, … when the owner signs again after changes were requested
    t.string('terms_version', 20).notNullable();
    t.text('document').notNullable(); // JSON: parties, services, APIs, fees as signed
    t.string('document_sha256', 64).notNullable();
    t.string('status', 20).notNullable(); // signed | countersigned | returned
    t.string('signer_user_id', 36).notNullable().references('users.id');
    t.string('signer_name', 100).notNullable(); // the full name as typed
    t.string('signed_at', 30).notNullable();
    t.string('signer_ip', 64).notNullable();
    t.string('countersigner_user_id', 36).nullable().references('users.id');
    t.string('countersigned_at', 30).nullable();
    t.string('countersigner_ip', 64).nullable();
    t.string('effective_date', 10).nullable(); // YYYY-MM-DD (Asia/Seoul), set on countersignature
    t.string('returned_at', 30).nullable();
    t.text('returned_reason').nullable();
    t.unique(['application_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('contracts');
}
