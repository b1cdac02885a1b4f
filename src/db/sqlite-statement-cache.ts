// Prepared-statement reuse for the SQLite connection. knex runs every query through the driver's
// Database#all / Database#run, which prepares a new statement, runs it and finalizes it: three jobs on
// libuv's thread pool and three trips back through the event loop for each query. This wraps the one
// connection so that data statements (SELECT, INSERT, UPDATE, DELETE, WITH) are prepared once and then
// re-bound and re-run: one job per query. Results, errors and the `this.lastID` / `this.changes` context
// of run() are exactly the driver's. Transaction control (BEGIN, COMMIT, ROLLBACK) and the per-transaction
// `PRAGMA defer_foreign_keys = ON` are reused the same way: every write batch runs them, and each through
// the driver's path cost two thread-pool jobs and two event-loop turns of the batch's latency. Everything
// else (other PRAGMAs, DDL) takes the driver's own path, as does the first run of each SQL text and any
// text that fails to prepare; when the cache is full the least recently used statement is finalized.
// close() finalizes them all first. (The driver resets a statement after each run, so a reused statement
// never stays active and never holds a transaction open.)
import type { Database, Statement } from 'sqlite3';

const DATA_STATEMENT =
  /^\s*(select|insert|update|delete|with|begin|commit|rollback|end|pragma defer_foreign_keys\b)\b/i;

type Callback = (this: Statement, err: Error | null, rows?: unknown) => void;

const COMMIT = /^\s*(commit|end)(\s+transaction)?\s*;?\s*$/i;
const committedByExec = new WeakSet<Database>();

/**
 * The transaction on `conn` was committed by the caller's own Database#exec (src/db/write-and-commit.ts):
 * the COMMIT that knex sends next is answered as done without running (there is nothing left to commit,
 * and running it would fail). Any other statement clears the mark first.
 */
export function commitDoneByExec(conn: Database): void {
  committedByExec.add(conn);
}

const PLAIN_BEGIN = /^\s*begin(\s+deferred)?(\s+transaction)?\s*;?\s*$/i;

/**
 * `beginImmediate`: a plain BEGIN (knex's) becomes BEGIN IMMEDIATE, so a transaction takes the database's
 * write lock when it starts rather than at its first write. On one connection nothing changes (it is
 * ours alone while the transaction runs); a second process on the same file waits at BEGIN (busy_timeout)
 * instead of failing later to upgrade a read snapshot to a write. So statements of a write transaction may
 * be sent in any order, reads before writes included. For the main (read-write) connection only.
 */
export function cacheStatements(conn: Database, max = 300, opts: { beginImmediate?: boolean } = {}): void {
  const immediate = (sql: string): string => (opts.beginImmediate && PLAIN_BEGIN.test(sql) ? 'BEGIN IMMEDIATE;' : sql);
  // Only statements that prepared successfully are used from the cache; the first run of any SQL text
  // takes the driver's own path while its reusable statement is prepared alongside.
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

  const patched = conn as unknown as { all: typeof all; run: typeof run; close: typeof close };
  // The COMMIT after commitDoneByExec: done already. Returns true when it answered the call.
  const alreadyCommitted = (sql: string, cb: Callback): boolean => {
    if (!committedByExec.has(conn)) return false;
    committedByExec.delete(conn);
    if (typeof cb !== 'function' || !COMMIT.test(sql)) return false;
    const done = { lastID: 0, changes: 0 } as unknown as Statement;
    process.nextTick(() => cb.call(done, null, []));
    return true;
  };

  patched.all = (text, params, cb) => {
    if (alreadyCommitted(text, cb)) return conn;
    const sql = immediate(text);
    const statement = typeof cb === 'function' ? cached(sql) : null;
    if (!statement) return all(sql, params, cb);
    statement.all(params ?? [], cb);
    return conn;
  };
  patched.run = (text, params, cb) => {
    if (alreadyCommitted(text, cb)) return conn;
    const sql = immediate(text);
    const statement = typeof cb === 'function' ? cached(sql) : null;
    if (!statement) return run(sql, params, cb);
    statement.run(params ?? [], cb);
    return conn;
  };
  // SQLite refuses to close a connection with statements still open: finalize them first.
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
