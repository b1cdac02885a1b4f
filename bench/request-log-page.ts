// The requests page at scale: grows the emulator's request log to BENCH_LOG_ROWS rows (default 1,000,000)
// across the demo organizations on a SQLite file (or DATABASE_URL), then times the page query for every
// filter of /sandbox/requests, first page and a deep cursor, BENCH_REPEAT times each (default 30), and
// prints the median and p95 in ms beside a baseline in the same run: one primary-key lookup of a log row.
// Run: npx tsx bench/request-log-page.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { isPostgres } from '../src/db/knex';
import { generateRequestLogRows } from '../src/testbed/common/request-log-generator';
import type { RequestLogFilter } from '../src/testbed/common/request-log-queries';

const ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);

async function time(fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]! };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-'));
  const databaseUrl = process.env.DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl } as NodeJS.ProcessEnv, {
    loadDemoData: true,
    logLevel: 'silent',
    requestLogRetentionDays: 0,
  });
  const app = await buildApp({ config });
  await app.ready();
  try {
    const orgs: string[] = (await app.db('organizations').select('id')).map((r: { id: string }) => r.id);
    const org = orgs[0]!;
    const started = performance.now();
    await generateRequestLogRows(app.db, { organizations: orgs, count: ROWS, until: new Date() });
    await app.db.raw(isPostgres(app.db) ? 'ANALYZE testbed_request_log' : 'ANALYZE');
    console.log(
      `${ROWS.toLocaleString('en')} rows over ${orgs.length} organizations in ${((performance.now() - started) / 1000).toFixed(1)} s (${isPostgres(app.db) ? 'PostgreSQL' : 'SQLite file'})`,
    );
    const q = app.services.testbedRequests;
    const top = (await q.page(org, { limit: 1 })).requests[0]!.id;
    const baseline = await time(() => app.db('testbed_request_log').where({ seq: top }).first('seq'));
    const cases: [string, RequestLogFilter][] = [
      ['newest 50', {}],
      ['deep cursor (1/2 way)', { before: Math.floor(top / 2) }],
      ['api=withdraw', { api: 'withdraw' }],
      ['api=real_name (5 %)', { api: 'real_name' }],
      ['result=A0326 (1 %)', { result: 'A0326' }],
      ['result=error', { result: 'error' }],
      ['result=success', { result: 'success' }],
      ['user_seq_no', { userSeqNo: '1100000003' }],
      ['last hour', { from: new Date(Date.now() - 3600_000).toISOString() }],
      [
        'a day a week ago',
        {
          from: new Date(Date.now() - 7 * 86400_000).toISOString(),
          to: new Date(Date.now() - 6 * 86400_000).toISOString(),
        },
      ],
    ];
    console.log(
      `baseline (primary-key lookup): median ${baseline.median.toFixed(2)} ms, p95 ${baseline.p95.toFixed(2)} ms`,
    );
    console.log('filter'.padEnd(24), 'median ms'.padStart(10), 'p95 ms'.padStart(9), 'x baseline'.padStart(11), 'rows');
    const results: Record<string, unknown>[] = [];
    for (const [name, f] of cases) {
      const r = await time(() => q.page(org, f));
      const rows = (await q.page(org, f)).requests.length;
      console.log(
        name.padEnd(24),
        r.median.toFixed(2).padStart(10),
        r.p95.toFixed(2).padStart(9),
        (r.median / baseline.median).toFixed(1).padStart(11),
        rows,
      );
      results.push({ name, ...r, rows });
    }
    const worst = Math.max(...results.map((r) => r.p95 as number));
    console.log(`worst p95 ${worst.toFixed(1)} ms — target < 100 ms: ${worst < 100 ? 'met' : 'MISSED'}`);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
