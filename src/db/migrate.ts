// Runs migrations, and loads the demo seed into an empty database outside production.
// Several instances may start at once against one PostgreSQL database: knex's own migration lock only
// works once its tables exist (creating them races: "relation knex_migrations already exists"), so on
// PostgreSQL the whole step runs under an advisory lock; the others wait, then find nothing left to do.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { migrationsDir, seedsDir } from '../paths';
import { isPostgres } from './knex';

const extensions = ['.ts', '.js'];

function isMigrationFile(f: string): boolean {
  return extensions.includes(path.extname(f)) && !f.endsWith('.d.ts');
}

export function migrationConfig(): Knex.MigratorConfig {
  return { directory: migrationsDir, loadExtensions: extensions, tableName: 'knex_migrations' };
}

/**
 * Runs `fn` while holding a PostgreSQL advisory lock scoped to the current schema (tests run one schema
 * per app in one database). The lock lives in a transaction on its own pooled connection, so `fn` must
 * use other connections (the pool keeps at least two, see knex.ts). SQLite has one connection and
 * serialises writers itself: `fn` runs directly.
 */
async function whileHoldingStartupLock<T>(db: Knex, fn: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return fn();
  return db.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':portal-startup'))");
    return fn();
  });
}

export async function migrateLatest(db: Knex): Promise<void> {
  await whileHoldingStartupLock(db, () => db.migrate.latest(migrationConfig()));
}

export async function migrateDownAll(db: Knex): Promise<void> {
  await whileHoldingStartupLock(db, () => db.migrate.rollback(migrationConfig(), true));
}

/** True when no organization or user exists yet: only then is demo data loaded. */
export async function isEmptyDatabase(db: Knex): Promise<boolean> {
  const row = await db('users').count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0) === 0;
}

/** Loads the demo seed unless another instance got there first (checked again under the lock). */
export async function loadDemoSeed(db: Knex): Promise<void> {
  await whileHoldingStartupLock(db, async () => {
    if (!(await isEmptyDatabase(db))) return;
    await db.seed.run({ directory: seedsDir, loadExtensions: extensions, sortDirsSeparately: false });
  });
}

export function listMigrationFiles(): string[] {
  return fs.readdirSync(migrationsDir).filter(isMigrationFile).sort();
}

/**
 * Migration files this code has that the database has not run (names without extension). Empty when the
 * schema is current, or ahead of this code (a newer instance migrated it during a rolling restart).
 */
export async function pendingMigrations(db: Knex, files: readonly string[] = listMigrationFiles()): Promise<string[]> {
  const base = (f: string) => f.replace(/\.(ts|js)$/, '');
  const done = new Set(((await db('knex_migrations').select('name')) as { name: string }[]).map((r) => base(r.name)));
  return files.map(base).filter((f) => !done.has(f));
}
