// The review screen pages the suitability checklist's earlier results newest first by seq (src/workflow/repository.ts,
// checklistWithHistory): one range of this index per page, however often the items were changed. The index
// (application_id, item, seq) of 20261204001000 serves one item's history, not the whole list in seq order.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('suitability_checklist_history', (t) => {
    t.index(['application_id', 'seq'], 'suitability_checklist_history_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('suitability_checklist_history', (t) => {
    t.dropIndex(['application_id', 'seq'], 'suitability_checklist_history_page');
  });
}
