// BENCH_SCALE=1 npm run bench — costs stay flat as data grows (issue 16). One production-mode server
// (bench/scale-server.ts) on the demo data: every scenario is measured, then the server grows its database
// (bench/scale-data.ts: 20,000 applications in every stage, 1,000,000 ledger postings, 1,000,000
// request-log rows, 200,000 audit events, × BENCH_SCALE_FACTOR) and every scenario is measured again. Each
// must stay within 2× its demo-data figure: p99 at most twice (with 1 ms as the smallest figure, autocannon's
// resolution) and req/s at least half. Prints the checks and writes them to bench/results.json under
// `scale` (the file's other keys are kept). Scenarios: the staff queue (no filter, each stage, each status,
// a later page), a staff application page, an account's transaction history (first and a deep page), the
// requests page, the usage page and the emulator's KFTC mix. BENCH_DURATION and BENCH_CONNECTIONS as in
// bench/run.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_APPLICATION_IDS } from '../seeds/02_applications';
import { mixPicker, measure, signIn, start, tokens, type Child, type Result } from './run';
import { SCALE_FULL, scaleSizes, type GrowResult } from './scale-data';

const FACTOR = Number(process.env.BENCH_SCALE_FACTOR ?? 1);

/** Asks the server something over IPC; fails (instead of waiting forever) if the server exits first. */
function ask(child: Child, message: Record<string, unknown>): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the scale server exited (${code}) before answering`));
    child.proc.once('exit', exited);
    child.proc.once('message', (m) => {
      child.proc.off('exit', exited);
      resolve(m as Record<string, any>);
    });
    child.proc.send(message);
  });
}

interface Scenario {
  name: string;
  url?: string;
  headers?: Record<string, string>;
  mix?: boolean;
}

/** The scenarios at the server's current size (the deep history cursor depends on it). */
async function scenarios(app: Child, cookies: { reviewer: string; owner: string }): Promise<Scenario[]> {
  const info = await ask(app, { cmd: 'info' });
  const reviewer = { cookie: cookies.reviewer };
  const owner = { cookie: cookies.owner };
  const queue = (q: string): Scenario => ({
    name: `staff queue ${q || '(no filter)'}`,
    url: `/staff${q}`,
    headers: reviewer,
  });
  const history = `/sandbox/ledger/accounts/${info.historyAccountId}`;
  // A later page of the queue: the `next` link of the first one.
  const base = `http://127.0.0.1:${app.port}`;
  const first = await (await fetch(`${base}/staff?status=rejected`, { headers: reviewer })).text();
  // Handlebars writes `=` in an attribute as &#x3D;: decoded before matching (it used to never match, and the
  // scenario was left out without a word).
  const nextHref = /href="\/staff\?([^"]+)" rel="next"/
    .exec(first)?.[1]
    ?.replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
  const later = nextHref?.includes('after=') ? nextHref : undefined;
  if (!later) console.log('staff queue (a later page): no next link on the first page, left out');
  return [
    queue(''),
    queue('?stage=suitability'),
    queue('?stage=testing'),
    ...['submitted', 'in_review', 'changes_requested', 'in_progress', 'rejected', 'withdrawn'].map((s) =>
      queue(`?status=${s}`),
    ),
    ...(later ? [{ ...queue('(a later page)'), url: `/staff?${later}` }] : []),
    {
      name: 'staff application page',
      url: `/staff/applications/${DEMO_APPLICATION_IDS.demoFintech}`,
      headers: reviewer,
    },
    { name: 'transaction history, first page', url: history, headers: owner },
    {
      name: 'transaction history, deep page',
      url: info.deepHistoryCursor ? `${history}?after=${info.deepHistoryCursor}` : history,
      headers: owner,
    },
    { name: 'requests page', url: '/sandbox/requests', headers: owner },
    { name: 'usage page', url: '/sandbox/usage', headers: owner },
    { name: 'emulator mix 68/21/6/5', mix: true },
  ];
}

/** BENCH_SCALE_ONLY=<text>: only the scenarios whose name contains it (e.g. "application page"), while iterating. */
const ONLY = process.env.BENCH_SCALE_ONLY;

