// Indexes for the testing stage's evidence (src/workflow/conformance.ts, read through `evidenceBatch` in
// src/testbed/common/request-log-queries.ts). Each criterion is read as branches that each name one API and
// one rsp_code (or none), so a branch is one range of (organization_id, api, rsp_code, seq) read in seq order
// up to its limit, never a walk through all of an organization's calls of that API looking for a failure;
// the duplicate-withdrawal check looks its earlier calls up by bank_tran_id on (organization_id, bank_tran_id,
// seq). Checked by test/testbed/evidence-explain.test.ts on SQLite and PostgreSQL.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_request_log', (t) => {
    t.index(['organization_id', 'api', 'rsp_code', 'seq'], 'testbed_request_log_org_api_rsp_seq');
    t.index(['organization_id', 'bank_tran_id', 'seq'], 'testbed_request_log_org_tran_seq');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_request_log', (t) => {
    t.dropIndex([], 'testbed_request_log_org_api_rsp_seq');
    t.dropIndex([], 'testbed_request_log_org_tran_seq');
  });
}
