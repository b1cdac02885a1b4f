// A finding's remediations are paged newest first by (submitted_at, id) on the security pages and in
// GET /api/v1/applications/:id/findings/:findingId (src/inspection/repository.ts, remediationPages): one range of
// this index per finding and page, however many answers a finding collects. It replaces nothing: the index
// (finding_id) of 20261126003500 stays for the foreign key.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('security_remediations', (t) => {
    t.index(['finding_id', 'submitted_at', 'id'], 'security_remediations_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('security_remediations', (t) => {
    t.dropIndex(['finding_id', 'submitted_at', 'id'], 'security_remediations_page');
  });
}
