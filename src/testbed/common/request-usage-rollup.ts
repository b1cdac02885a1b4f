// Rule: testbed_request_usage always equals a GROUP BY over testbed_request_log by (organization, Korean
// day, api, rsp_code, failed, duration_ms), with the number of rows as `calls`. Every write to the log
// adds its rows in the same transaction (or the same statement), and the retention prune subtracts the
// rows it deletes in the same transaction (a key whose count reaches zero is removed), so the usage page
// (src/usage/usage-queries.ts) reads these few rows instead of counting the log and shows exactly what
// a count over the log would.
// Keys hold no NULL (a NULL is never equal to itself in a unique key): no organization, no api and no
// rsp_code are '' (the log never stores ''), no duration is -1. `organization_id` keeps the real value
// so deleting an organization deletes its rollups with its log rows (ON DELETE CASCADE).
// The Korean day (KST = UTC+9 all year) is computed by the database from created_at.
import type { Knex } from 'knex';
import { isPostgres, type Runner } from '../../db/knex';
import { SUCCESS_SQL } from './call-success';

export const USAGE_TABLE = 'testbed_request_usage';
/** The rollup's key; `calls` is the count. */
const KEY = ['org_key', 'day', 'api', 'rsp_code', 'failed', 'duration_ms'] as const;

/** The Korean day of the ISO instant in `created_at`, as YYYY-MM-DD. */
function kstDaySql(db: Runner): string {
  return isPostgres(db as Knex)
    ? `to_char((CAST(created_at AS timestamptz) AT TIME ZONE 'UTC') + interval '9 hours', 'YYYY-MM-DD')`
    : `strftime('%Y-%m-%d', created_at, '+9 hours')`;
}

/**
 * INSERT … SELECT that adds (sign 1) or subtracts (sign -1) the rows of `source` matching `where` to the
 * rollup. `source` is the log table or a CTE with the log's columns (PostgreSQL: the rows an INSERT or
 * DELETE … RETURNING touched). Keys are sent in order, so two writers upserting together lock alike.
 */
export function rollupSql(db: Runner, source: string, where: string, sign: 1 | -1 = 1): string {
  const day = kstDaySql(db);
  const select = [
    `COALESCE(organization_id, '')`,
    'organization_id',
    day,
    `COALESCE(api, '')`,
    `COALESCE(rsp_code, '')`,
    `CASE WHEN ${SUCCESS_SQL} THEN 0 ELSE 1 END`,
    'COALESCE(duration_ms, -1)',
    `${sign === 1 ? '' : '-'}COUNT(*)`,
  ];
  const groups = select.slice(0, 7).map((_, i) => String(i + 1));
  return (
    `INSERT INTO "${USAGE_TABLE}" ("org_key", "organization_id", "day", "api", "rsp_code", "failed", "duration_ms", "calls") ` +
    `SELECT ${select.join(', ')} FROM ${source} WHERE ${where} GROUP BY ${groups.join(', ')} ORDER BY 1, 3, 4, 5, 6, 7 ` +
    `ON CONFLICT (${KEY.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET "calls" = "${USAGE_TABLE}"."calls" + excluded."calls"`
  );
}

/** Adds the log rows with seq above `afterSeq` (rows just written by the only writer: SQLite). */
export async function addRowsAfter(run: Runner, afterSeq: number): Promise<void> {
  await run.raw(rollupSql(run, 'testbed_request_log', 'seq > ?'), [afterSeq]);
}

/** The largest seq in the log (0 when empty): taken before a write, inside its transaction. */
export async function lastSeq(run: Runner): Promise<number> {
  const row = (await run('testbed_request_log').max({ s: 'seq' }).first()) as { s: number | string | null } | undefined;
  return Number(row?.s ?? 0);
}

/** Removes rollup rows left at zero calls by a prune, on the days up to `lastDay` (YYYY-MM-DD). */
export async function dropEmptyRollups(run: Runner, lastDay: string): Promise<void> {
  await run(USAGE_TABLE).where('day', '<=', lastDay).andWhere('calls', '<=', 0).delete();
}

/**
 * Recounts the whole rollup from the log: for rows written straight into the log table (the scale
 * generator, tests). The migration that created the table backfills it the same way.
 */
export async function rebuildUsageRollup(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    await trx(USAGE_TABLE).delete();
    await trx.raw(rollupSql(trx, 'testbed_request_log', '1 = 1'));
  });
}
