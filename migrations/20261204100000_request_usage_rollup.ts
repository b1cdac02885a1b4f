// Rolled-up request-log counts for the usage pages (issue 16: costs flat as data grows). One row per
// (organization, Korean day, api, rsp_code, failed, duration_ms) with the number of log rows as `calls`;
// kept equal to a count over testbed_request_log by the log's writer and its retention prune
// (src/testbed/common/request-usage-rollup.ts). NULLs in the key are stored as '' / -1 (a NULL is never
// equal to itself in a unique key); org_key is COALESCE(organization_id, ''). Backfilled here from the
// existing rows with the same expressions (this file is kept self-contained: migrations never change).
import type { Knex } from 'knex';

const SUCCESS = "(rsp_code IS NULL OR (rsp_code = 'A0000' AND (bank_rsp_code IS NULL OR bank_rsp_code = '000')))";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('testbed_request_usage', (t) => {
    t.string('org_key', 36).notNullable();
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE');
    t.string('day', 10).notNullable(); // KST YYYY-MM-DD
    t.string('api', 40).notNullable();
    t.string('rsp_code', 5).notNullable();
    t.integer('failed').notNullable();
    t.integer('duration_ms').notNullable();
    t.integer('calls').notNullable();
    t.primary(['org_key', 'day', 'api', 'rsp_code', 'failed', 'duration_ms']);
    t.index(['day'], 'testbed_request_usage_day');
  });
  const pg = knex.client.config.client === 'pg' || knex.client.config.client === 'postgresql';
  const day = pg
    ? `to_char((CAST(created_at AS timestamptz) AT TIME ZONE 'UTC') + interval '9 hours', 'YYYY-MM-DD')`
    : `strftime('%Y-%m-%d', created_at, '+9 hours')`;
  await knex.raw(
    `INSERT INTO testbed_request_usage (org_key, organization_id, day, api, rsp_code, failed, duration_ms, calls)
     SELECT COALESCE(organization_id, ''), organization_id, ${day}, COALESCE(api, ''), COALESCE(rsp_code, ''),
       CASE WHEN ${SUCCESS} THEN 0 ELSE 1 END, COALESCE(duration_ms, -1), COUNT(*)
     FROM testbed_request_log GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('testbed_request_usage');
}
