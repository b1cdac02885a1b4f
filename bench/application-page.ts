// npx tsx bench/application-page.ts — the staff application page alone (issue 16), against the hello-world
// baseline in the same run: the baseline and the page measured in turn BENCH_PAGE_ROUNDS times (default 3), each
// for BENCH_DURATION seconds at BENCH_CONNECTIONS (as bench/run.ts; use 16 for pages). Prints req/s, CPU ms per
// request and the share of the baseline of each round, then the medians. BENCH_CPU_PROF=<dir> profiles the app
// server as in bench/run.ts. A narrower, quicker loop than `npm run bench` for work on this one page.
import os from 'node:os';
import autocannon from 'autocannon';
import { DEMO_APPLICATION_IDS } from '../seeds/02_applications';
import { measure, signIn, start, type Result } from './run';

const ROUNDS = Number(process.env.BENCH_PAGE_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const baseline = await start('baseline');
  const app = await start('app');
  try {
    const base = `http://127.0.0.1:${app.port}`;
    const cookie = await signIn(base, 'reviewer@portal.example');
    const url = `/staff/applications/${DEMO_APPLICATION_IDS.demoFintech}`;
    const page = await fetch(`${base}${url}`, { headers: { cookie } });
    if (page.status !== 200) throw new Error(`the application page answered ${page.status}`);
    // Warm-up (JIT, prepared statements, SQLite page cache).
    await autocannon({ url: `http://127.0.0.1:${baseline.port}`, connections: 16, duration: 2 });
    await autocannon({ url: `${base}${url}`, connections: 16, duration: 3, headers: { cookie } });
    const rows: { baseline: Result; page: Result }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const b = await measure('baseline', baseline, null);
      const p = await measure('application page', app, null, undefined, url, { cookie });
      rows.push({ baseline: b, page: p });
      console.log(
        `round ${i + 1}: baseline ${b.rps.toFixed(0)}/s (${b.cpuMsPerRequest.toFixed(3)} ms), page ${p.rps.toFixed(0)}/s ` +
          `(${p.cpuMsPerRequest.toFixed(3)} CPU ms/req, ${p.requests} requests, ${p.errors} errors), ` +
          `${((100 * p.rps) / b.rps).toFixed(2)} % of baseline; load ${os
            .loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`,
      );
    }
    console.log(
      `median: page ${median(rows.map((r) => r.page.cpuMsPerRequest)).toFixed(3)} CPU ms/req, ` +
        `${median(rows.map((r) => (100 * r.page.rps) / r.baseline.rps)).toFixed(2)} % of baseline, ` +
        `baseline ${median(rows.map((r) => r.baseline.cpuMsPerRequest)).toFixed(3)} CPU ms/req`,
    );
  } finally {
    app.proc.kill('SIGTERM');
    baseline.proc.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