async function measureAll(
  app: Child,
  list: Scenario[],
  t: Awaited<ReturnType<typeof tokens>>,
): Promise<Map<string, Result>> {
  const out = new Map<string, Result>();
  for (const s of list.filter((x) => !ONLY || x.name.includes(ONLY))) {
    if (s.mix) {
      out.set(s.name, await measure(s.name, app, mixPicker(), t));
      continue;
    }
    await autocannon({ url: `http://127.0.0.1:${app.port}${s.url}`, connections: 4, duration: 1, headers: s.headers });
    const r = await measure(s.name, app, null, undefined, s.url, s.headers);
    out.set(s.name, r);
  }
  return out;
}

export async function runScale(): Promise<void> {
  const sizes = scaleSizes(FACTOR);
  console.log(
    `scale bench: factor ${FACTOR} (${sizes.applications} applications, ${sizes.postings} postings, ${sizes.requestLog} request-log rows, ${sizes.auditEvents} audit events), node ${process.version}, ${os.cpus().length} CPUs`,
  );
  const app = await start('app', 'scale-server.ts');
  try {
    const base = `http://127.0.0.1:${app.port}`;
    const t = await tokens(base);
    const cookies = {
      reviewer: await signIn(base, 'reviewer@portal.example'),
      owner: await signIn(base, 'owner@demo-fintech.example'),
    };
    await measure('warm-up', app, mixPicker(), t);
    const small = await measureAll(app, await scenarios(app, cookies), t);
    const before = await ask(app, { cmd: 'verify' });
    console.log('growing the database…');
    const grown = (await ask(app, { cmd: 'grow', factor: FACTOR })).grown as GrowResult;
    console.log(`grown in ${(grown.ms / 1000).toFixed(1)} s`);
    const large = await measureAll(app, await scenarios(app, cookies), t);
    const after = await ask(app, { cmd: 'verify' });

    const rows = [...large.keys()].map((name) => {
      // The demo data has no later queue page: that one is held to the first page of the same filter.
      const s =
        small.get(name) ?? (name.includes('later page') ? small.get('staff queue ?status=rejected') : undefined);
      const l = large.get(name)!;
      const p99Ok = s ? l.p99 <= 2 * Math.max(s.p99, 1) : false;
      const rpsOk = s ? l.rps >= s.rps / 2 : false;
      return { name, small: s ?? null, large: l, p99Within2x: p99Ok, rpsWithin2x: rpsOk };
    });
    const line = (c: string[]) => console.log(c.map((x, i) => (i === 0 ? x.padEnd(40) : x.padStart(10))).join(' '));
    console.log('');
    line(['scenario', 'demo req/s', 'demo p99', 'big req/s', 'big p99', 'errors', 'CPU ms/req', 'check']);
    for (const r of rows)
      line([
        r.name,
        r.small ? r.small.rps.toFixed(0) : '—',
        r.small ? String(r.small.p99) : '—',
        r.large.rps.toFixed(0),
        String(r.large.p99),
        String(r.large.errors),
        r.large.cpuMsPerRequest.toFixed(3),
        r.p99Within2x && r.rpsWithin2x ? 'MET' : 'MISSED',
      ]);
    const verify = after.verify as { ok: boolean; totalDrift: number };
    console.log('');
    console.log(`rows before: ${JSON.stringify(before.counts)}`);
    console.log(`rows after:  ${JSON.stringify(after.counts)}`);
    console.log(
      `ledger after: ${verify.ok ? 'OK' : 'FAILED'} (drift ${verify.totalDrift}); peak RSS ${(Number(after.peakRss) / 2 ** 20).toFixed(1)} MiB; load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    const checks: Record<string, boolean> = {};
    for (const r of rows) {
      checks[`${r.name}: p99 within 2x`] = r.p99Within2x;
      checks[`${r.name}: req/s within 2x`] = r.rpsWithin2x;
    }
    checks['ledger exact after growing and the mix'] = verify.ok && verify.totalDrift === 0;
    for (const [k, v] of Object.entries(checks)) console.log(`${v ? 'MET   ' : 'MISSED'} ${k}`);
    const file = path.join(__dirname, 'results.json');
    let results: Record<string, unknown> = {};
    try {
      results = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      results = {};
    }
    results.scale = {
      at: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      durationS: Number(process.env.BENCH_DURATION ?? 10),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
      factor: FACTOR,
      fullSizes: SCALE_FULL,
      grown,
      rowsBefore: before.counts,
      rowsAfter: after.counts,
      scenarios: rows,
      ledger: after.verify,
      peakRssBytes: after.peakRss,
      checks,
    };
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log('wrote bench/results.json (scale)');
  } finally {
    app.proc.kill('SIGTERM');
  }
}
