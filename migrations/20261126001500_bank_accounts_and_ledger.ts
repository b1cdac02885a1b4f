// Test-bed bank accounts and the double-entry ledger behind them.
// Invariants: postings are append-only; every transaction's postings sum to zero; an account's cached
// `balance` equals the sum of its postings (checked by ledger.verifyBalances()). The 'system' mint
// account (bank 097, purpose system) is the counterparty of openings, top-ups and sandbox resets.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bank_accounts', (t) => {
    t.string('id', 36).primary();
    t.string('bank_code', 3).notNullable();
    t.string('account_num', 20).notNullable();
    t.string('account_holder_name', 100).notNullable();
    // Birth date (6 digits) or business number (10 digits) used by inquiry/real_name.
    t.string('account_holder_info', 13).nullable();
    t.string('user_seq_no', 10).nullable();
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE');
    t.string('purpose', 30).notNullable(); // personal | deposit_paying | withdraw_collecting | fee | system
    t.string('account_type', 1).notNullable().defaultTo('1'); // 1 수시입출금
    t.string('product_name', 100).notNullable();
    t.string('status', 20).notNullable(); // active | closed | suspended | accident
    t.bigInteger('balance').notNullable().defaultTo(0); // cache of sum(postings.amount), checked
    // The seed state that "reset my sandbox" restores (with compensating postings, never deletions).
    t.bigInteger('opening_balance').notNullable().defaultTo(0);
    t.string('opening_status', 20).notNullable().defaultTo('active');
    t.string('opened_at', 30).notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['bank_code', 'account_num']);
    t.index(['user_seq_no']);
    t.index(['organization_id', 'purpose']);
  });

  await knex.schema.createTable('transactions', (t) => {
    t.string('id', 36).primary();
    // opening | history | topup | reset | withdraw | deposit | return
    t.string('kind', 20).notNullable();
    t.string('organization_id', 36).nullable().references('organizations.id').onDelete('CASCADE');
    t.string('user_seq_no', 10).nullable();
    t.string('bank_tran_id', 20).nullable();
    t.string('bank_tran_date', 8).nullable(); // KST yyyyMMdd of processing
    t.string('api_tran_id', 40).nullable();
    t.string('status', 20).notNullable(); // settled | failed | processing
    t.bigInteger('amount').notNullable().defaultTo(0);
    t.string('wd_account_id', 36).nullable().references('bank_accounts.id');
    t.string('dps_account_id', 36).nullable().references('bank_accounts.id');
    t.string('wd_fintech_use_num', 24).nullable();
    t.string('dps_fintech_use_num', 24).nullable();
    t.string('wd_print_content', 40).nullable();
    t.string('dps_print_content', 40).nullable();
    // The original outcome, reported again by transfer/result.
    t.string('rsp_code', 5).nullable();
    t.string('rsp_message', 200).nullable();
    t.string('bank_rsp_code', 3).nullable();
    t.string('bank_rsp_message', 200).nullable();
    t.text('request_summary').nullable(); // JSON
    t.text('response_summary').nullable(); // JSON
    t.string('settles_at', 30).nullable(); // 'processing' outcomes become visible in transfer/result from here
    t.string('reverses_transaction_id', 36).nullable();
    t.string('created_at', 30).notNullable();
    t.unique(['organization_id', 'bank_tran_date', 'bank_tran_id']);
    t.index(['organization_id', 'kind', 'bank_tran_date']);
  });

  await knex.schema.createTable('postings', (t) => {
    t.increments('seq').primary(); // ordering only
    t.string('id', 36).notNullable().unique();
    t.string('transaction_id', 36).notNullable().references('transactions.id');
    t.string('account_id', 36).notNullable().references('bank_accounts.id');
    t.bigInteger('amount').notNullable(); // signed KRW: + deposit into the account, - withdrawal
    t.bigInteger('balance_after').notNullable();
    t.string('tran_date', 8).notNullable(); // KST yyyyMMdd
    t.string('tran_time', 6).notNullable(); // KST HHmmss
    t.string('inout_type', 10).notNullable(); // 입금 | 출금
    t.string('tran_type', 20).notNullable(); // 현금 | 대체 | 카드 | 이체 …
    t.string('print_content', 40).notNullable();
    t.string('branch_name', 40).notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['account_id', 'tran_date', 'tran_time', 'seq']);
    t.index(['transaction_id']);
  });

  // Daily withdrawal/deposit totals per user and per organization, updated with compare-and-set in
  // the transfer's transaction (so the daily limits hold under concurrent requests).
  await knex.schema.createTable('transfer_daily_usage', (t) => {
    t.string('subject', 50).notNullable(); // "user:<user_seq_no>" | "org:<organization_id>"
    t.string('usage_date', 8).notNullable(); // KST yyyyMMdd
    t.bigInteger('wd_amt').notNullable().defaultTo(0);
    t.integer('wd_cnt').notNullable().defaultTo(0);
    t.bigInteger('dp_amt').notNullable().defaultTo(0);
    t.integer('dp_cnt').notNullable().defaultTo(0);
    t.primary(['subject', 'usage_date']);
  });

  // Successful API calls per organization, day and API (for manage/count and manage/fee).
  await knex.schema.createTable('testbed_api_counts', (t) => {
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('usage_date', 8).notNullable();
    t.string('api', 30).notNullable();
    t.integer('cnt').notNullable().defaultTo(0);
    t.primary(['organization_id', 'usage_date', 'api']);
  });

  // Return claims (자금반환청구) filed by organizations.
  await knex.schema.createTable('return_claims', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('bank_tran_id', 20).notNullable();
    t.string('org_transaction_id', 36).notNullable().references('transactions.id');
    t.string('return_transaction_id', 36).nullable().references('transactions.id');
    t.string('claim_code', 10).notNullable();
    t.string('claim_message', 200).nullable();
    t.bigInteger('amount').notNullable();
    t.string('status', 20).notNullable(); // returned | refused
    t.string('created_at', 30).notNullable();
    t.index(['org_transaction_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'return_claims',
    'testbed_api_counts',
    'transfer_daily_usage',
    'postings',
    'transactions',
    'bank_accounts',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
