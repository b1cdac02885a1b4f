// The real `npm start` process (node --import tsx src/server.ts): it serves, tells the user where and with which demo
// accounts, shuts down cleanly on SIGTERM, and refuses a weak production configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo-accounts';
import { projectRoot } from '../../src/paths';

// What package.json's start script runs: the tsx loader inside the one node process, not the tsx CLI
// (which relays signals to a child it starts and gives up on a loaded machine after 30 ms).
const START_ARGS = ['--import', 'tsx', 'src/server.ts'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Started { child: ChildProcess; output: () => string; exited: Promise<number | null> }

function startServer(env: Record<string, string>): Started {
  const base = { ...process.env };
  // tap's loaders and the suite's database settings are not the server's business.
  for (const k of ['NODE_OPTIONS', 'DATABASE_URL', 'SESSION_SECRET', 'JWT_SECRET', 'BASE_URL', 'NODE_ENV', 'PORT', 'HOST', 'DEMO_DATA']) delete base[k];
  // Its own process group, so that a teardown kill reaches anything it started.
  const child = spawn(process.execPath, START_ARGS, { cwd: projectRoot, env: { ...base, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Kills the server and anything it started, if still running (teardown after a failure). */
function killAll(s: Started): void {
  try {
    process.kill(-s.child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  s.child.stdout!.destroy();
  s.child.stderr!.destroy();
}

async function waitFor(s: Started, pattern: RegExp, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  let done = false;
  void s.exited.then(() => { done = true; });
  while (Date.now() < until && !done) {
    if (pattern.test(s.output())) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pattern.test(s.output());
}

// About 3 s on an idle machine; the limits are generous because CI machines are shared.
const START_LIMIT_MS = 45_000;

t.test("npm start's server prints the URL and demo accounts", { timeout: START_LIMIT_MS + 15_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-server-'));
  const port = await freePort();
  const s = startServer({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${path.join(dir, 'portal.sqlite')}` });
  t.teardown(() => {
    killAll(s);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const url = `http://localhost:${port}`;
  const printed = await waitFor(s, new RegExp(`${url}[\\s\\S]*${DEMO_ORGS.samplePay.owner}`), START_LIMIT_MS);
  if (!t.ok(printed, `it prints ${url} and the demo accounts`, { output: s.output() })) return;
  const out = s.output();
  t.match(out, DEMO_PASSWORD, 'with the demo password');
  for (const staff of DEMO_STAFF) t.match(out, staff.email);
  t.match(out, DEMO_ORGS.demoFintech.owner);

  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(health.status, 200, 'and really serves on that port');
  const login = await fetch(`http://127.0.0.1:${port}/login`);
  t.equal(login.status, 200);
  t.match(await login.text(), '<form');

  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } };
  t.equal(pkg.scripts.start, `node ${START_ARGS.join(' ')}`, 'this is the command npm start runs');
  s.child.kill('SIGTERM');
  t.equal(await s.exited, 0, 'SIGTERM shuts it down cleanly');
});

t.test('NODE_ENV=production refuses to start without a strong SESSION_SECRET (the real process)', { timeout: START_LIMIT_MS }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-server-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const s = startServer({ NODE_ENV: 'production', PORT: String(await freePort()), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${path.join(dir, 'portal.sqlite')}`, SESSION_SECRET: 'changeme' });
  t.teardown(() => killAll(s));
  t.equal(await s.exited, 1, 'the process exits with status 1');
  t.match(s.output(), /Configuration error: SESSION_SECRET/, 'saying which setting is wrong');
  t.notOk(fs.existsSync(path.join(dir, 'portal.sqlite')), 'before touching the database');
});
