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
