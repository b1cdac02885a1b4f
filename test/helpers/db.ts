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
  // Start from a copy of the migrated schema instead of running every migration again (the app's own
  // migrateLatest then finds nothing to do): in-memory SQLite copies a migrated file, a PostgreSQL schema
  // replays in one round trip what a real migration wrote.
  if (process.env.TEST_MIGRATE_EACH !== '1') {
    if (shared.kind === 'sqlite') await copyMigratedSchema(db);
    else await replayMigration(db);
  }
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

/** A binding of a captured statement as an SQL literal; anything else fails the capture (it would not replay). */
function literal(db: Knex, value: unknown): string {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  )
    return db.raw('?', [value]).toQuery();
  throw new Error(`a migration bound a ${typeof value} value: the replay of migrations cannot write it as a literal`);
}

/**
 * PostgreSQL: what a real migration writes, as one script (made once per test process). A throw-away schema is
 * migrated with every statement recorded; what changes the database (DDL, inserts, updates; not the migrator's
 * SELECTs, its advisory lock or transaction control) is kept, bindings written as literals, in order. Replaying
 * it in a new, empty schema makes the same schema and rows: migrations start from an empty database and write
 * nothing that depends on the time or place they run beyond what the script records. Names stay unqualified
 * (search_path picks the schema); a statement naming the throw-away schema fails the capture.
 * test/db/schema-copy.test.ts compares a replayed schema with a migrated one.
 */
let pgScript: Promise<string> | null = null;
function migrationScript(url: string): Promise<string> {
  pgScript ??= (async () => {
    const schema = newSchemaName();
    const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    await admin.raw('CREATE SCHEMA ??', [schema]);
    const db = openSchema(url, schema);
    // Recorded as knex sends them, written as literals afterwards: an error thrown inside knex's event listener
    // would surface somewhere inside the migrator rather than here.
    const recorded: { sql: string; bindings: unknown[] }[] = [];
    db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      const sql = q.sql.trim();
      if (!/^(select|begin|commit|rollback|savepoint|release)\b/i.test(sql))
        recorded.push({ sql, bindings: q.bindings ?? [] });
    });
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
      await admin.raw('DROP SCHEMA ?? CASCADE', [schema]);
      await admin.destroy();
    }
    const statements = recorded.map(({ sql, bindings }) =>
      bindings.length ? sql.replace(/\$(\d+)/g, (_, n) => literal(db, bindings[Number(n) - 1])) : sql,
    );
    const named = statements.find((s) => s.includes(schema));
    if (named) throw new Error(`a migration named its schema; it cannot be replayed elsewhere: ${named.slice(0, 200)}`);
    return `BEGIN;\n${statements.join(';\n')};\nCOMMIT;`;
  })();
  return pgScript;
}

/** PostgreSQL: gives `db`'s (new, empty) schema what migrateLatest would, in one round trip. */
export async function replayMigration(db: Knex): Promise<void> {
  const url = testPostgresUrl();
  if (!url) throw new Error('replayMigration needs DATABASE_URL=postgres://…');
  const script = await migrationScript(url);
  // Straight to the driver, without bindings: the simple query protocol runs the whole script in one message.
  const conn = (await db.client.acquireConnection()) as { query(sql: string): Promise<unknown> };
  try {
    await conn.query(script);
  } finally {
    await db.client.releaseConnection(conn);
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
