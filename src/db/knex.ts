// Knex factory: SQLite file (default) or PostgreSQL through DATABASE_URL. Same migrations run on both.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { openSqliteKnex } from './sqlite-driver-patches';

/** Reads that need no transaction go to the SQLite reader connection (see sqlite-driver-patches.ts P5). */
export { readerOf } from './sqlite-driver-patches';
/** A query runner: the database itself or a transaction. Repositories take one of these. */
export type Runner = Knex | Knex.Transaction;

/** The rows of a knex.raw SELECT (or INSERT … RETURNING): an array on SQLite, `{ rows }` on PostgreSQL. */
export function rawRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * A builder query compiled to SQL once, then sent as that text (knex.raw) with the call's value: for the
 * reads every signed-in request makes (the session, the user), where knex's query builder and compiler cost
 * more CPU than the driver's round trip itself. `build` runs once, on the first call, with a marker standing
 * for the one per-call value; each call binds `value` wherever the marker was bound. Rows as knex.raw gives
 * them, on either database (at most one for a `.first()` query, whose compiled text keeps its LIMIT).
 */
export function compiledOnce<T>(
  db: Knex,
  build: (value: string) => Knex.QueryBuilder,
): (value: unknown) => Promise<T[]> {
  let compiled: { sql: string; bindings: readonly unknown[]; at: number[] } | null = null;
  return async (value) => {
    if (!compiled) {
      const marker = `\u0000compiled-once-${Math.random()}`;
      const { sql, bindings } = build(marker).toSQL();
      const at = bindings.flatMap((b, i) => (b === marker ? [i] : []));
      if (at.length === 0) throw new Error('compiledOnce: the query does not bind its value');
      compiled = { sql, bindings, at };
    }
    const bindings = [...compiled.bindings];
    for (const i of compiled.at) bindings[i] = value;
    return rawRows<T>(await db.raw(compiled.sql, bindings as never[]));
  };
}

/**
 * Several queries, each with its own ORDER BY / LIMIT, read in one UNION ALL statement. Each branch is wrapped as
 * `SELECT * FROM (…)`: SQLite allows ORDER BY / LIMIT in a compound select's branches only inside a subquery.
 * The union keeps no order of its own: callers sort what comes back. At least one branch.
 */
export function unionAllOfLimited<T>(run: Runner, branches: readonly Knex.QueryBuilder[]): Promise<T[]> {
  const [first, ...rest] = branches.map((q, i) => run.select('*').from(q.as(`u${i}`)));
  return (rest.length ? first!.unionAll(rest) : first!) as unknown as Promise<T[]>;
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
  return jsonRows<T>((await run.raw(wrapped, bindings as never[])) as { r: string }[], columns);
}
const jsonRowSql = new Map<string, string>();

/** SQLite: `json_array(…) AS r` of `columns` for each row of the query aliased `from` (see selectRows). */
export function jsonRowColumn(run: Runner, from: string, columns: readonly string[]): Knex.Raw {
  return run.raw(`json_array(${columns.map((c) => `${from}."${c}"`).join(', ')}) AS r`);
}

/** Rows packed by jsonRowColumn (or selectRows), unpacked into objects with `columns` as their keys. */
export function jsonRows<T>(packed: readonly { r: string }[], columns: readonly string[]): T[] {
  const out = new Array<T>(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const values = JSON.parse(packed[i]!.r) as unknown[];
    const row: Record<string, unknown> = {};
    for (let k = 0; k < columns.length; k++) row[columns[k]!] = values[k];
    out[i] = row as T;
  }
  return out;
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/**
 * `poolMax`: PostgreSQL connections (config.dbPoolMax, DB_POOL_MAX); SQLite always has one writer and one
 * reader. `sqliteCacheMiB`: each SQLite connection's page cache (config.sqliteCacheMiB, SQLITE_CACHE_MIB).
 */
export function createDb(databaseUrl: string, opts: { poolMax?: number; sqliteCacheMiB?: number } = {}): Knex {
  if (databaseUrl.startsWith('postgres')) {
    return knexFactory({
      client: 'pg',
      connection: databaseUrl,
      // At least two: start-up holds an advisory lock on one connection while migrating on another.
      pool: { min: 0, max: Math.max(2, opts.poolMax ?? 10) },
    });
  }
  const file = databaseUrl.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // One connection: SQLite serialises writers anyway, and a single connection makes every transaction
  // exclusive, which the ledger relies on for "no overdraft under races". Statement reuse, BEGIN IMMEDIATE
  // and the reader connection: src/db/sqlite-driver-patches.ts.
  return openSqliteKnex(file, {
    role: 'main',
    cacheMiB: opts.sqliteCacheMiB,
    pragmas: [
      'PRAGMA foreign_keys = ON',
      'PRAGMA journal_mode = WAL',
      // WAL + synchronous=NORMAL: no fsync per commit (only at checkpoints); still never corrupts, at worst
      // the last commits before a power cut are lost. Halves test-bed write latency.
      'PRAGMA synchronous = NORMAL',
    ],
  });
}
