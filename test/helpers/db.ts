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

export function testPostgresUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url && url.startsWith('postgres') ? url : null;
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
  return { db, dispose: shared.dispose };
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
  const closeAll = async () => { await Promise.all(opened.splice(0).map((db) => db.destroy())); };
  const pgUrl = testPostgresUrl();
  if (pgUrl) {
    const schema = newSchemaName();
    const admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
    await admin.raw('CREATE SCHEMA ??', [schema]);
    return {
      kind: 'postgres',
      url: pgUrl,
      schema,
      open() { const db = openSchema(pgUrl, schema); opened.push(db); return db; },
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
      kind: 'sqlite', url: 'sqlite::memory:', schema: null,
      open() {
        if (opened.length > 0) throw new Error('an in-memory SQLite database cannot be opened twice');
        const db = createDb('sqlite::memory:'); opened.push(db); return db;
      },
      dispose: closeAll,
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-test-'));
  const url = `sqlite:${path.join(dir, 'portal.sqlite')}`;
  return {
    kind: 'sqlite', url, schema: null,
    open() { const db = createDb(url); opened.push(db); return db; },
    async dispose() {
      await closeAll();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
