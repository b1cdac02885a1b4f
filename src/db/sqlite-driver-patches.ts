// Every change this project makes to how knex and node-sqlite3 behave, in one place. The emulator's write
// path runs on ONE SQLite connection, so each event-loop turn and thread-pool job per query counts; these
// patches remove them. Each relies on internals of the versions in VERIFIED_AGAINST, and
// test/db/sqlite-driver-patches.test.ts fails on any other installed version until they are re-verified.
//
// Entry point: openSqliteKnex(file, opts), a knex on one node-sqlite3 connection with the patches installed.
// Hooks for the rest of src/db: execAndCommit (P4) and readerOf (P5).
//
// P1 Statement reuse (sqlite3 Database#all and #run replaced on the connection). knex runs every query
//    through #all or #run (Client_SQLite3#_query), which prepare, run and finalize a statement: three
//    thread-pool jobs. Data statements (SELECT, INSERT, UPDATE, DELETE, WITH), transaction control (BEGIN,
//    COMMIT, ROLLBACK) and knex's per-transaction `PRAGMA defer_foreign_keys` are prepared once and re-run:
//    one job. Results, errors and the `this.lastID` / `this.changes` context knex reads are the driver's.
//    Only statements that prepared successfully are reused; the first run of a text, other PRAGMAs and DDL
//    take the driver's path; the least recently used statement is finalized past `max`.
// P2 Close (Database#close replaced). SQLite refuses to close with statements open: P1's are finalized first.
// P3 BEGIN IMMEDIATE (main connection; P1's #all/#run rewrite the text). knex's plain `BEGIN;` becomes
//    `BEGIN IMMEDIATE;`: a transaction holds the write lock from its start, so its statements may go out in
//    any order, and a second process on the file waits at BEGIN (busy_timeout) instead of failing to upgrade
//    a read snapshot to a write.
// P4 The answered COMMIT (P1's #all/#run). execAndCommit(trx, script) runs a batch's statements and COMMIT
//    as ONE Database#exec job on the transaction's connection (knex's transaction client hands that
//    connection out from acquireConnection()); the `COMMIT;` knex sends next is answered as done without
//    running (there is nothing left to commit, and running it would fail). Any other statement first
//    clears the mark. A failure inside the exec leaves the transaction open and knex rolls it back.
// P5 The reader stand-in (a Proxy in place of a knex). A SQLite file gets a second, `query_only`
//    connection for reads that need no transaction: in WAL mode it sees every committed write at once and
//    never waits for a write transaction. readerOf(db) returns a function-shaped Proxy that forwards calls
//    and properties to that knex, opened on first use (so a process that never reads through it opens no
//    second connection).
// P7 LIMIT as a literal (P1's #all/#run rewrite the text). SQLite plans `LIMIT ?` with the bound value
//    (sqlite3ExprIsInteger with a Parse, SQLite 3.4x+) and marks the variable as plan-changing, so every
//    rebind of it expires the statement and its next run re-parses and re-plans it (sqlite3Reprepare):
//    P1's reuse did not hold for any knex `.first()` or paged read. A text ending in `limit ?` (or
//    `limit ? offset ?`) whose limit binding is a small non-negative integer is sent with the number
//    written in (`limit 1`); the offset stays a parameter (it never takes part in the plan).
// P6 Destroy (knex Client#destroy wrapped). knex.destroy() ends in client.destroy(): the reader is
//    closed first, and a reader asked for after that answers through the destroyed main knex (and is
//    refused as it is), never by opening a new connection.
import knexFactory, { type Knex } from 'knex';
import type { Database, Statement } from 'sqlite3';

/** The versions every patch above was read against and tested with. */
export const VERIFIED_AGAINST = { knex: '3.3.0', sqlite3: '6.0.1' } as const;

const STATEMENT_CACHE_SIZE = 300;
/** Each connection's page cache when SQLITE_CACHE_MIB is not set (src/config.ts has the same default). */
const DEFAULT_CACHE_MIB = 16;

