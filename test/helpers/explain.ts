// The plan of a captured statement, for tests that check a paged list is read through an index in its order.
// On PostgreSQL the test tables are small, so the planner may rightly prefer a full scan, a bitmap read or a sort
// of a few rows; with those priced out (still chosen when nothing else answers), the plan says whether an index
// gives the rows in order, the question that matters at any size. On SQLite: EXPLAIN QUERY PLAN's details.
import type { Knex } from 'knex';
import { isPostgres } from '../../src/db/knex';

export async function orderedIndexPlan(db: Knex, q: { sql: string; bindings?: readonly unknown[] }): Promise<string> {
  const bindings = (q.bindings ?? []) as never[];
  if (isPostgres(db)) {
    return db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      await trx.raw('SET LOCAL enable_bitmapscan = off');
      await trx.raw('SET LOCAL enable_sort = off');
      const res = await trx.raw(`EXPLAIN ${q.sql.replace(/\$\d+/g, '?')}`, bindings);
      return (res.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    });
  }
  const rows = (await db.raw(`EXPLAIN QUERY PLAN ${q.sql}`, bindings)) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

// Fresh statistics for the app's own tables only (see src/db/analyze.ts).
export { analyzeOwnTables } from '../../src/db/analyze';
