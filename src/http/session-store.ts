// Sessions live in the database so that several app instances can share them.
import type { Knex } from 'knex';
import { compiledOnce } from '../db/knex';

// biome-ignore lint/suspicious/noExplicitAny: the callback type @fastify/session declares for stores
type Callback = (err?: any, result?: any) => void;
interface StoredSession {
  cookie?: { expires?: string | Date | null; maxAge?: number | null };
  userId?: unknown;
}

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

type SessionRow = { data: string; expires_at: number | string };

export class KnexSessionStore {
  /** Compiled once, sent as plain text (compiledOnce): this read comes with every request carrying a session cookie. */
  private readonly read: (sid: string) => Promise<SessionRow[]>;

  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
  ) {
    this.read = compiledOnce<SessionRow>(db, (sid) => db('sessions').where({ sid }).select('data', 'expires_at'));
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
    const row = { sid, data: JSON.stringify(session), expires_at: this.expiry(session), user_id: userId };
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
    this.read(sid).then(
      (rows) => {
        const row = rows[0];
        if (!row || Number(row.expires_at) <= this.now()) return callback(null, null);
        callback(null, JSON.parse(row.data));
      },
      (err) => callback(err),
    );
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
