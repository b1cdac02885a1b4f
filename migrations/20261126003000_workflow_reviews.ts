// Review workflow: stage 2 checklist results and stage 3 test completion reports.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per checklist item per application; the latest answer wins (history lives in audit_events).
  await knex.schema.createTable('suitability_checklist', (t) => {
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('item', 40).notNullable(); // legal_entity | capital | sanctions | …
    t.string('result', 10).nullable(); // pass | fail | na | null (not assessed yet)
    t.text('note').nullable();
    t.string('updated_by', 36).nullable();
    t.string('updated_at', 30).notNullable();
    t.primary(['application_id', 'item']);
  });
  // Every submitted test completion report is kept; the newest one is under review.
  await knex.schema.createTable('testing_reports', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('data').notNullable(); // JSON: { periodStart, periodEnd, apis: [{api, tested}], notes }
    t.string('submitted_by', 36).nullable();
    t.string('submitted_at', 30).notNullable();
    t.unique(['application_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('testing_reports');
  await knex.schema.dropTableIfExists('suitability_checklist');
}
