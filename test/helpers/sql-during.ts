// The SQL statements the app's database runs while a step runs (knex's 'query' event), for tests that
// count reads or writes per request.
import type { FastifyInstance } from 'fastify';

export async function sqlDuring(app: FastifyInstance, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (q: { sql: string }) => {
    seen.push(q.sql);
  };
  app.db.on('query', listener);
  try {
    await fn();
  } finally {
    app.db.off('query', listener);
  }
  return seen;
}

/**
 * The statements without the session read: a signed-in view reads the session row, or serves it from memory
 * when it was read within SESSION_RECHECK_MS (src/http/session-row-cache.ts), so tests that compare two views'
 * statement counts leave it out of both.
 */
export function withoutSessionRead(sql: string[]): string[] {
  return sql.filter((s) => !/from [`"]sessions[`"] as [`"]s[`"]/.test(s));
}
