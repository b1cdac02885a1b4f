// Knex factory: SQLite file (default) or PostgreSQL through DATABASE_URL. Same migrations run on both.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import type { Database } from 'sqlite3';
import { cacheStatements } from './sqlite-statement-cache';

export type Db = Knex;
export type Trx = Knex.Transaction;
/** A query runner: the database itself or a transaction. Repositories take one of these. */
export type Runner = Knex | Knex.Transaction;

/** The rows of a knex.raw SELECT (or INSERT … RETURNING): an array on SQLite, `{ rows }` on PostgreSQL. */
export function rawRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** " FOR UPDATE" on PostgreSQL (row locks), "" on SQLite (a transaction there holds the database). */
export function forUpdateClause(run: Runner): string {
  return run.client.config.client === 'pg' ? ' FOR UPDATE' : '';
}

/** A statement's text cached by its shape (e.g. the number of rows), for plain-SQL hot paths. */
export function sqlCache(build: (shape: number) => string): (shape: number) => string {
  const texts = new Map<number, string>();
  return (shape) => {
    let text = texts.get(shape);
    if (text === undefined) {
      text = build(shape);
      if (texts.size < 256) texts.set(shape, text);
    }
    return text;
  };
}

/** "?, ?, …" with n placeholders; "(?, ?), (?, ?)" with a tuple width. */
export function placeholders(n: number, width = 1): string {
  const one = width === 1 ? '?' : `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: n }, () => one).join(', ');
}

/**
 * Rows of a plain SELECT whose output columns are `columns`. On SQLite each row comes back as ONE JSON
 * text (`SELECT json_array(…) FROM (<sql>)`) and is unpacked here: the driver builds every row object on
 * the event loop, a property at a time, which for a 22-column row costs about 2.5 times more than parsing
 * the same row from JSON. Values arrive as the driver would give them (text, numbers, NULL); blobs are
 * not supported. The order of rows is the subquery's only when nothing relies on it (use for lookups).
 * On PostgreSQL: the rows as they are.
 */
export async function selectRows<T>(
  run: Runner,
  sql: string,
  bindings: readonly unknown[],
  columns: readonly string[],
): Promise<T[]> {
  if (isPostgres(run)) return rawRows<T>(await run.raw(sql, bindings as never[]));
  let wrapped = jsonRowSql.get(sql);
  if (wrapped === undefined) {
    wrapped = `SELECT json_array(${columns.map((c) => `"${c}"`).join(', ')}) AS r FROM (${sql})`;
    if (jsonRowSql.size < 512) jsonRowSql.set(sql, wrapped);
  }
  const packed = (await run.raw(wrapped, bindings as never[])) as { r: string }[];
  const out = new Array<T>(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const values = JSON.parse(packed[i]!.r) as unknown[];
    const row: Record<string, unknown> = {};
    for (let k = 0; k < columns.length; k++) row[columns[k]!] = values[k];
    out[i] = row as T;
  }
  return out;
}
const jsonRowSql = new Map<string, string>();

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

export function createDb(databaseUrl: string): Knex {
  if (databaseUrl.startsWith('postgres')) {
    return knexFactory({
      client: 'pg',
      connection: databaseUrl,
      // At least two: start-up holds an advisory lock on one connection while migrating on another.
      pool: { min: 0, max: Math.max(2, Number(process.env.DB_POOL_MAX ?? 10) || 10) },
    });
  }
  const file = databaseUrl.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // One connection: SQLite serialises writers anyway, and a single connection makes every transaction
  // exclusive, which the ledger relies on for "no overdraft under races".
  const db = sqliteKnex(
    file,
    [
      'PRAGMA foreign_keys = ON',
      'PRAGMA journal_mode = WAL',
      // WAL + synchronous=NORMAL: no fsync per commit (only at checkpoints); still never corrupts, at worst
      // the last commits before a power cut are lost. Halves test-bed write latency.
      'PRAGMA synchronous = NORMAL',
    ],
    { beginImmediate: true },
  ); // transactions take the write lock at BEGIN (see sqlite-statement-cache.ts)
  if (file !== ':memory:') addReader(db, file);
  return db;
}

/** A knex on one SQLite connection set up with `pragmas`, then the shared settings and statement reuse. */
function sqliteKnex(file: string, pragmas: string[], opts: { beginImmediate?: boolean } = {}): Knex {
  const all = [
    ...pragmas,
    // A 64 MiB page cache: the hot tables stay in memory instead of being re-read through system calls
    // (SQLite's default cache is 2 MiB).
    'PRAGMA cache_size = -65536',
    'PRAGMA busy_timeout = 5000',
  ];
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Database, done: (err: Error | null, conn: unknown) => void) {
        const next = (i: number): void => {
          if (i === all.length) {
            cacheStatements(conn, 300, opts);
            return done(null, conn);
          }
          conn.run(all[i]!, (err) => (err ? done(err, conn) : next(i + 1)));
        };
        next(0);
      },
    },
  });
}

const readers = new WeakMap<Knex, Knex>();

/**
 * A second SQLite connection to the same file for reads that need no transaction (the emulator's account
 * lookups and statement pages). In WAL mode it reads the last committed state while the main connection
 * writes, on another thread, so reads no longer queue behind a write transaction. It can only read
 * (query_only). It is closed with the main one.
 */
function addReader(db: Knex, file: string): void {
  let reader: Knex | null = null;
  let destroyed = false;
  // After destroy() the main knex answers (and refuses, as a destroyed knex does): never a new connection.
  const open = (): Knex => (destroyed ? db : (reader ??= sqliteKnex(file, ['PRAGMA query_only = ON'])));
  // Opened on first use; a knex is a function (db('table')) with methods, so the stand-in is too.
  readers.set(
    db,
    new Proxy(function standIn() {} as unknown as Knex, {
      apply: (_t, _this, args: unknown[]) => (open() as unknown as (...a: unknown[]) => unknown)(...args),
      get(_t, prop) {
        const real = open() as unknown as Record<string | symbol, unknown>;
        const v = real[prop];
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(real) : v;
      },
    }),
  );
  // knex.destroy() ends in client.destroy(): close the reader first.
  const client = db.client as { destroy: (cb?: unknown) => Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (callback?: unknown) => {
    const r = reader;
    reader = null;
    destroyed = true;
    if (r) await r.destroy();
    return destroy(callback);
  };
}

/**
 * Where to send a read that needs no transaction: the SQLite reader connection when there is one, else
 * the database itself (PostgreSQL's pool already reads in parallel; an in-memory SQLite has one connection).
 */
export function readerOf(db: Knex): Knex {
  return readers.get(db) ?? db;
}
