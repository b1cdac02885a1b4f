// Test-bed people, their connections to organizations, registered accounts (fintech numbers), consents,
// authorization codes, tokens, bank_tran_id claims and the emulator's request log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('testbed_users', (t) => {
    t.string('user_seq_no', 10).primary();
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE'); // null: global test people
    t.string('login_scope', 36).notNullable(); // organization id, or 'global'
    t.string('login_id', 50).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('name', 100).notNullable();
    t.string('birth_date', 10).notNullable(); // YYYY-MM-DD
    t.string('user_ci', 88).notNullable().unique();
    t.string('phone', 20).nullable();
    t.string('created_at', 30).notNullable();
    t.string('closed_at', 30).nullable();
    t.unique(['login_scope', 'login_id']);
    t.index(['organization_id']);
  });
  // The user's login connection with an organization (user/unlink and user/close end it).
  await knex.schema.createTable('testbed_user_links', (t) => {
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('user_seq_no', 10).notNullable().references('testbed_users.user_seq_no').onDelete('CASCADE');
    t.string('linked_at', 30).notNullable();
    t.string('unlinked_at', 30).nullable();
    t.string('closed_at', 30).nullable();
    t.primary(['organization_id', 'user_seq_no']);
  });
  await knex.schema.createTable('testbed_fintech_accounts', (t) => {
    t.string('fintech_use_num', 24).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('user_seq_no', 10).notNullable().references('testbed_users.user_seq_no').onDelete('CASCADE');
    t.string('bank_account_id', 36).notNullable().references('bank_accounts.id').onDelete('CASCADE');
    t.string('account_alias', 50).nullable();
    t.string('inquiry_agree_yn', 1).notNullable();
    t.string('inquiry_agree_dtime', 14).nullable(); // yyyyMMddHHmmss KST
    t.string('transfer_agree_yn', 1).notNullable();
    t.string('transfer_agree_dtime', 14).nullable();
    t.string('inquiry_expires_at', 30).nullable();
    t.string('transfer_expires_at', 30).nullable();
    t.string('state', 2).notNullable(); // 01 in use | 09 cancelled
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['organization_id', 'bank_account_id']);
    t.index(['organization_id', 'user_seq_no']);
  });
  await knex.schema.createTable('testbed_consents', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('user_seq_no', 10).notNullable().references('testbed_users.user_seq_no').onDelete('CASCADE');
    t.string('fintech_use_num', 24).nullable();
    t.string('kind', 12).notNullable(); // login | inquiry | transfer
    t.string('method', 20).notNullable(); // agree | ars | certificate
    t.string('agreed_at', 30).notNullable();
    t.string('expires_at', 30).nullable();
    t.string('withdrawn_at', 30).nullable();
    t.index(['organization_id', 'user_seq_no']);
  });
  await knex.schema.createTable('testbed_auth_codes', (t) => {
    t.string('id', 36).primary();
    t.string('code_hash', 64).notNullable().unique(); // sha256 of the code
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('credential_set_id', 36).notNullable().references('credential_sets.id').onDelete('CASCADE');
    t.string('redirect_uri', 500).notNullable();
    t.string('user_seq_no', 10).notNullable().references('testbed_users.user_seq_no').onDelete('CASCADE');
    t.string('scope', 200).notNullable(); // space separated
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
  });
  await knex.schema.createTable('testbed_tokens', (t) => {
    t.string('jti', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('credential_set_id', 36).notNullable().references('credential_sets.id').onDelete('CASCADE');
    t.string('client_use_code', 10).notNullable();
    t.string('user_seq_no', 10).nullable();
    t.string('scopes', 200).notNullable(); // space separated
    t.string('kind', 5).notNullable(); // user | org
    t.string('expires_at', 30).notNullable();
    t.string('refresh_hash', 64).nullable().unique();
    t.string('refresh_expires_at', 30).nullable();
    t.string('auth_code_id', 36).nullable();
    t.string('created_at', 30).notNullable();
    t.string('revoked_at', 30).nullable();
    t.index(['organization_id', 'user_seq_no']);
    t.index(['auth_code_id']);
  });
  // bank_tran_id is unique per institution per day: claimed inside the caller's transaction.
  await knex.schema.createTable('testbed_bank_tran_ids', (t) => {
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('tran_date', 8).notNullable(); // KST yyyyMMdd
    t.string('bank_tran_id', 20).notNullable();
    t.string('created_at', 30).notNullable();
    t.primary(['organization_id', 'tran_date', 'bank_tran_id']);
  });
  // One row per emulator call (written in batches): the testing stage reads it as evidence.
  await knex.schema.createTable('testbed_request_log', (t) => {
    t.increments('seq').primary();
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE');
    t.string('client_use_code', 10).nullable();
    t.string('method', 10).notNullable();
    t.string('path', 200).notNullable();
    t.string('rsp_code', 5).nullable();
    t.string('bank_rsp_code', 3).nullable();
    t.text('warnings').nullable(); // JSON array of strings
    t.string('api_tran_id', 40).nullable();
    t.integer('duration_ms').nullable();
    t.string('created_at', 30).notNullable();
    t.index(['organization_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'testbed_request_log',
    'testbed_bank_tran_ids',
    'testbed_tokens',
    'testbed_auth_codes',
    'testbed_consents',
    'testbed_fintech_accounts',
    'testbed_user_links',
    'testbed_users',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
