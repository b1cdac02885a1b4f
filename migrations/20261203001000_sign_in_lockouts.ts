// Sign-in lockouts, kept so that staff can see them (/admin/sign-in-lockouts): one row per throttled
// (account, client IP) pair or per throttled client IP, updated while the failures go on. The failures
// themselves stay in login_failures (keys "pair:<email> <ip>", "ip:<ip>", "email:<email>").
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_lockouts', (t) => {
    t.string('id', 36).primary();
    t.string('scope', 20).notNullable(); // account_ip | ip
    t.string('email', 254).notNullable(); // '' for scope ip (a unique index treats NULLs as distinct)
    t.string('ip', 64).notNullable();
    t.integer('failures').notNullable();
    t.string('first_at', 30).notNullable();
    t.string('last_at', 30).notNullable();
    t.string('locked_until', 30).notNullable();
    t.unique(['scope', 'email', 'ip']);
    t.index(['last_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_lockouts');
}
