// Test databases start from a copy of a migrated template (test/helpers/db.ts) instead of migrating each time:
// the copy must be the same database a real migration makes, or every other test would test something else.
// SQLite copies a migrated file; PostgreSQL replays what a real migration wrote.
import t from 'tap';
import { copyMigratedSchema, createSharedTestDb, replayMigration, testPostgresUrl } from '../helpers/db';
import { migrateLatest } from '../../src/db/migrate';
import type { Knex } from 'knex';

/** Every row of `tables`; knex_migrations by name and batch (its migration_time is when each ran). */
async function tableRows(db: Knex, tables: Iterable<string>): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown> = {};
  for (const table of tables) {
    rows[table] =
      table === 'knex_migrations'
        ? (await db(table).orderBy('name').select('name', 'batch')).map((r) => `${r.name}:${r.batch}`)
        : await db(table).select('*');
  }
  return rows;
}

async function describe(db: Knex) {
  const objects = (await db.raw(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  )) as Record<string, string>[];
  const rows = await tableRows(
    db,
    objects.filter((x) => x.type === 'table').map((o) => o.name),
  );
  return { objects, rows };
}

t.test(
  'a copied test database has the schema, indexes and rows a real migration makes',
  { skip: testPostgresUrl() ? 'SQLite only' : false },
  async (t) => {
    const migrated = await createSharedTestDb({ sqliteInMemory: true });
    const copied = await createSharedTestDb({ sqliteInMemory: true });
    t.teardown(async () => {
      await migrated.dispose();
      await copied.dispose();
    });
    const a = migrated.open();
    await migrateLatest(a);
    const b = copied.open();
    await copyMigratedSchema(b);
    const [real, copy] = [await describe(a), await describe(b)];
    t.ok(real.objects.length > 50, `${real.objects.length} tables, indexes and triggers`);
    t.same(copy.objects, real.objects, 'the same tables, indexes and triggers, with the same SQL');
    t.same(copy.rows, real.rows, 'the same rows, knex_migrations included');
    await migrateLatest(b);
    t.same((await describe(b)).objects, real.objects, 'and migrating the copy finds nothing to do');
    t.same(
      (await b.raw('PRAGMA foreign_keys'))[0],
      { foreign_keys: 1 },
      'foreign keys are enforced again after the copy',
    );
  },
);

/** A PostgreSQL schema as catalog rows, with its own name written as "<schema>" so two schemas compare. */
async function describePostgres(db: Knex, schema: string) {
  const q = async (sql: string) =>
    JSON.parse(JSON.stringify((await db.raw(sql, { schema })).rows).replaceAll(`${schema}.`, '<schema>.')) as Record<
      string,
      unknown
    >[];
  const columns = await q(
    `SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default, character_maximum_length
       FROM information_schema.columns WHERE table_schema = :schema ORDER BY table_name, ordinal_position`,
  );
  const objects = {
    columns,
    indexes: await q('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema ORDER BY indexname'),
    constraints: await q(
      `SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = :schema
        ORDER BY 1, 2`,
    ),
    triggers: await q(
      `SELECT tg.tgname, pg_get_triggerdef(tg.oid) AS def FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND NOT tg.tgisinternal ORDER BY 1`,
    ),
    functions: await q(
      `SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = :schema ORDER BY 1`,
    ),
    sequences: await q(
      `SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
        WHERE sequence_schema = :schema ORDER BY 1`,
    ),
    views: await q('SELECT viewname, definition FROM pg_views WHERE schemaname = :schema ORDER BY 1'),
  };
  const rows = await tableRows(db, new Set(columns.map((c) => String(c.table_name))));
  return { objects, rows };
}

t.test(
  'a replayed PostgreSQL test schema has the tables, indexes, constraints, triggers and rows a real migration makes',
  { skip: testPostgresUrl() ? false : 'PostgreSQL only (DATABASE_URL=postgres://…)' },
  async (t) => {
    const migrated = await createSharedTestDb();
    const replayed = await createSharedTestDb();
    t.teardown(async () => {
      await migrated.dispose();
      await replayed.dispose();
    });
    const a = migrated.open();
    await migrateLatest(a);
    const b = replayed.open();
    await replayMigration(b);
    const [real, copy] = [await describePostgres(a, migrated.schema!), await describePostgres(b, replayed.schema!)];
    t.ok(real.objects.columns.length > 200, `${real.objects.columns.length} columns`);
    t.ok(real.objects.indexes.length > 50, `${real.objects.indexes.length} indexes`);
    for (const key of Object.keys(real.objects) as (keyof typeof real.objects)[])
      t.same(copy.objects[key], real.objects[key], `the same ${key}`);
    t.same(copy.rows, real.rows, 'the same rows, knex_migrations included');
    await migrateLatest(b);
    t.same((await describePostgres(b, replayed.schema!)).objects, real.objects, 'and migrating it finds nothing to do');
  },
);
