// Rule: a signed-in request may be served the session row (the session, its user and the unread count) from this
// process's memory for at most SESSION_RECHECK_MS after it was read; any change to the tables that row comes from,
// made through this instance's database handle, empties the cache at once.
//
// Bound: a change made by ANOTHER instance sharing the database (PostgreSQL deployments run several behind one
// database), or by SQL from outside the app, is seen here at most SESSION_RECHECK_MS (2 s) after it committed:
// a session signed out, ended by a password change or deactivation on instance A may still be served by
// instance B for up to that long; a role change or a new notification shows on B's pages up to that late.
// On the instance that made the change it applies to the very next request. Expiry is exact either way: the
// stored `expires_at` is checked against the clock on every request, hit or miss.
//
// How "any change" is seen, without every service having to remember to say so: the cache listens to knex's
// statement events on the app's database handle. A statement that is not a SELECT and names one of the watched
// tables empties the cache when it has run (autocommit: its answer means it is committed); one inside a
// transaction marks its connection, and the cache is emptied again when that connection goes back to the pool,
// which knex does only after COMMIT (or ROLLBACK) has finished. Reads race writes safely: a read records the
// cache's generation when it starts and its row is kept only if no emptying happened meanwhile (a read that
// began before a commit finished may have seen the old row). Statements run outside knex (the emulator's
// one-job batches, src/db/write-and-commit.ts) are not seen; none of them writes a watched table.
import type { Knex } from 'knex';

/** How long a session row read from the database may be served from memory (see the bound above). */
export const SESSION_RECHECK_MS = 2_000;
/** At most this many sessions are remembered (the oldest read goes first). */
const MAX_ENTRIES = 10_000;
/** Verdicts per statement text (whether it writes a watched table), kept for this many distinct texts. */
const MAX_VERDICTS = 2_000;

interface Entry<Row> {
  row: Row;
  at: number;
}

type QueryEvent = { sql?: string; __knexUid?: string; __knexTxId?: string };
type PoolLike = { on(event: 'release', fn: (resource: unknown) => void): void; removeListener: PoolLike['on'] };

export class SessionRowCache<Row> {
  private readonly rows = new Map<string, Entry<Row>>();
  private generation = 0;
  private readonly verdicts = new Map<string, boolean>();
  /** Connections (knex's __knexUid) whose open transaction wrote a watched table. */
  private readonly dirty = new Set<string>();
  private readonly watched: RegExp;
  private readonly unwatch: () => void;

  /** `tables`: every table the cached row is read from. `now`: a monotonic clock in ms (tests stop it). */
  constructor(
    db: Knex,
    tables: readonly string[],
    private readonly maxAgeMs = SESSION_RECHECK_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.watched = new RegExp(`\\b(${tables.join('|')})\\b`, 'i');
    const answered = (_result: unknown, q: QueryEvent) => this.statementRan(q);
    const released = (conn: unknown) => {
      const uid = (conn as { __knexUid?: string } | null)?.__knexUid;
      if (uid !== undefined && this.dirty.delete(uid)) this.empty();
    };
    // Without the pool's release event a committed transaction's change could stay hidden behind a row read
    // before its COMMIT finished: refuse to start rather than serve such a row.
    const pool = (db.client as { pool?: Partial<PoolLike> }).pool;
    if (typeof pool?.on !== 'function' || typeof pool.removeListener !== 'function')
      throw new Error('session-row cache: the database handle has no connection pool events to watch');
    const events = pool as PoolLike;
    db.on('query-response', answered);
    db.on('query-error', answered);
    events.on('release', released);
    this.unwatch = () => {
      db.removeListener('query-response', answered);
      db.removeListener('query-error', answered);
      events.removeListener('release', released);
      this.empty();
    };
  }

  /** The row for `sid` if it was read less than maxAgeMs ago and nothing watched changed since. */
  get(sid: string): Row | undefined {
    const entry = this.rows.get(sid);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at >= this.maxAgeMs) {
      this.rows.delete(sid);
      return undefined;
    }
    return entry.row;
  }

  /** Call when a read starts; hand the result to `put` with it. */
  readStarts(): number {
    return this.generation;
  }

  /** Keeps a row read from the database, unless a watched table changed while it was being read. */
  put(sid: string, row: Row, generationAtStart: number): void {
    if (generationAtStart !== this.generation) return;
    this.rows.delete(sid);
    if (this.rows.size >= MAX_ENTRIES) this.rows.delete(this.rows.keys().next().value as string);
    this.rows.set(sid, { row, at: this.now() });
  }

  /** Stops watching the database (the app closes). */
  close(): void {
    this.unwatch();
  }

  private empty(): void {
    this.generation++;
    this.rows.clear();
  }

  private statementRan(q: QueryEvent): void {
    const sql = q.sql;
    if (typeof sql !== 'string' || !this.writesWatched(sql)) return;
    this.empty();
    if (q.__knexTxId !== undefined && q.__knexUid !== undefined) this.dirty.add(q.__knexUid);
  }

  /** Whether a statement may change a watched table: anything but a SELECT that names one. */
  private writesWatched(sql: string): boolean {
    let verdict = this.verdicts.get(sql);
    if (verdict === undefined) {
      verdict = !/^\s*\(?\s*select\b/i.test(sql) && this.watched.test(sql);
      if (this.verdicts.size < MAX_VERDICTS) this.verdicts.set(sql, verdict);
    }
    return verdict;
  }
}