/**
 * A knex on ONE SQLite connection (`file` or ':memory:'), set up with `pragmas` and the patches above.
 * `role: 'main'` (the read-write connection) gets BEGIN IMMEDIATE (P3) and, for a file, the reader (P5, P6);
 * `role: 'reader'` is the query_only second connection.
 */
export function openSqliteKnex(
  file: string,
  opts: { pragmas: string[]; role: 'main' | 'reader'; cacheMiB?: number | undefined },
): Knex {
  const cacheMiB = opts.cacheMiB ?? DEFAULT_CACHE_MIB;
  const all = [
    ...opts.pragmas,
    ...(opts.role === 'reader' ? ['PRAGMA query_only = ON'] : []),
    // A page cache of `cacheMiB` (SQLite's default is 2 MiB): the hot tables stay in memory instead of being
    // re-read through system calls. Negative = KiB.
    `PRAGMA cache_size = -${Math.round(cacheMiB * 1024)}`,
    'PRAGMA busy_timeout = 5000',
  ];
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Database, done: (err: Error | null, conn: unknown) => void) {
        const next = (i: number): void => {
          if (i === all.length) {
            patchConnection(conn, { beginImmediate: opts.role === 'main' });
            done(null, conn);
            return;
          }
          conn.run(all[i]!, (err) => (err ? done(err, conn) : next(i + 1)));
        };
        next(0);
      },
    },
  });
  if (opts.role === 'main' && file !== ':memory:') addReader(db, file, cacheMiB);
  return db;
}

// ---- P1-P4: one connection ----

const DATA_STATEMENT =
  /^\s*(select|insert|update|delete|with|begin|commit|rollback|end|pragma defer_foreign_keys\b)\b/i;
const COMMIT = /^\s*(commit|end)(\s+transaction)?\s*;?\s*$/i;
const PLAIN_BEGIN = /^\s*begin(\s+deferred)?(\s+transaction)?\s*;?\s*$/i;
const TRAILING_LIMIT = /\slimit \?(\s+offset \?)?\s*$/i;
/** P7: the largest limit written into the text (each distinct value is its own cached statement). */
const LITERAL_LIMIT_MAX = 1000;

/**
 * P7: `… limit ?` with its binding written in as a number (the binding removed from `params`), when the
 * text ends in that clause (so its placeholder is the last, or the last but one before `offset ?`) and the
 * value is an integer 0…LITERAL_LIMIT_MAX. Anything else is returned as it is.
 */
export function literalLimit(sql: string, params: unknown): { sql: string; params: unknown } {
  if (!Array.isArray(params) || params.length === 0) return { sql, params };
  const m = TRAILING_LIMIT.exec(sql);
  if (!m) return { sql, params };
  const at = params.length - (m[1] ? 2 : 1);
  const n = params[at];
  if (at < 0 || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > LITERAL_LIMIT_MAX) return { sql, params };
  return {
    sql: `${sql.slice(0, m.index)} limit ${n}${m[1] ? ' offset ?' : ''}`,
    params: [...params.slice(0, at), ...params.slice(at + 1)],
  };
}

type Callback = (this: Statement, err: Error | null, rows?: unknown) => void;

const committedByExec = new WeakSet<Database>();

/**
 * P4: runs `script` (a batch's statements ending in COMMIT, values written as literals) as one
 * Database#exec on the connection of the top-level transaction `trx`, and marks the transaction committed
 * so that knex's own COMMIT is answered without running. Nothing may be sent on `trx` afterwards.
 */
export async function execAndCommit(trx: Knex.Transaction, script: string): Promise<void> {
  const conn = (await trx.client.acquireConnection()) as Database;
  await new Promise<void>((resolve, reject) => conn.exec(script, (err) => (err ? reject(err) : resolve())));
  committedByExec.add(conn);
}

/**
 * P1-P4 and P7 on one connection. Exported for the tests that check them on a bare node-sqlite3 connection;
 * the application gets them only through openSqliteKnex.
 */
