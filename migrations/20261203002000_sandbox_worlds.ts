// Sandbox worlds: every organization gets its own copy of the shared test fixtures (the global test
// people's bank accounts and the scenario accounts), so one organization's withdrawals, top-ups and
// resets never change what another sees.
// - bank_accounts.world: '' = the template world (the shared fixtures as seeded, and the system mint);
//   otherwise the id of the organization whose world the account belongs to (its copies of the template
//   accounts, its own test people's accounts and its contract accounts). Account numbers are unique per
//   world, so the same documented numbers exist once in every organization's world.
// - sandbox_worlds: one row per organization whose world has been materialised (lazily, by
//   src/testbed/ledger/sandbox-worlds.ts); template_count says how many template accounts it has copied.
// Existing rows: an organization's accounts move to its world; the global people's accounts stay the
// template. Registrations made earlier move to the organization's copies when its world is materialised.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bank_accounts', (t) => {
    t.string('world', 36).notNullable().defaultTo('');
  });
  await knex('bank_accounts')
    .whereNotNull('organization_id')
    .update({ world: knex.ref('organization_id') });
  await knex.schema.alterTable('bank_accounts', (t) => {
    t.dropUnique(['bank_code', 'account_num']);
    t.unique(['world', 'bank_code', 'account_num']);
    t.index(['world', 'user_seq_no']);
  });
  await knex.schema.createTable('sandbox_worlds', (t) => {
    t.string('organization_id', 36).primary().references('organizations.id').onDelete('CASCADE');
    t.integer('template_count').notNullable().defaultTo(0);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  // Account numbers become unique across all worlds again: impossible while organizations hold copies of
  // the same fixtures (their postings cannot be deleted without breaking the ledger), so say so.
  const copies = await knex('bank_accounts')
    .select('bank_code', 'account_num')
    .groupBy('bank_code', 'account_num')
    .havingRaw('count(*) > 1')
    .first();
  if (copies) {
    throw new Error(
      `sandbox_worlds down: account ${copies.bank_code} ${copies.account_num} exists in several sandbox worlds; ` +
        "account numbers cannot be made globally unique again without deleting organizations' sandbox worlds",
    );
  }
  await knex.schema.dropTableIfExists('sandbox_worlds');
  await knex.schema.alterTable('bank_accounts', (t) => {
    t.dropIndex(['world', 'user_seq_no']);
    t.dropUnique(['world', 'bank_code', 'account_num']);
    t.unique(['bank_code', 'account_num']);
  });
  await knex.schema.alterTable('bank_accounts', (t) => {
    t.dropColumn('world');
  });
}
