// npm run bench — throughput and latency of the test-bed emulator against a bare fastify baseline.
// Starts both servers as child processes (so autocannon does not share their event loop), gets real
// tokens through the OAuth endpoints, then measures with autocannon: baseline, balance inquiry,
// transaction list, withdrawal, and the KFTC call mix (68% balance, 21% withdrawal, 6% transactions,
// 5% other), then the portal pages (BENCH_PORTAL=0 skips them). Every request carries a unique bank_tran_id.
// Prints a table, checks the ledger for drift and every target (naming the ones missed), and writes
// bench/results.json (the portal targets in its `portal` section). Options: BENCH_DURATION (s, default 10),
// BENCH_CONNECTIONS (default 64).
//
// Why 64 connections (for the baseline too): autocannon is a closed loop (each connection sends its next
// request when the answer arrives), so by Little's law it can never measure more than connections ÷ mean
// latency. The emulator answers a write only after its batch commits (a few ms), so at 16 connections the
// load generator, not the server, set the ceiling (16 ÷ 5 ms = 3,200/s for the mix, whatever the server
// could do). 64 connections keep the server saturated while the mix's p99 stays well under its 50 ms bound,
// which the targets check; the baseline runs with the same 64.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_SANDBOX, DEMO_PEOPLE } from '../src/testbed/users/demo-fixtures';
import { DEMO_APPLICATION_IDS } from '../seeds/02_applications';
import { APP_NODE_FLAGS, MALLOC_ENV, soak, watchRss } from './soak';
import { browserHeaders, PORTAL, portalChecks } from './portal-targets';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const HONG = DEMO_PEOPLE.hong!;

export interface Child {
  proc: ChildProcess;
  port: number;
}

export function start(
  mode: 'baseline' | 'baseline-logger' | 'baseline-hooks' | 'baseline-answer' | 'app',
  script = 'server.ts',
): Promise<Child> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the app server there (open it in Chrome DevTools).
    const prof =
      mode === 'app' && process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : [];
    // The app server gets the V8 flags `npm start` gives production (bench/soak.ts APP_NODE_FLAGS), and
    // BENCH_APP_NODE_FLAGS="--flag …" on top (e.g. to compare heap settings).
    const flags =
      mode === 'app' ? [...APP_NODE_FLAGS, ...(process.env.BENCH_APP_NODE_FLAGS ?? '').split(' ').filter(Boolean)] : [];
    const proc = fork(path.join(__dirname, script), [mode], {
      execArgv: ['--import', 'tsx', ...prof, ...flags],
      env: mode === 'app' ? { ...MALLOC_ENV, ...process.env } : process.env,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`${mode} server exited (${code}) before it was ready`)));
  });
}

function ask(child: Child, cmd: 'verify' | 'cpu' = 'verify'): Promise<Record<string, any>> {
  return new Promise((resolve) => {
    child.proc.once('message', (m) => resolve(m as Record<string, unknown>));
    child.proc.send({ cmd });
  });
}

async function cpuMicros(child: Child): Promise<number> {
  const { cpu } = await ask(child, 'cpu');
  return cpu.user + cpu.system;
}

let counter = 0;
function bankTranId(): string {
  counter += 1;
  return `${DEMO_SANDBOX.clientUseCode}U${counter.toString(36).toUpperCase().padStart(9, '0')}`;
}
function tranDtime(): string {
  return new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

async function json(url: string, init?: RequestInit): Promise<Record<string, any>> {
  const res = await fetch(url, init);
  return (await res.json()) as Record<string, any>;
}

export async function tokens(base: string) {
  const form = (f: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(f).toString(),
  });
  const creds = { client_id: DEMO_SANDBOX.clientId, client_secret: DEMO_SANDBOX.clientSecret };
  const oob = await json(`${base}/oauth/2.0/token`, form({ ...creds, scope: 'oob', grant_type: 'client_credentials' }));
  const code = await json(
    `${base}/testbed/sandbox/authorize`,
    form({
      ...creds,
      user_seq_no: HONG.userSeqNo,
      scope: 'login inquiry transfer',
      redirect_uri: DEMO_SANDBOX.callbackUrl,
    }),
  );
  const user = await json(
    `${base}/oauth/2.0/token`,
    form({ ...creds, code: code.code, redirect_uri: DEMO_SANDBOX.callbackUrl, grant_type: 'authorization_code' }),
  );
  if (!oob.access_token || !user.access_token)
    throw new Error(`token setup failed: ${JSON.stringify({ oob, code, user })}`);
  const list = await json(`${base}/v2.0/account/list?user_seq_no=${HONG.userSeqNo}&include_cancel_yn=N&sort_order=A`, {
    headers: { authorization: `Bearer ${user.access_token}` },
  });
  // The richest registered account (097 1101230000678, 3,000,000 KRW) carries the withdrawals.
  let fin = '';
  let best = -1;
  for (const a of list.res_list as { fintech_use_num: string }[]) {
    const b = await json(
      `${base}/v2.0/account/balance/fin_num?bank_tran_id=${bankTranId()}&fintech_use_num=${a.fintech_use_num}&tran_dtime=${tranDtime()}`,
      { headers: { authorization: `Bearer ${user.access_token}` } },
    );
    if (Number(b.balance_amt) > best) {
      best = Number(b.balance_amt);
      fin = a.fintech_use_num;
    }
  }
  return { oob: oob.access_token as string, user: user.access_token as string, fin };
}

