// The real server (`npm start`: node --import tsx src/server.ts) as a child process on a database the test
// owns, restartable on the same database, plus HTTP clients for it: test-bed tokens, KFTC calls and a
// cookie + CSRF browser over fetch. Used by tests that signal or kill the process (SIGTERM, SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import type { Knex } from 'knex';
import { systemClock } from '../../src/clock';
import { randomId } from '../../src/db/ids';
import { createLedgerService } from '../../src/testbed/ledger/service';
import { projectRoot } from '../../src/paths';
import { createSharedTestDb, type SharedTestDb } from './db';
import { DEMO_SANDBOX } from './testbed';

export const START_ARGS = ['--heap-growing-percent=50', '--import', 'tsx', 'src/server.ts'];
/** About 3 s on an idle machine; generous because CI machines are shared. */
export const START_LIMIT_MS = 45_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A database a child process can open through DATABASE_URL, and the test through `shared.open()`: a
 * temporary SQLite file, or, when the suite runs on PostgreSQL, a fresh schema (the child selects it with
 * the connection's `options=-c search_path=…`, as the in-process helpers do with knex's searchPath).
 */
export async function childDatabase(): Promise<{ shared: SharedTestDb; databaseUrl: string }> {
  const shared = await createSharedTestDb();
  if (shared.kind === 'sqlite') return { shared, databaseUrl: shared.url };
  const u = new URL(shared.url);
  u.searchParams.set('options', `-c search_path=${shared.schema}`);
  return { shared, databaseUrl: u.toString() };
}

/** Secrets every start on one database shares, so sessions and test-bed tokens survive a restart. */
export function childSecrets(): { SESSION_SECRET: string; JWT_SECRET: string } {
  return { SESSION_SECRET: crypto.randomBytes(32).toString('hex'), JWT_SECRET: crypto.randomBytes(32).toString('hex') };
}

export interface ChildServer {
  child: ChildProcess;
  port: number;
  base: string;
  output(): string;
  /** Resolves to the exit code (null when ended by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process group with SIGKILL if still running (teardown). */
  killAll(): void;
}

function startChild(env: Record<string, string>): ChildServer {
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
  const port = Number(env.PORT);
  // Its own process group, so that a teardown kill reaches anything it started.
  const child = spawn(process.execPath, START_ARGS, {
    cwd: projectRoot,
    env: { ...base, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    killAll() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      child.stdout!.destroy();
      child.stderr!.destroy();
    },
  };
}

/** Starts the server on `databaseUrl` and waits until /healthz answers; throws with its output otherwise. */
export async function startServing(databaseUrl: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const s = startChild({ PORT: String(await freePort()), DATABASE_URL: databaseUrl, ...env });
  let gone = false;
  void s.exited.then(() => {
    gone = true;
  });
  const until = Date.now() + START_LIMIT_MS;
  while (Date.now() < until && !gone) {
    try {
      const res = await fetch(`${s.base}/healthz`);
      if (res.status === 200) return s;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  s.killAll();
  throw new Error(`the server did not start on ${s.base}:\n${s.output()}`);
}

/** POSTs JSON (or a form) and parses the JSON answer; throws on a network error. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, any>;
}

async function postForm(url: string, fields: Record<string, string>): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    body: new URLSearchParams(fields).toString(),
  });
  return (await res.json()) as Record<string, any>;
}

/** An institution token (client_credentials, scope oob) from the demo sandbox over HTTP. */
export async function httpOobToken(base: string): Promise<string> {
  const body = await postForm(`${base}/oauth/2.0/token`, {
    client_id: DEMO_SANDBOX.clientId,
    client_secret: DEMO_SANDBOX.clientSecret,
    scope: 'oob',
    grant_type: 'client_credentials',
  });
  if (typeof body.access_token !== 'string') throw new Error(`client_credentials failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A user token (login inquiry transfer) for a demo person over HTTP, through the sandbox shortcut. */
export async function httpUserToken(base: string, userSeqNo: string): Promise<string> {
  const common = {
    client_id: DEMO_SANDBOX.clientId,
    client_secret: DEMO_SANDBOX.clientSecret,
    redirect_uri: DEMO_SANDBOX.callbackUrl,
  };
  const code = await postForm(`${base}/testbed/sandbox/authorize`, {
    ...common,
    user_seq_no: userSeqNo,
    scope: 'login inquiry transfer',
  });
  if (typeof code.code !== 'string') throw new Error(`sandbox authorize failed: ${JSON.stringify(code)}`);
  const body = await postForm(`${base}/oauth/2.0/token`, {
    ...common,
    code: code.code,
    grant_type: 'authorization_code',
  });
  if (typeof body.access_token !== 'string') throw new Error(`authorization_code failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A cookie jar + CSRF-aware browser stand-in over fetch (the in-process one is test/helpers/build.ts). */
export class HttpBrowser {
  cookies = new Map<string, string>();
  constructor(public base: string) {}

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=(0|-)/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, body: await res.text() };
  }

  async csrfToken(pagePath: string): Promise<string> {
    const page = await this.get(pagePath);
    const m = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!m) throw new Error(`no CSRF token on ${pagePath} (${page.status})`);
    return m[1]!;
  }

  /** Posts a form with the CSRF token of `formPath` (fetched first unless `csrf` is given). */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { formPath?: string; csrf?: string } = {},
  ): Promise<{ status: number; body: string; location: string | null }> {
    const csrf = opts.csrf ?? (await this.csrfToken(opts.formPath ?? path));
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    this.keep(res);
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.post('/login', { email, password }, { formPath: '/login' });
    if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status}`);
  }
}

/** The ledger service over a connection of the test's own (verifyBalances, lookups) on the child's database. */
export function ledgerOf(db: Knex) {
  return createLedgerService({ db, clock: systemClock, ids: randomId });
}
