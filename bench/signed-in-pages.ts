// npx tsx bench/signed-in-pages.ts — what every signed-in page pays before and after its handler (issue 16):
// the hello-world baseline, then signed-in `/staff`, the staff application page, `/docs` and the portal's 404
// page (every page hook and the layout, a handler that reads nothing), measured in turn BENCH_PAGE_ROUNDS times
// (default 3), each for BENCH_DURATION seconds at BENCH_CONNECTIONS (use 16 for pages). Prints CPU ms per
// request (the app server's process CPU, SQLite threads included) and the share of the baseline per round, then
// the medians. BENCH_PAGES=staff,docs narrows the list. Requests carry a browser's Accept-Encoding
// (BENCH_ACCEPT_ENCODING= sends none). BENCH_CPU_PROF=<dir> profiles the app server.
import os from 'node:os';
import autocannon from 'autocannon';
import { browserHeaders, pickedSignedInPages, SIGNED_IN_PAGES } from './portal-targets';
import { measure, signIn, start, type Result } from './run';

const ROUNDS = Number(process.env.BENCH_PAGE_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ALL = SIGNED_IN_PAGES;
const PAGES = pickedSignedInPages();
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function main() {
  const baseline = await start('baseline');
  const app = await start('app');
  try {
    const base = `http://127.0.0.1:${app.port}`;
    const headers = { cookie: await signIn(base, 'reviewer@portal.example'), ...browserHeaders() };
    for (const page of PAGES) {
      const res = await fetch(`${base}${ALL[page]}`, { headers });
      const expected = page === 'notfound' ? 404 : 200;
      if (res.status !== expected) throw new Error(`${page} answered ${res.status}`);
      if (!(await res.text()).includes('/logout')) throw new Error(`${page} is not rendered signed in`);
    }
    // Warm-up (JIT, prepared statements, SQLite page cache).
    await autocannon({ url: `http://127.0.0.1:${baseline.port}`, connections: 16, duration: 2 });
    for (const page of PAGES) await autocannon({ url: `${base}${ALL[page]}`, connections: 16, duration: 2, headers });
    const rows: Record<string, Result>[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const row: Record<string, Result> = { baseline: await measure('baseline', baseline, null) };
      for (const page of PAGES) row[page] = await measure(page, app, null, undefined, ALL[page], headers);
      rows.push(row);
      const b = row.baseline!;
      console.log(
        `round ${i + 1} (load ${load()}): baseline ${b.rps.toFixed(0)}/s (${b.cpuMsPerRequest.toFixed(3)} ms)` +
          PAGES.map((p) => {
            const r = row[p]!;
            return `; ${p} ${r.cpuMsPerRequest.toFixed(3)} ms, ${r.rps.toFixed(0)}/s = ${((100 * r.rps) / b.rps).toFixed(1)} % (${r.requests} req, ${r.errors} errors)`;
          }).join(''),
      );
    }
    console.log(
      `median: baseline ${median(rows.map((r) => r.baseline!.cpuMsPerRequest)).toFixed(3)} CPU ms/req` +
        PAGES.map(
          (p) =>
            `; ${p} ${median(rows.map((r) => r[p]!.cpuMsPerRequest)).toFixed(3)} CPU ms/req, ` +
            `${median(rows.map((r) => (100 * r[p]!.rps) / r.baseline!.rps)).toFixed(1)} % of baseline`,
        ).join(''),
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
