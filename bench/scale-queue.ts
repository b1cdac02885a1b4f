// The staff queue's cost per view, demo data against grown data, in one process without sockets: `npx tsx
// bench/scale-queue.ts`. Builds the production app on a new SQLite file with the demo data, signs the
// reviewer in, views every queue filter of bench/scale.ts BENCH_VIEWS times (default 300, one after another
// through inject()), grows the applications and audit events (bench/scale-data.ts, 20,000 applications ×
// BENCH_SCALE_FACTOR; the ledger and the request log stay small, the queue reads neither) and views them
// again. Prints CPU ms per view (process CPU, SQLite's threads included), statements and rows per view for
// each filter, and the grown/demo ratio. BENCH_CPU_PROF=<file.cpuprofile>: a V8 CPU profile of the grown
// views only (growth and start-up excluded).
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import { productionDemoApp } from './child-server';
import { growDatabase, scaleSizes } from './scale-data';

const VIEWS = Number(process.env.BENCH_VIEWS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FACTOR = Number(process.env.BENCH_SCALE_FACTOR ?? 1);
const FILTERS = [
  '',
  '?stage=suitability',
  '?stage=testing',
  ...['submitted', 'in_review', 'changes_requested', 'in_progress', 'rejected', 'withdrawn'].map((s) => `?status=${s}`),
];

async function main() {
  const { app, db, dir } = await productionDemoApp('ob-bench-queue-');
  await app.ready();
  try {
    const form = await app.inject({ url: '/login' });
    const first = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
      payload: new URLSearchParams({
        email: 'reviewer@portal.example',
        password: 'demo-password-1',
        _csrf: token,
      }).toString(),
    });
    const sid = login.cookies.find((c) => c.name === 'obp_sid');
    if (login.statusCode !== 303 || !sid) throw new Error(`sign-in failed: ${login.statusCode}`);
    const headers = { cookie: `obp_sid=${sid.value}` };

    const view = async (url: string) => {
      const res = await app.inject({ url, headers });
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
      return res.body;
    };
    /** CPU ms per view (the median of ROUNDS rounds), statements and table rows of one view, for each filter. */
    const round = async () => {
      for (const f of FILTERS) for (let i = 0; i < 100; i++) await view(`/staff${f}`); // warm
      const rounds = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await oneRound());
      const out = new Map<string, { cpuMs: number; statements: number; rows: number }>();
      for (const name of rounds[0]!.keys()) {
        const all = rounds.map((r) => r.get(name)!);
        const cpu = all.map((x) => x.cpuMs).sort((a, b) => a - b);
        out.set(name, { ...all[0]!, cpuMs: cpu[Math.floor(cpu.length / 2)]! });
      }
      return out;
    };
    const oneRound = async () => {
      const out = new Map<string, { cpuMs: number; statements: number; rows: number }>();
      for (const f of FILTERS) {
        const url = `/staff${f}`;
        let statements = 0;
        const count = () => {
          statements++;
        };
        db.on('query', count);
        const body = await view(url);
        db.off('query', count);
        const rows = (body.match(/<tr class="/g) ?? []).length;
        const before = process.cpuUsage();
        for (let i = 0; i < VIEWS; i++) await view(url);
        const used = process.cpuUsage(before);
        out.set(f || '(no filter)', { cpuMs: (used.user + used.system) / 1000 / VIEWS, statements, rows });
      }
      return out;
    };

    const small = await round();
    const t0 = performance.now();
    const sizes = scaleSizes(FACTOR);
    const history = await db('bank_accounts').whereNot({ purpose: 'system' }).first('id');
    await growDatabase(
      db,
      { ...sizes, postings: 400, requestLog: 1000 },
      { historyAccountId: (history as { id: string }).id },
    );
    const growMs = performance.now() - t0;

    const session = process.env.BENCH_CPU_PROF ? new inspector.Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const large = await round();
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(process.env.BENCH_CPU_PROF!, JSON.stringify(profile));
      session.disconnect();
    }

    console.log(
      `staff queue in-process: ${VIEWS} views per filter and round, median of ${ROUNDS} rounds; grown to ${sizes.applications} applications in ${(growMs / 1000).toFixed(1)} s; node ${process.version}`,
    );
    const line = (c: string[]) => console.log(c.map((x, i) => (i === 0 ? x.padEnd(28) : x.padStart(14))).join(' '));
    line(['filter', 'demo CPU ms', 'demo rows/stmt', 'grown CPU ms', 'grown rows/stmt', 'grown/demo']);
    for (const [name, s] of small) {
      const l = large.get(name)!;
      line([
        name,
        s.cpuMs.toFixed(3),
        `${s.rows}/${s.statements}`,
        l.cpuMs.toFixed(3),
        `${l.rows}/${l.statements}`,
        (l.cpuMs / s.cpuMs).toFixed(2),
      ]);
    }
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await app.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
