// The security inspection pages and GET /api/v1/applications/:id/findings are paged (issue 16) in the
// findings' order: most severe first, then oldest first. The severity's place in that order is stored
// (severity_rank: critical 0, high 1, medium 2, low 3; a finding's severity never changes) so that a page
// is one range of the index (application_id, severity_rank, created_at, id) on SQLite and PostgreSQL alike.
// Checked by test/inspection/findings-pages.test.ts (EXPLAIN on both).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('security_findings', (t) => {
    t.integer('severity_rank').notNullable().defaultTo(3);
  });
  await knex('security_findings').update({
    severity_rank: knex.raw("CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"),
  });
  await knex.schema.alterTable('security_findings', (t) => {
    t.index(['application_id', 'severity_rank', 'created_at', 'id'], 'security_findings_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('security_findings', (t) => {
    t.dropIndex(['application_id', 'severity_rank', 'created_at', 'id'], 'security_findings_page');
  });
  await knex.schema.alterTable('security_findings', (t) => {
    t.dropColumn('severity_rank');
  });
}
