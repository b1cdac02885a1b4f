// Sessions live in the database so that several app instances can share them.
import type { Knex } from 'knex';
import { compiledOnce } from '../db/knex';
import type { SessionRowCache } from './session-row-cache';

// biome-ignore lint/suspicious/noExplicitAny: the callback type @fastify/session declares for stores
type Callback = (err?: any, result?: any) => void;
interface StoredSession {
  cookie?: { expires?: string | Date | null; maxAge?: number | null };
  userId?: unknown;
}

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * The session key under which `get` hands over what the read brought besides the session (`readAlongside`):
 * the session's user, read in the same query. It is never stored (`set` leaves it out), and a session made
 * by `regenerate` has none, so it only ever holds what this request's own read found.
 */
export const READ_WITH_SESSION = '__readWithSession';

type SessionRow = { data: string; expires_at: number | string } & Record<string, unknown>;

/** A session row as the cache keeps it: what `get` needs, the read-alongside part made once and frozen. */
export interface CachedSessionRow {
  data: string;
  expiresAt: number;
  alongside: Readonly<Record<string, unknown>> | null;
}

export class KnexSessionStore {
  /** Compiled once, sent as plain text (compiledOnce): this read comes with every request carrying a session cookie. */
  private readonly read: (sid: string) => Promise<SessionRow[]>;
  private readonly alongside: boolean;

  /**
   * `readAlongside` adds joins and columns to the session read (`sessions as s`, one row at most): the row,
   * without `data` and `expires_at`, is handed to the request as session[READ_WITH_SESSION]. The security
   * plugin reads the signed-in user this way, so a signed-in request costs one query before its handler.
   */
  /**
   * `cache`: rows read recently, served without a query for a bounded time (src/http/session-row-cache.ts:
   * emptied by any write to the tables the row comes from, so a change made here applies to the next request).
   */
  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
    readAlongside?: (read: Knex.QueryBuilder) => Knex.QueryBuilder,
    private readonly cache?: SessionRowCache<CachedSessionRow>,
  ) {
    this.alongside = readAlongside !== undefined;
    this.read = compiledOnce<SessionRow>(db, (sid) => {
      const read = db('sessions as s').where('s.sid', sid).select('s.data', 's.expires_at').limit(1);
      return readAlongside ? readAlongside(read) : read;
    });
  }

  private expiry(session: StoredSession): number {
    const exp = session.cookie?.expires;
    if (exp) return new Date(exp).getTime();
    return this.now() + DEFAULT_TTL_MS;
  }

  set(sid: string, session: StoredSession, callback: Callback): void {
    // user_id mirrors the session's user so that all of a user's sessions can be ended at once
    // (password change or reset, deactivation: src/accounts).
    const userId = typeof session.userId === 'string' ? session.userId : null;
    const row = {
      sid,
      data: JSON.stringify(session, leaveOutReadAlongside),
      expires_at: this.expiry(session),
      user_id: userId,
    };
    this.db('sessions')
      .insert(row)
      .onConflict('sid')
      .merge(['data', 'expires_at', 'user_id'])
      .then(
        () => callback(),
        (err) => callback(err),
      );
  }

  get(sid: string, callback: Callback): void {
    const cached = this.cache?.get(sid);
    if (cached !== undefined) {
      this.deliver(cached, callback);
      return;
    }
    const generation = this.cache?.readStarts() ?? 0;
    this.read(sid).then(
      (rows) => {
        const row = rows[0];
        if (!row) return callback(null, null);
        const kept = this.keep(row);
        this.cache?.put(sid, kept, generation);
        this.deliver(kept, callback);
        return;
      },
      (err) => callback(err),
    );
  }

  private keep(row: SessionRow): CachedSessionRow {
    let alongside: Record<string, unknown> | null = null;
    if (this.alongside) {
      const { data: _data, expires_at: _expires, ...rest } = row;
      alongside = Object.freeze(rest);
    }
    return { data: row.data, expiresAt: Number(row.expires_at), alongside };
  }

  /** The session from a row, fresh objects for this request only; an expired one is no session (checked on every request). */
  private deliver(row: CachedSessionRow, callback: Callback): void {
    if (row.expiresAt <= this.now()) {
      callback(null, null);
      return;
    }
    const session = JSON.parse(row.data);
    if (row.alongside) session[READ_WITH_SESSION] = row.alongside;
    callback(null, session);
  }

  destroy(sid: string, callback: Callback): void {
    this.db('sessions')
      .where({ sid })
      .delete()
      .then(
        () => callback(),
        (err) => callback(err),
      );
  }

  /** Removes expired sessions; called periodically by the app. */
  async prune(): Promise<number> {
    return this.db('sessions').where('expires_at', '<=', this.now()).delete();
  }
}

function leaveOutReadAlongside(key: string, value: unknown): unknown {
  return key === READ_WITH_SESSION ? undefined : value;
}
