// npx tsx bench/floor.ts — the framework floor: GET /v2.0/bank/status (token guard only, no per-request
// SQL once the token record is cached) and GET /v2.0/nothing (the KFTC 404), CPU ms per request.
// BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the app server there.
import { fork } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_SANDBOX } from '../src/testbed/users/demo-fixtures';

async function main() {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = fork(path.join(__dirname, 'server.ts'), ['app'], {
    execArgv: ['--import', 'tsx', ...prof],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const cpu = () =>
    new Promise<number>((r) => {
      proc.once('message', (m: any) => r(m.cpu.user + m.cpu.system));
      proc.send({ cmd: 'cpu' });
    });
  const base = `http://127.0.0.1:${port}`;
  const tok = (await (
    await fetch(`${base}/oauth/2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: DEMO_SANDBOX.clientId,
        client_secret: DEMO_SANDBOX.clientSecret,
        scope: 'oob',
        grant_type: 'client_credentials',
      }),
    })
  ).json()) as { access_token: string };
  for (const connections of (process.env.BENCH_CONNECTIONS ?? '1,16').split(',').map(Number)) {
    for (const [name, p] of [
      ['bank/status', '/v2.0/bank/status'],
      ['KFTC 404', '/v2.0/nothing'],
    ]) {
      await autocannon({
        url: base + p,
        connections,
        duration: 2,
        headers: { authorization: `Bearer ${tok.access_token}` },
      });
      const c0 = await cpu();
      const r = await autocannon({
        url: base + p,
        connections,
        duration: Number(process.env.BENCH_DURATION ?? 5),
        headers: { authorization: `Bearer ${tok.access_token}` },
      });
      const c = (await cpu()) - c0;
      console.log(
        `${name.padEnd(12)} x${connections} ${r.requests.average.toFixed(0)} req/s  p99 ${r.latency.p99} ms  CPU ${(c / 1000 / r.requests.total).toFixed(3)} ms/req`,
      );
    }
  }
  proc.kill('SIGTERM');
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
