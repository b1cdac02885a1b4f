// The usage rollup (testbed_request_usage) always equals a count over the request log: calls recorded
// through the real log writer (SQLite's deferred indexing and its row-by-row fallback, PostgreSQL's
// direct insert) are counted in the same transaction, the retention prune subtracts exactly what it
// deletes (keys left at zero go), and the usage report read from the rollup shows what a count over the
// remaining log rows shows. Runs on SQLite, or on PostgreSQL with DATABASE_URL.
import t from 'tap';
import type { Knex } from 'knex';
import { build } from '../helpers/build';
import { createRequestLog, type RequestLogEntry } from '../../src/testbed/common/request-log';
import { rebuildUsageRollup } from '../../src/testbed/common/request-usage-rollup';
import { createUsageQueries, nearestRank } from '../../src/usage/usage-queries';
import { DEMO_IDS } from '../../src/demo-accounts';

const A = DEMO_IDS.demoFintechOrg;
const B = DEMO_IDS.samplePayOrg;

interface LogRow {
  organization_id: string | null;
  api: string | null;
  rsp_code: string | null;
  bank_rsp_code: string | null;
  duration_ms: number | null;
  created_at: string;
}

function kstDay(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 10);
}
function failed(r: LogRow): number {
  return r.rsp_code === null || (r.rsp_code === 'A0000' && (r.bank_rsp_code === null || r.bank_rsp_code === '000'))
    ? 0
    : 1;
}

/** The rollup as a count over the log computed here: key → calls. */
async function countedOverLog(db: Knex): Promise<Map<string, number>> {
  const rows = (await db('testbed_request_log').select(
    'organization_id',
    'api',
    'rsp_code',
    'bank_rsp_code',
    'duration_ms',
    'created_at',
  )) as LogRow[];
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = [
      r.organization_id ?? '',
      kstDay(r.created_at),
      r.api ?? '',
      r.rsp_code ?? '',
      failed(r),
      r.duration_ms === null ? -1 : Number(r.duration_ms),
    ].join('|');
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}
async function rollup(db: Knex): Promise<Map<string, number>> {
  const rows = (await db('testbed_request_usage').select('*')) as Record<string, string | number | null>[];
  return new Map(
    rows.map((r) => [
      [r.org_key, r.day, r.api, r.rsp_code, Number(r.failed), Number(r.duration_ms)].join('|'),
      Number(r.calls),
    ]),
  );
}
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const APIS = ['balance', 'withdraw', 'transaction_list', 'oauth_token', null, 'real_name'];
const CODES: [string | null, string | null][] = [
  ['A0000', '000'],
  ['A0002', '453'],
  [null, null],
  ['O0001', null],
  ['A0000', '453'],
  ['A0000', null],
];
let n = 0;
function entry(i: number, over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  n += 1;
  const [rspCode, bankRspCode] = CODES[i % CODES.length]!;
  return {
    organizationId: [A, A, B, null][i % 4]!,
    clientUseCode: 'M202600001',
    method: 'GET',
    path: '/v2.0/account/balance/fin_num',
    api: APIS[(i * 5) % APIS.length]!,
    rspCode,
    bankRspCode,
    warnings: [],
    apiTranId: `api-${n}`,
    durationMs: i % 11 === 0 ? null : (i * 37) % 90,
    requestBody: { n },
    responseBody: { n },
    ...over,
  };
}

t.test('the rollup equals a count over the log after writes and after the retention prune', async (t) => {
  const app = await build(t, { demo: true });
  await app.services.testbedRequestLog.flush();
  const db = app.db;
  let now = new Date('2026-12-01T14:30:00.000Z'); // 23:30 in Korea: calls fall on both sides of midnight
  const clock = () => now;
  const log = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000, retentionDays: 3 });
  t.teardown(() => log.stop());
  // Six days of calls, 10 minutes apart, written in batches of various sizes.
  for (let i = 0; i < 6 * 24 * 6; i++) {
    // A lone surrogate cannot travel as JSON: SQLite writes that chunk row by row.
    log.record(entry(i, i % 97 === 0 ? { path: `/v2.0/\ud800/${i}` } : {}));
    now = new Date(now.getTime() + 10 * 60_000);
    if (i % 37 === 0) await log.write();
  }
  await log.flush();
  const total = Number(((await db('testbed_request_log').count({ c: '*' }).first()) as { c: number | string }).c);
  t.equal(total, 6 * 24 * 6, 'every call is in the log');
  t.same(sorted(await rollup(db)), sorted(await countedOverLog(db)), 'the rollup equals a count over the log');

  // The report reads the rollup; its figures equal counts over the log rows in the period.
  const usage = createUsageQueries({ db, clock, log });
  const checkReport = async (label: string) => {
    const report = await usage.report({ organizationId: A }, 7, now);
    const rows = ((await db('testbed_request_log').where('organization_id', A).select('*')) as LogRow[]).filter(
      (r) => kstDay(r.created_at) >= report.period.firstDay && kstDay(r.created_at) <= report.period.lastDay,
    );
    t.equal(report.total, rows.length, `${label}: calls`);
    t.equal(report.errors, rows.filter((r) => failed(r) === 1).length, `${label}: failed calls`);
    const durations = rows
      .map((r) => r.duration_ms)
      .filter((d): d is number => d !== null)
      .map(Number)
      .sort((a, b) => a - b);
    t.same(
      [report.latency.measured, report.latency.p50, report.latency.p95, report.latency.p99],
      [
        durations.length,
        durations[nearestRank(50, durations.length) - 1],
        durations[nearestRank(95, durations.length) - 1],
        durations[nearestRank(99, durations.length) - 1],
      ],
      `${label}: latency percentiles`,
    );
    for (const d of report.daily)
      t.equal(d.calls, rows.filter((r) => kstDay(r.created_at) === d.day).length, `${label}: calls on ${d.day}`);
  };
  await checkReport('before the prune');

  // Retention: three days. The cutoff falls inside a Korean day, so that day's rollups shrink but stay.
  const pruned = await log.prune();
  t.ok(pruned > 0, `the prune deleted rows (${pruned})`);
  const left = Number(((await db('testbed_request_log').count({ c: '*' }).first()) as { c: number | string }).c);
  t.equal(left, total - pruned, 'rows before the cutoff are gone');
  t.same(
    sorted(await rollup(db)),
    sorted(await countedOverLog(db)),
    'after the prune the rollup still equals the count',
  );
  const zero = await db('testbed_request_usage').where('calls', '<=', 0).count({ c: '*' }).first();
  t.equal(Number((zero as { c: number | string }).c), 0, 'keys left with no calls are removed');
  await checkReport('after the prune');

  // The migration's backfill and the rebuild count alike.
  const before = await rollup(db);
  await rebuildUsageRollup(db);
  t.same(sorted(await rollup(db)), sorted(before), 'a rebuild from the log gives the same rollup');
});
