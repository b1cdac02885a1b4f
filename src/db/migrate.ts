// Runs migrations, and loads the demo seed into an empty database outside production.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { migrationsDir, seedsDir } from '../paths';

const extensions = ['.ts', '.js'];

function isMigrationFile(f: string): boolean {
  return extensions.includes(path.extname(f)) && !f.endsWith('.d.ts');
}

export function migrationConfig(): Knex.MigratorConfig {
  return { directory: migrationsDir, loadExtensions: extensions, tableName: 'knex_migrations' };
}

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest(migrationConfig());
}

export async function migrateDownAll(db: Knex): Promise<void> {
  await db.migrate.rollback(migrationConfig(), true);
}

/** True when no organization or user exists yet: only then is demo data loaded. */
export async function isEmptyDatabase(db: Knex): Promise<boolean> {
  const row = await db('users').count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0) === 0;
}

export async function loadDemoSeed(db: Knex): Promise<void> {
  await db.seed.run({ directory: seedsDir, loadExtensions: extensions, sortDirsSeparately: false });
}

export function listMigrationFiles(): string[] {
  return fs.readdirSync(migrationsDir).filter(isMigrationFile).sort();
}
