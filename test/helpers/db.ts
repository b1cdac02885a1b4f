// A fresh database per test app: in-memory SQLite by default; with DATABASE_URL=postgres://… a new
// PostgreSQL schema per app (knex sets search_path on every pooled connection, so the app's tables and
// knex_migrations land there), dropped afterwards, so test files can run in parallel.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';

export function testPostgresUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url?.startsWith('postgres') ? url : null;
}

function newSchemaName(): string {
  return `t_${crypto.randomBytes(6).toString('hex')}`;
}

function openSchema(url: string, schema: string, poolMax = 5): Knex {
  return knexFactory({ client: 'pg', connection: url, searchPath: [schema], pool: { min: 0, max: poolMax } });
}

export async function createTestDb(): Promise<{ db: Knex; dispose: () => Promise<void> }> {
  const shared = await createSharedTestDb({ sqliteInMemory: true });
  const db = shared.open();
  // In-memory SQLite: start from a copy of the migrated schema instead of running every migration again
  // (the app's own migrateLatest then finds nothing to do). PostgreSQL schemas migrate as before.
  if (shared.kind === 'sqlite' && process.env.TEST_MIGRATE_EACH !== '1') await copyMigratedSchema(db);
  return { db, dispose: shared.dispose };
}

/**
 * One migrated SQLite file per test process (made on first use, removed at exit); each new in-memory
 * database gets its tables, indexes and triggers from it, and its rows (knex_migrations and any rows a
 * migration writes). `TEST_MIGRATE_EACH=1` turns this off, to check that the copy and a real migration agree
 * (test/db/schema-copy.test.ts compares them).
 */
let template: Promise<string> | null = null;
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-template-'));
    const file = path.join(dir, 'template.sqlite');
    const db = createDb(`sqlite:${file}`);
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return file;
  })();
  return template;
}

export async function copyMigratedSchema(db: Knex): Promise<void> {
  const file = await migratedTemplate();
  await db.raw('ATTACH DATABASE ? AS tpl', [file]);
  try {
    const objects = (await db.raw(
      "SELECT type, name, tbl_name, sql FROM tpl.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid",
    )) as { type: string; name: string; tbl_name: string; sql: string }[];
    // One script through the driver's exec: a statement at a time through knex costs several times more.
    const script = [
      'PRAGMA foreign_keys = OFF',
      ...objects.map((o) => o.sql),
      ...objects
        .filter((o) => o.type === 'table')
        .map((o) => `INSERT INTO main."${o.name}" SELECT * FROM tpl."${o.name}"`),
      'PRAGMA foreign_keys = ON',
    ].join(';\n');
    const conn = (await db.client.acquireConnection()) as { exec(sql: string, cb: (err: Error | null) => void): void };
    try {
      await new Promise<void>((resolve, reject) => conn.exec(script, (err) => (err ? reject(err) : resolve())));
    } finally {
      await db.client.releaseConnection(conn);
    }
  } finally {
    await db.raw('DETACH DATABASE tpl');
  }
}

export interface SharedTestDb {
  kind: 'sqlite' | 'postgres';
  /** What DATABASE_URL a separate process would use to reach this database (PostgreSQL: see `schema`). */
  url: string;
  /** PostgreSQL schema the tables live in (null on SQLite). */
  schema: string | null;
  /** A new, independent connection pool on the same database, as a second app instance would open. */
  open(): Knex;
  /** Closes every pool opened here and removes the database (schema or temporary file). */
  dispose(): Promise<void>;
}

/**
 * One database that several app instances open separately: a PostgreSQL schema when DATABASE_URL is
 * PostgreSQL, otherwise a temporary SQLite file (or, with `sqliteInMemory`, one in-memory database that
 * only a single pool can open).
 */
export async function createSharedTestDb(opts: { sqliteInMemory?: boolean } = {}): Promise<SharedTestDb> {
  const opened: Knex[] = [];
  const closeAll = async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()));
  };
  const pgUrl = testPostgresUrl();
  if (pgUrl) {
    const schema = newSchemaName();
    const admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
    await admin.raw('CREATE SCHEMA ??', [schema]);
    return {
      kind: 'postgres',
      url: pgUrl,
      schema,
      open() {
        const db = openSchema(pgUrl, schema);
        opened.push(db);
        return db;
      },
      async dispose() {
        await closeAll();
        try {
          await admin.raw('DROP SCHEMA ?? CASCADE', [schema]);
        } finally {
          await admin.destroy();
        }
      },
    };
  }
  if (opts.sqliteInMemory) {
    return {
      kind: 'sqlite',
      url: 'sqlite::memory:',
      schema: null,
      open() {
        if (opened.length > 0) throw new Error('an in-memory SQLite database cannot be opened twice');
        const db = createDb('sqlite::memory:');
        opened.push(db);
        return db;
      },
      dispose: closeAll,
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-test-'));
  const url = `sqlite:${path.join(dir, 'portal.sqlite')}`;
  return {
    kind: 'sqlite',
    url,
    schema: null,
    open() {
      const db = createDb(url);
      opened.push(db);
      return db;
    },
    async dispose() {
      await closeAll();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
