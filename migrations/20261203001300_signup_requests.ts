// Sign-up requests waiting for their e-mail confirmation: sign-up answers the same way whether or not the
// address is registered, so the account is created only when the link e-mailed to the address is used.
// The token is stored as its SHA-256; the password as its scrypt hash (never in clear).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signup_requests', (t) => {
    t.string('id', 36).primary();
    t.string('email', 254).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('organization_name', 200).notNullable();
    t.string('password_hash', 300).notNullable();
    t.string('locale', 5).nullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
    t.index(['email']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('signup_requests');
}
