// Test databases start from a copy of a migrated template (test/helpers/db.ts) instead of migrating each time:
// the copy must be the same database a real migration makes, or every other test would test something else.
import t from 'tap';
import { copyMigratedSchema, createSharedTestDb, testPostgresUrl } from '../helpers/db';
import { migrateLatest } from '../../src/db/migrate';
import type { Knex } from 'knex';

async function describe(db: Knex) {
  const objects = (await db.raw(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  )) as Record<string, string>[];
  const rows: Record<string, unknown> = {};
  for (const o of objects.filter((x) => x.type === 'table')) {
    rows[o.name] =
      o.name === 'knex_migrations'
        ? (await db(o.name).orderBy('name').select('name', 'batch')).map((r) => `${r.name}:${r.batch}`)
        : await db(o.name).select('*');
  }
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
