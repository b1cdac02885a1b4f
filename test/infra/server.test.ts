// The real `npm start` process (node --import tsx src/server.ts): it serves, tells the user where and with which demo
// accounts, shuts down cleanly on SIGTERM, and refuses a weak production configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import http from 'node:http';
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo-accounts';
import { projectRoot } from '../../src/paths';
// START_ARGS is what package.json's start script runs: the tsx loader inside the one node process, not
// the tsx CLI (which relays signals to a child it starts and gives up on a loaded machine after 30 ms).
import {
  START_ARGS,
  START_LIMIT_MS,
  childDatabase,
  childSecrets,
  freePort,
  httpUserToken,
  ledgerOf,
  startServing,
} from '../helpers/child-server';
import { DEMO_SANDBOX, HONG, bankTranId } from '../helpers/testbed';
import { tranDtime, withdrawBody } from '../helpers/testbed-services';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Started {
  const base = { ...process.env };
  // tap's loaders and the suite's database settings are not the server's business.
  for (const k of [
    'NODE_OPTIONS',
    'DATABASE_URL',
    'SESSION_SECRET',
    'JWT_SECRET',
    'BASE_URL',
    'NODE_ENV',
    'PORT',
    'HOST',
    'DEMO_DATA',
  ])
    delete base[k];
  // Its own process group, so that a teardown kill reaches anything it started.
  const child = spawn(process.execPath, START_ARGS, {
    cwd: projectRoot,
    env: { ...base, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
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
  void s.exited.then(() => {
    done = true;
  });
  while (Date.now() < until && !done) {
    if (pattern.test(s.output())) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pattern.test(s.output());
}

t.test("npm start's server prints the URL and demo accounts", { timeout: START_LIMIT_MS + 15_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-server-'));
  const port = await freePort();
  const s = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${path.join(dir, 'portal.sqlite')}`,
  });
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

  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  t.equal(pkg.scripts.start, `node ${START_ARGS.join(' ')}`, 'this is the command npm start runs');
  s.child.kill('SIGTERM');
  t.equal(await s.exited, 0, 'SIGTERM shuts it down cleanly');
});

t.test(
  'NODE_ENV=production refuses to start without a strong SESSION_SECRET (the real process)',
  { timeout: START_LIMIT_MS },
  async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-server-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const s = startServer({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${path.join(dir, 'portal.sqlite')}`,
      SESSION_SECRET: 'changeme',
    });
    t.teardown(() => killAll(s));
    t.equal(await s.exited, 1, 'the process exits with status 1');
    t.match(s.output(), /Configuration error: SESSION_SECRET/, 'saying which setting is wrong');
    t.notOk(fs.existsSync(path.join(dir, 'portal.sqlite')), 'before touching the database');
  },
);

// A request the server has begun when SIGTERM arrives is answered before the process exits (close-with-grace
// → app.close(), which stops listening and waits for requests in flight), and the background writers (the
// request log's batch, the API call counters) are flushed before the database closes.
t.test(
  'SIGTERM answers the withdrawals in flight, flushes the background writers and exits 0',
  { timeout: START_LIMIT_MS + 30_000 },
  async (t) => {
    const { shared, databaseUrl } = await childDatabase();
    t.teardown(() => shared.dispose());
    const s = await startServing(databaseUrl, childSecrets());
    t.teardown(() => s.killAll());
    const token = await httpUserToken(s.base, HONG.userSeqNo);
    const db = shared.open();
    const main = HONG.accounts[0]!.accountNum;
    const fin = await db('testbed_fintech_accounts as f')
      .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
      .where({ 'a.account_num': main, 'f.organization_id': DEMO_SANDBOX.organizationId })
      .first('f.fintech_use_num');
    const balanceOf = async () =>
      Number(
        (await db('bank_accounts')
          .where({ world: DEMO_SANDBOX.organizationId, bank_code: '097', account_num: main })
          .first('balance'))!.balance,
      );
    const before = await balanceOf();

    // Every connection is opened (and answered once) first, so the server holds each one before the signal.
    const N = 16;
    const agent = new http.Agent({ keepAlive: true, maxSockets: N });
    t.teardown(() => agent.destroy());
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${s.base}${path}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          })
          .on('error', reject);
      });
    t.same(
      await Promise.all(Array.from({ length: N }, () => get('/healthz'))),
      Array(N).fill(200),
      'the connections are open',
    );

    // Each withdrawal's headers and most of its body go out; the last bytes only after the signal.
    const sent = Array.from({ length: N }, (_, i) =>
      withdrawBody(fin.fintech_use_num, {
        bank_tran_id: bankTranId(),
        tran_amt: String(1000 + i),
        tran_dtime: tranDtime(),
      }),
    );
    const pending = sent.map((body) => {
      const payload = Buffer.from(JSON.stringify(body));
      const req = http.request(`${s.base}/v2.0/transfer/withdraw/fin_num`, {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json; charset=UTF-8',
          'content-length': payload.length,
        },
      });
      const answer = new Promise<Record<string, string>>((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => {
            try {
              resolve(JSON.parse(text) as Record<string, string>);
            } catch (err) {
              reject(err);
            }
          });
        });
        req.on('error', reject);
      });
      req.write(payload.subarray(0, payload.length - 8));
      return { req, rest: payload.subarray(payload.length - 8), answer };
    });
    await new Promise((r) => setTimeout(r, 500)); // the server reads the headers: the requests are in flight
    const signalled = Date.now();
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300)); // it is closing now, waiting for them
    const refused = await fetch(`${s.base}/healthz`).then(
      () => false,
      () => true,
    );
    t.ok(refused, 'it no longer accepts connections');
    for (const p of pending) p.req.end(p.rest);

    const answers = await Promise.all(pending.map((p) => p.answer));
    t.same(
      answers.map((a) => a.rsp_code),
      Array(N).fill('A0000'),
      'every withdrawal in flight is answered A0000',
    );
    const { code, signal } = await s.exited;
    t.same({ code, signal }, { code: 0, signal: null }, 'and the process exits 0');
    t.ok(Date.now() - signalled < 10_000, 'well within the 10 s grace period');
    t.notMatch(s.output(), /killed by timeout/, 'never ended by the grace timeout');

    const total = sent.reduce((sum, b) => sum + Number(b.tran_amt), 0);
    t.equal(before - (await balanceOf()), total, 'exactly the answered withdrawals left the account');
    const ids = sent.map((b) => b.bank_tran_id as string);
    const logged = await db('testbed_request_log').whereIn('bank_tran_id', ids).select('bank_tran_id', 'rsp_code');
    t.equal(logged.length, N, 'the request log batch was written before the database closed: one row per withdrawal');
    t.ok(
      logged.every((r: { rsp_code: string | null }) => r.rsp_code === 'A0000' || r.rsp_code === null),
      'with their outcome',
    );
    const counted = await db('testbed_api_counts')
      .where({ organization_id: DEMO_SANDBOX.organizationId, api: 'withdraw' })
      .sum({ n: 'cnt' })
      .first();
    t.equal(Number(counted?.n), N, 'and the API call counters were flushed');
    const ledger = await ledgerOf(db).verifyBalances();
    t.same(
      { ok: ledger.ok, totalDrift: ledger.totalDrift },
      { ok: true, totalDrift: 0 },
      'cached balances equal the postings',
    );
  },
);
