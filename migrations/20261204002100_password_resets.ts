// Password reset links: a one-time token, e-mailed to the account's address (asked for on /login or sent by
// an administrator), stored only as its SHA-256, valid one hour. Using it sets a new password and ends every
// session of the user (src/accounts/password-reset.ts). `requested_by` is the administrator who sent it, if any.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_resets', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.string('requested_by', 36).nullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('password_resets');
}
