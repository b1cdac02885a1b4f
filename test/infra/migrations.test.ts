// Migrations are the only way the schema changes, on SQLite and on PostgreSQL alike: every one has a
// working down(), and a full rollback leaves nothing behind but knex's own bookkeeping.
import path from 'node:path';
import t from 'tap';
import type { Knex } from 'knex';
import { createDb, isPostgres } from '../../src/db/knex';
import { listMigrationFiles, migrateDownAll, migrateLatest, migrationConfig } from '../../src/db/migrate';
import { migrationsDir } from '../../src/paths';
import { createSharedTestDb } from '../helpers/db';

const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

async function tables(db: Knex): Promise<string[]> {
  const rows: { name: string }[] = isPostgres(db)
    ? (
        await db.raw(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
      ).rows
    : await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows.map((r) => r.name).sort();
}

async function completed(db: Knex): Promise<string[]> {
  const [done] = (await db.migrate.list(migrationConfig())) as [{ name: string }[], unknown];
  return done.map((m) => m.name);
}

/** A subtest, as tap passes it to t.test callbacks. */
type Subtest = Parameters<Parameters<typeof t.test>[0]>[0];

async function upDownUp(t: Subtest, db: Knex) {
  const files = listMigrationFiles();
  await migrateLatest(db);
  const first = await tables(db);
  t.same(await completed(db), files, 'latest runs every migration file, in order');
  t.ok(first.includes('users') && first.includes('sessions'), 'the foundation tables exist');

  await migrateDownAll(db);
  t.same(await tables(db), KNEX_TABLES, 'rolling back every migration drops every table it created');
  t.same(await completed(db), [], 'nothing is recorded as applied after the rollback');

  await migrateLatest(db);
  t.same(await tables(db), first, 'running latest again recreates exactly the same tables');
  t.same(await completed(db), files);
}

t.test('migrations run up and down on this database', async (t) => {
  t.test('SQLite', async (t) => {
    const db = createDb('sqlite::memory:');
    t.teardown(() => db.destroy());
    await upDownUp(t, db);
  });

  t.test(
    'PostgreSQL',
    { skip: !process.env.DATABASE_URL?.startsWith('postgres') && 'DATABASE_URL is not PostgreSQL' },
    async (t) => {
      const shared = await createSharedTestDb();
      t.teardown(shared.dispose);
      const db = shared.open();
      await upDownUp(t, db);
      const where = await db.raw(
        'SELECT table_schema FROM information_schema.tables WHERE table_name = ? AND table_schema = ?',
        ['knex_migrations', shared.schema],
      );
      t.equal(where.rows.length, 1, "knex_migrations lives in the app's own schema");
    },
  );
});

t.test('migration files are named YYYYMMDDHHMMSS_slug.ts and each has up and down', async (t) => {
  const files = listMigrationFiles();
  t.ok(files.length > 0);
  for (const f of files) {
    t.match(f, /^\d{14}_[a-z0-9_]+\.ts$/, f);
    const m = require(path.join(migrationsDir, f)) as { up?: unknown; down?: unknown };
    t.equal(typeof m.up, 'function', `${f} exports up`);
    t.equal(typeof m.down, 'function', `${f} exports down`);
  }
  t.equal(new Set(files.map((f) => f.slice(0, 14))).size, files.length, 'no two migrations share a timestamp');
});