type Kind = 'balance' | 'transactions' | 'withdraw' | 'other';

function requestFor(
  kind: Kind,
  t: { oob: string; user: string; fin: string },
  otherIndex: number,
): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const user = { authorization: `Bearer ${t.user}` };
  switch (kind) {
    case 'balance':
      return {
        method: 'GET',
        path: `/v2.0/account/balance/fin_num?bank_tran_id=${bankTranId()}&fintech_use_num=${t.fin}&tran_dtime=${tranDtime()}`,
        headers: user,
      };
    case 'transactions':
      return {
        method: 'GET',
        path: `/v2.0/account/transaction_list/fin_num?bank_tran_id=${bankTranId()}&fintech_use_num=${t.fin}&inquiry_type=A&inquiry_base=D&from_date=20200101&to_date=20991231&sort_order=D&tran_dtime=${tranDtime()}`,
        headers: user,
      };
    case 'withdraw':
      return {
        method: 'POST',
        path: '/v2.0/transfer/withdraw/fin_num',
        headers: { ...user, 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify({
          bank_tran_id: bankTranId(),
          cntr_account_type: 'N',
          cntr_account_num: DEMO_SANDBOX.contractAccounts.withdrawCollecting.accountNum,
          dps_print_content: '벤치마크',
          fintech_use_num: t.fin,
          wd_print_content: '벤치마크',
          tran_amt: '1',
          tran_dtime: tranDtime(),
          req_client_name: '홍길동',
          req_client_fintech_use_num: t.fin,
          req_client_num: 'BENCH1',
          transfer_purpose: 'TR',
        }),
      };
    default: {
      // "Other": real-name inquiry, bank status and the user's remaining limit, in turn.
      const i = otherIndex % 3;
      if (i === 0)
        return {
          method: 'POST',
          path: '/v2.0/inquiry/real_name',
          headers: { authorization: `Bearer ${t.oob}`, 'content-type': 'application/json; charset=UTF-8' },
          body: JSON.stringify({
            bank_tran_id: bankTranId(),
            bank_code_std: '097',
            account_num: HONG.accounts[0]!.accountNum,
            account_holder_info_type: ' ',
            account_holder_info: '880101',
            tran_dtime: tranDtime(),
          }),
        };
      if (i === 1) return { method: 'GET', path: '/v2.0/bank/status', headers: { authorization: `Bearer ${t.oob}` } };
      return { method: 'GET', path: `/v2.0/transfer/user_remain_amt?user_seq_no=${HONG.userSeqNo}`, headers: user };
    }
  }
}

export interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  notOk: number;
  errors: number;
  cpuMsPerRequest: number;
  ratio?: number;
}

export async function measure(
  name: string,
  server: Child,
  pick: (() => Kind) | null,
  t?: { oob: string; user: string; fin: string },
  fixedPath = '/',
  fixedHeaders: Record<string, string> = {},
): Promise<Result> {
  const port = server.port;
  rssWatch?.label(name);
  const cpuBefore = await cpuMicros(server);
  let notOk = 0;
  let other = 0;
  const url = `http://127.0.0.1:${port}`;
  const opts: autocannon.Options = {
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      pick && t
        ? ({
            setupRequest: (req: Record<string, unknown>) => Object.assign(req, requestFor(pick(), t, other++)),
            onResponse: (_status: number, body: string) => {
              if (!body.includes('"rsp_code":"A0000"')) notOk++;
            },
          } as never)
        : { method: 'GET', path: fixedPath, headers: fixedHeaders },
    ],
  };
  const r = await autocannon(opts);
  const cpu = (await cpuMicros(server)) - cpuBefore;
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    notOk,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuMsPerRequest: cpu / 1000 / Math.max(1, r.requests.total),
  };
}

