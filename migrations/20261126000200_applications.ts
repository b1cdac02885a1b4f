// Applications (one per organization journey), their answers per section, and frozen versions.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('reference', 20).nullable().unique(); // OB-2026-000123, assigned on first submission
    // stage: application | suitability | testing | security | contract | live
    t.string('stage', 20).notNullable();
    // status: draft | submitted | in_review | changes_requested | approved | rejected | withdrawn | …
    t.string('status', 30).notNullable();
    t.integer('current_version').notNullable().defaultTo(0);
    t.text('changes_requested_sections').nullable(); // JSON array of section keys
    t.string('claimed_by', 36).nullable();
    t.string('stage_entered_at', 30).notNullable();
    t.string('submitted_at', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['organization_id']);
    t.index(['stage', 'status']);
  });
  // Each form page saves its own row, so two pages saved at once cannot overwrite each other.
  await knex.schema.createTable('application_answers', (t) => {
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('section', 40).notNullable();
    t.text('data').notNullable(); // JSON
    t.string('updated_at', 30).notNullable();
    t.string('updated_by', 36).nullable();
    t.primary(['application_id', 'section']);
  });
  await knex.schema.createTable('application_versions', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.string('stage', 20).notNullable();
    t.text('answers').notNullable(); // JSON: { section: data }
    t.string('submitted_by', 36).nullable();
    t.string('submitted_at', 30).notNullable();
    t.unique(['application_id', 'version']);
  });
  // Reference numbers: one counter row per year, incremented inside the submit transaction.
  await knex.schema.createTable('reference_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['reference_counters', 'application_versions', 'application_answers', 'applications']) {
    await knex.schema.dropTableIfExists(t);
  }
}
