// Issue 16, the last unbounded lists: each page of them is one range of one of these indexes, read in the
// list's order (no sort, no scan of the rows before the cursor), on SQLite and PostgreSQL alike.
// - client_secrets (credential_set_id, created_at, id): a set's secrets newest first (the sandbox page's
//   history of revoked and expired secrets, GET /api/v1/sandbox/credential-sets/:id/secrets);
// - memberships (organization_id, created_at, user_id): the account page's members, oldest first;
// - invites (organization_id, expires_at, id): the owner's open invites, newest first (an invite expires a
//   fixed time after it is made, so "not expired yet" bounds the range and the expired history is not read);
// - users (created_at, id) WHERE staff_role IS NOT NULL: /admin/staff newest first, without reading the
//   applicants' accounts (a partial index: both databases use it when the query says staff_role IS NOT NULL);
// - organizations (created_at, id): /admin/sandbox newest first;
// - login_lockouts (last_at, id): /admin/sign-in-lockouts, latest failure first. It replaces the index on
//   (last_at) alone, which answers every query the new one answers: with both, PostgreSQL read the old one and
//   sorted each run of equal last_at by id (an Incremental Sort).
// Checked by test/scale/explain-account-lists.test.ts.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('client_secrets', (t) => {
    t.index(['credential_set_id', 'created_at', 'id'], 'client_secrets_set_page');
  });
  await knex.schema.alterTable('memberships', (t) => {
    t.index(['organization_id', 'created_at', 'user_id'], 'memberships_org_page');
  });
  await knex.schema.alterTable('invites', (t) => {
    t.index(['organization_id', 'expires_at', 'id'], 'invites_org_open_page');
  });
  await knex.schema.alterTable('users', (t) => {
    t.index(['created_at', 'id'], 'users_staff_page', { predicate: knex.whereNotNull('staff_role') });
  });
  await knex.schema.alterTable('organizations', (t) => {
    t.index(['created_at', 'id'], 'organizations_page');
  });
  await knex.schema.alterTable('login_lockouts', (t) => {
    t.dropIndex(['last_at']);
    t.index(['last_at', 'id'], 'login_lockouts_page');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_lockouts', (t) => {
    t.dropIndex(['last_at', 'id'], 'login_lockouts_page');
    t.index(['last_at']);
  });
  await knex.schema.alterTable('organizations', (t) => {
    t.dropIndex(['created_at', 'id'], 'organizations_page');
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['created_at', 'id'], 'users_staff_page');
  });
  await knex.schema.alterTable('invites', (t) => {
    t.dropIndex(['organization_id', 'expires_at', 'id'], 'invites_org_open_page');
  });
  await knex.schema.alterTable('memberships', (t) => {
    t.dropIndex(['organization_id', 'created_at', 'user_id'], 'memberships_org_page');
  });
  await knex.schema.alterTable('client_secrets', (t) => {
    t.dropIndex(['credential_set_id', 'created_at', 'id'], 'client_secrets_set_page');
  });
}
