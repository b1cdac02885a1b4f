// The emulator's request log becomes the testing stage's evidence and the developers' debugging view:
// which API a call was (catalogue key), its grant type, test user and bank_tran_id, and the request and
// response bodies (JSON, secrets masked before they are written). Indexes serve the requests page's
// filters (newest first within an organization) and the retention prune (oldest first).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_request_log', (t) => {
    t.string('api', 40).nullable();
    t.string('grant_type', 30).nullable();
    t.string('user_seq_no', 10).nullable();
    t.string('bank_tran_id', 40).nullable();
    // Bodies last: SQLite keeps long text in overflow pages that a list query never reads.
    t.text('request_headers').nullable(); // JSON object: content-type, masked Authorization
    t.text('request_body').nullable(); // JSON: the query string (GET) or the form/JSON body, masked
    t.text('response_body').nullable(); // JSON: the answer sent, masked
  });
  await knex.schema.alterTable('testbed_request_log', (t) => {
    t.index(['organization_id', 'api', 'seq'], 'testbed_request_log_org_api_seq');
    t.index(['organization_id', 'rsp_code', 'seq'], 'testbed_request_log_org_rsp_seq');
    t.index(['organization_id', 'user_seq_no', 'seq'], 'testbed_request_log_org_user_seq');
    t.index(['created_at'], 'testbed_request_log_created_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('testbed_request_log', (t) => {
    t.dropIndex([], 'testbed_request_log_org_api_seq');
    t.dropIndex([], 'testbed_request_log_org_rsp_seq');
    t.dropIndex([], 'testbed_request_log_org_user_seq');
    t.dropIndex([], 'testbed_request_log_created_at');
  });
  await knex.schema.alterTable('testbed_request_log', (t) => {
    t.dropColumns(
      'api',
      'grant_type',
      'user_seq_no',
      'bank_tran_id',
      'request_headers',
      'request_body',
      'response_body',
    );
  });
}
