// A checklist note belongs to the outcome it explained: when an item's result changes, the earlier result
// and its note move here (who set them and when), and the current item keeps only a note written for the
// new result. The staff page lists an item's history under it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('suitability_checklist_history', (t) => {
    t.increments('seq').primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('item', 40).notNullable();
    t.string('result', 10).notNullable();
    t.text('note').nullable();
    t.string('set_by', 36).nullable();
    t.string('set_at', 30).notNullable();
    t.string('replaced_at', 30).notNullable();
    t.index(['application_id', 'item', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('suitability_checklist_history');
}