/** Signs in through the real form (CSRF token and cookie from GET /login); returns the session cookie. */
export async function signIn(base: string, email: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const first = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('no CSRF token on /login');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
    body: new URLSearchParams({ email, password: 'demo-password-1', _csrf: token }).toString(),
  });
  const session = (res.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('obp_sid='));
  if (res.status !== 303 || !session) throw new Error(`sign-in failed: ${res.status}`);
  return session;
}

let rssWatch: ReturnType<typeof watchRss> | null = null; // the app's RSS by scenario (bench/soak.ts)

export function mixPicker(): () => Kind {
  // 68% balance, 21% withdrawal, 6% transaction list, 5% other — deterministic, evenly interleaved.
  const deck: Kind[] = [
    ...Array(68).fill('balance'),
    ...Array(21).fill('withdraw'),
    ...Array(6).fill('transactions'),
    ...Array(5).fill('other'),
  ];
  let seed = 7;
  for (let i = deck.length - 1; i > 0; i--) {
    seed = (seed * 16807) % 2147483647;
    const j = seed % (i + 1);
    [deck[i], deck[j]] = [deck[j]!, deck[i]!];
  }
  let n = 0;
  return () => deck[n++ % deck.length]!;
}

async function main() {
  // BENCH_SCALE=1: the scale bench instead (bench/scale.ts: grows the database, compares with the demo data).
  if (process.env.BENCH_SCALE === '1') return (await import('./scale')).runScale();
  console.log(
    `bench: ${DURATION}s per run, ${CONNECTIONS} connections, node ${process.version}, ${require('node:os').cpus().length} CPUs`,
  );
  const baseline = await start('baseline');
  const app = await start('app');
  rssWatch = watchRss(app.proc.pid!);
  try {
    const t = await tokens(`http://127.0.0.1:${app.port}`);
    // Warm up (JIT, prepared paths, SQLite page cache).
    await autocannon({ url: `http://127.0.0.1:${baseline.port}`, connections: CONNECTIONS, duration: 2 });
    await measure('warm-up', app, mixPicker(), t);
    const results: Result[] = [];
    // BENCH_ONLY=balance,withdraw (while iterating): run only those app scenarios; the others report 0.
    const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
    const skipped = (name: string): Result => ({
      name,
      rps: 0,
      p50: 0,
      p99: 0,
      requests: 0,
      notOk: 0,
      errors: 0,
      cpuMsPerRequest: 0,
    });
    const run = (key: string, name: string, pick: () => Kind) =>
      only && !only.has(key) ? Promise.resolve(skipped(name)) : measure(name, app, pick, t);
    results.push(await measure('baseline (fastify hello world)', baseline, null));
    results.push(await run('balance', 'balance inquiry', () => 'balance'));
    results.push(await run('transactions', 'transaction list', () => 'transactions'));
    results.push(await run('withdraw', 'withdrawal', () => 'withdraw'));
    results.push(await run('mix', 'mix 68/21/6/5', mixPicker()));
    // Portal pages (BENCH_PORTAL=0 skips them): a signed-in reviewer's queue, an application page and the API
    // reference, the health check with and without a session cookie, and a static file, in the same run.
    const portal: Result[] = [];
    if (process.env.BENCH_PORTAL !== '0') {
      const cookie = await signIn(`http://127.0.0.1:${app.port}`, 'reviewer@portal.example');
      const signedIn = { cookie, ...browserHeaders() };
      // The stylesheet as production pages link it: by its content-hashed name (immutable, from memory).
      const page = await (await fetch(`http://127.0.0.1:${app.port}/login`)).text();
      const stylesheet = /<link rel="stylesheet" href="(\/public\/app\.[0-9a-f]+\.css)">/.exec(page)?.[1];
      const scenarios: [string, string, Record<string, string>][] = [
        [PORTAL.staff, '/staff', signedIn],
        [PORTAL.application, `/staff/applications/${DEMO_APPLICATION_IDS.demoFintech}`, signedIn],
        [PORTAL.docs, '/docs', signedIn],
        ['portal: /healthz (with cookie)', '/healthz', signedIn],
        [PORTAL.healthz, '/healthz', {}],
        // Static files as a browser asks for them (its Accept-Encoding: the hashed file goes brotli-compressed).
        ['portal: /public/app.css (plain name)', '/public/app.css', browserHeaders()],
        ...(stylesheet
          ? [[PORTAL.hashedCss, stylesheet, browserHeaders()] as [string, string, Record<string, string>]]
          : []),
      ];
      for (const [name, url, headers] of scenarios) {
        await autocannon({ url: `http://127.0.0.1:${app.port}${url}`, connections: CONNECTIONS, duration: 1, headers });
        portal.push(await measure(name, app, null, undefined, url, headers));
      }
    }
    results.push(...portal);
    const base = results[0]!.rps;
    for (const r of results) r.ratio = r.rps / base;
    // BENCH_LADDER=1: where the balance inquiry's distance from the baseline comes from, measured in this
    // run against this baseline: the framework set-up, the hooks and answer size every emulator call has,
    // the emulator's cheapest real answer (the KFTC 404: hooks + one request-log row), then the balance.
    const ladder: Result[] = [];
    if (process.env.BENCH_LADDER) {
      for (const [mode, name] of [
        ['baseline-logger', '+ logger and request ids'],
        ['baseline-hooks', '+ the emulator hooks'],
        ['baseline-answer', '+ a KFTC balance-sized answer'],
      ] as const) {
        const child = await start(mode);
        try {
          await autocannon({ url: `http://127.0.0.1:${child.port}`, connections: CONNECTIONS, duration: 2 });
          ladder.push(await measure(name, child, null));
        } finally {
          child.proc.kill('SIGTERM');
        }
      }
      await autocannon({ url: `http://127.0.0.1:${app.port}/v2.0/nothing`, connections: CONNECTIONS, duration: 2 });
      const notFound = await measure('app: KFTC 404 (no token, no lookup)', app, null, undefined, '/v2.0/nothing');
      ladder.push(notFound, { ...results[1]!, name: 'app: balance inquiry (above)' });
      for (const r of ladder) r.ratio = r.rps / base;
    }
    // BENCH_SOAK=<seconds>: the mix for that long; RSS after the first minute against the RSS at the end.
    const soaked = process.env.BENCH_SOAK
      ? await soak(Number(process.env.BENCH_SOAK), app.proc.pid!, () => measure('soak', app, mixPicker(), t))
      : null;
    rssWatch.stop();
    const check = await ask(app);
    const baseMem = await ask(baseline);
    const verify = check.verify as {
      ok: boolean;
      totalDrift: number;
      mismatches: unknown[];
      unbalancedTransactions: unknown[];
    };
    const row = (c: string[]) => console.log(c.map((x, i) => (i === 0 ? x.padEnd(32) : x.padStart(11))).join(' '));
    console.log('');
    row([
      'scenario',
      'req/s',
      'p50 ms',
      'p99 ms',
      'vs base',
      'requests',
      'not A0000',
      'errors',
      'CPU ms/req',
      'req/s/core',
    ]);
    for (const r of results)
      row([
        r.name,
        r.rps.toFixed(0),
        String(r.p50),
        String(r.p99),
        `${(r.ratio! * 100).toFixed(1)}%`,
        String(r.requests),
        String(r.notOk),
        String(r.errors),
        r.cpuMsPerRequest.toFixed(3),
        (1000 / r.cpuMsPerRequest).toFixed(0),
      ]);
    console.log(
      '(CPU ms/req: server process CPU time per request, SQLite worker threads included; req/s/core = 1000 / that,',
    );
    console.log(
      ' the CPU-bound ceiling on one free core — useful when other work shares the machine. Load average now: ' +
        require('node:os')
          .loadavg()
          .map((x: number) => x.toFixed(1))
          .join(' ') +
        ')',
    );
    if (ladder.length) {
      console.log('');
      console.log('ladder (BENCH_LADDER=1): from the baseline to the balance inquiry, same run, same baseline');
      row(['step', 'req/s', 'p50 ms', 'p99 ms', 'vs base', 'requests', '', 'errors', 'CPU ms/req', 'req/s/core']);
      for (const r of [results[0]!, ...ladder])
        row([
          r.name,
          r.rps.toFixed(0),
          String(r.p50),
          String(r.p99),
          `${(r.ratio! * 100).toFixed(1)}%`,
          String(r.requests),
          '',
          String(r.errors),
          r.cpuMsPerRequest.toFixed(3),
          (1000 / r.cpuMsPerRequest).toFixed(0),
        ]);
    }
    console.log('');
    console.log(
      `peak RSS: app ${(Number(check.peakRss) / 2 ** 20).toFixed(1)} MiB, baseline ${(Number(baseMem.peakRss) / 2 ** 20).toFixed(1)} MiB`,
    );
    const mem = check.memory as Record<string, number>;
    console.log(
      `app memory at the end (MiB): ${Object.entries(mem)
        .map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(1)}`)
        .join(', ')}`,
    );
    console.log(
      `peak RSS by scenario (MiB): ${rssWatch
        .peaks()
        .map((p) => `${p.label} ${p.rssMiB.toFixed(0)}`)
        .join(', ')}`,
    );
    if (soaked)
      console.log(
        `soak ${soaked.seconds} s: RSS after the first minute ${soaked.rssAfterFirstMinuteMiB.toFixed(1)} MiB, at the end ${soaked.rssAtEndMiB.toFixed(1)} MiB (${soaked.growthPct.toFixed(1)} %; medians of the second and the last minute's slices)`,
      );
    console.log(
      `ledger after the run: ${verify.ok ? 'OK' : 'FAILED'} — total drift ${verify.totalDrift}, ${verify.mismatches.length} cached-balance mismatches, ${verify.unbalancedTransactions.length} unbalanced transactions; ${check.withdrawals} settled withdrawals, ${check.postings} postings`,
    );
    const balance = results[1]!,
      withdraw = results[3]!,
      mix = results[4]!;
    const targets = {
      balance_at_least_40pct_of_baseline: balance.ratio! >= 0.4,
      withdrawals_at_least_2000_per_s_zero_drift: withdraw.rps >= 2000 && verify.ok && verify.totalDrift === 0,
      mix_at_least_3000_per_s_p99_under_50ms: mix.rps >= 3000 && mix.p99 < 50,
      peak_rss_at_most_300_mib: Number(check.peakRss) <= 300 * 2 ** 20,
      ...(soaked ? { soak_rss_at_most_10pct_above_first_minute: soaked.withinTenPercent } : {}),
    };
    for (const [k, v] of Object.entries(targets)) console.log(`${v ? 'MET   ' : 'MISSED'} ${k}`);
    // Issue 16's portal targets, as a share of the same run's baseline, each with what it cost.
    const portalTargets = portal.length ? portalChecks(portal) : [];
    if (portalTargets.length) {
      console.log('');
      console.log('portal targets (issue 16), share of the baseline in this run:');
      for (const c of portalTargets) {
        const got = c.measured
          ? `${(c.measured.share * 100).toFixed(1)} % (${c.measured.rps.toFixed(0)} req/s, ${c.measured.cpuMsPerRequest.toFixed(3)} CPU ms/req)`
          : 'not measured';
        console.log(`${c.pass ? 'MET   ' : 'MISSED'} ${c.name}: ${got}, target ≥ ${c.minShare * 100} %`);
      }
      for (const c of portalTargets) Object.assign(targets, { [c.key]: c.pass });
    }
    const missed = Object.entries(targets)
      .filter(([, v]) => !v)
      .map(([k]) => k);
    console.log(missed.length ? `targets missed: ${missed.join(', ')}` : 'every target met');
    const out = {
      at: new Date().toISOString(),
      node: process.version,
      cpus: require('node:os').cpus().length,
      loadAverage: require('node:os').loadavg(),
      durationS: DURATION,
      connections: CONNECTIONS,
      results,
      ...(ladder.length ? { ladder } : {}),
      peakRssBytes: { app: check.peakRss, baseline: baseMem.peakRss },
      rssPeaksMiB: rssWatch.peaks(),
      ...(soaked ? { soak: soaked } : {}),
      ledger: check,
      targets,
      ...(portalTargets.length
        ? {
            portal: {
              baselineRps: base,
              targets: portalTargets,
              missed: portalTargets.filter((c) => !c.pass).map((c) => c.key),
            },
          }
        : {}),
    };
    fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log('wrote bench/results.json');
  } finally {
    baseline.proc.kill('SIGTERM');
    app.proc.kill('SIGTERM');
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