export function patchConnection(conn: Database, opts: { beginImmediate?: boolean; max?: number } = {}): void {
  const max = opts.max ?? STATEMENT_CACHE_SIZE;
  const immediate = (sql: string): string => (opts.beginImmediate && PLAIN_BEGIN.test(sql) ? 'BEGIN IMMEDIATE;' : sql);
  // Only statements that prepared successfully are used from the cache; the first run of any SQL text
  // takes the driver's own path while its reusable statement is prepared alongside. (The driver resets a
  // statement after each run, so a reused statement never stays active and never holds a transaction open.)
  const cache = new Map<string, Statement>();
  const preparing = new Map<string, Statement>();
  const all = conn.all.bind(conn) as (sql: string, params: unknown, cb: Callback) => Database;
  const run = conn.run.bind(conn) as (sql: string, params: unknown, cb: Callback) => Database;
  const close = conn.close.bind(conn);
  let closing = false;

  function cached(sql: string): Statement | null {
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql); // most recently used last
      cache.set(sql, hit);
      return hit;
    }
    if (!closing && !preparing.has(sql) && DATA_STATEMENT.test(sql)) {
      const statement = conn.prepare(sql, (err) => {
        preparing.delete(sql);
        if (closing) return; // close() finalizes it
        if (err) {
          statement.finalize(() => undefined);
          return;
        }
        cache.set(sql, statement);
        if (cache.size > max) {
          const [oldest, old] = cache.entries().next().value as [string, Statement];
          cache.delete(oldest);
          old.finalize(() => undefined); // queued after any use still pending on it
        }
      });
      preparing.set(sql, statement);
    }
    return null;
  }

  // P4: the COMMIT after execAndCommit is done already. Returns true when it answered the call.
  const alreadyCommitted = (sql: string, cb: Callback): boolean => {
    if (!committedByExec.has(conn)) return false;
    committedByExec.delete(conn);
    if (typeof cb !== 'function' || !COMMIT.test(sql)) return false;
    const done = { lastID: 0, changes: 0 } as unknown as Statement;
    process.nextTick(() => cb.call(done, null, []));
    return true;
  };

  const via =
    (method: typeof all, use: 'all' | 'run') =>
    (text: string, params: unknown, cb: Callback): Database => {
      if (alreadyCommitted(text, cb)) return conn;
      const limited = literalLimit(immediate(text), params);
      const sql = limited.sql;
      const statement = typeof cb === 'function' ? cached(sql) : null;
      if (!statement) return method(sql, limited.params, cb);
      statement[use](limited.params ?? [], cb);
      return conn;
    };
  const patched = conn as unknown as { all: typeof all; run: typeof run; close: typeof close };
  patched.all = via(all, 'all');
  patched.run = via(run, 'run');
  // P2
  patched.close = ((cb?: (err: Error | null) => void) => {
    closing = true;
    const open = [...cache.values(), ...preparing.values()];
    cache.clear();
    preparing.clear();
    let left = open.length;
    if (left === 0) return close(cb);
    for (const st of open) {
      st.finalize(() => {
        left -= 1;
        if (left === 0) close(cb);
      });
    }
    return conn;
  }) as typeof close;
}

// ---- P5, P6: the reader ----

const readers = new WeakMap<Knex, Knex>();

function addReader(db: Knex, file: string, cacheMiB: number): void {
  let reader: Knex | null = null;
  let destroyed = false;
  const open = (): Knex => {
    if (destroyed) return db;
    reader ??= openSqliteKnex(file, { pragmas: [], role: 'reader', cacheMiB });
    return reader;
  };
  // A knex is a function (db('table')) with methods, so the stand-in is too.
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
 * P5: where to send a read that needs no transaction: the SQLite reader connection when there is one, else
 * the database itself (PostgreSQL's pool already reads in parallel; an in-memory SQLite has one connection).
 */
export function readerOf(db: Knex): Knex {
  return readers.get(db) ?? db;
}
