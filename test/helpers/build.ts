// Builds the real app for a test, on its own in-memory SQLite database (or DATABASE_URL when set to
// PostgreSQL), and drives it with inject(). Sessions and CSRF stay on: helpers sign in like a browser.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import type { Clock } from '../../src/clock';
import { createTestDb } from './db';
import { useCheapPasswordHashesForTests } from '../../src/accounts/password-hashing';
import { sharedSchemaCompilers } from './schema-compilers';

// Every sign-up and sign-in hashes a password: at the production scrypt cost that was a large share of the
// suite's time. Tests hash at a lower cost; what is tested (salted, constant-time, cost read from the hash) is
// the same, and test/accounts/password-hashing.test.ts checks the production cost.
useCheapPasswordHashesForTests();

export interface TestContext {
  teardown(fn: () => unknown): void;
}

export interface BuildTestOptions {
  demo?: boolean;
  clock?: Clock;
  config?: Partial<AppConfig>;
  /** Receives the app's log lines (set config.logLevel too; tests default to silent). */
  logStream?: { write(line: string): void };
}

export async function build(t: TestContext, opts: BuildTestOptions = {}): Promise<FastifyInstance> {
  const { db, dispose } = await createTestDb();
  const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, {
    loadDemoData: opts.demo ?? false,
    baseUrl: 'http://localhost:3000',
    ...opts.config,
  });
  const app = await buildApp({
    config,
    db,
    clock: opts.clock,
    logStream: opts.logStream,
    schemaCompilers: sharedSchemaCompilers,
  });
  t.teardown(async () => {
    await app.close();
    await dispose();
  });
  await app.ready();
  return app;
}

/** A cookie jar + CSRF-aware browser stand-in over inject(). */
export class Browser {
  cookies = new Map<string, string>();
  /** `remoteAddress`: the client IP the app sees (default 127.0.0.1), for rules that count per client. */
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
    readonly remoteAddress?: string,
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (
        c.value === '' ||
        (c.maxAge !== undefined && c.maxAge <= 0) ||
        (c.expires && c.expires.getTime() < Date.now())
      )
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.headers, ...headers, cookie: this.cookieHeader() },
    });
    this.keep(res);
    return res;
  }

  /** Posts a form as a browser would: fetches the CSRF token from `formUrl` (default: the same URL) first. */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    opts: { formUrl?: string; csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (opts.csrf !== false) {
      const token = await this.csrfToken(opts.formUrl ?? url);
      body.append('_csrf', token);
    }
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      remoteAddress: this.remoteAddress,
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
    });
    this.keep(res);
    return res;
  }

  /** Reads the CSRF token that a page renders into its forms. */
  async csrfToken(pageUrl: string): Promise<string> {
    let res = await this.get(pageUrl);
    if ((res.statusCode >= 300 && res.statusCode < 400) || !/name="_csrf"/.test(res.body))
      res = await this.get('/account');
    if (!/name="_csrf"/.test(res.body)) res = await this.get('/login');
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (!m) throw new Error(`no CSRF token on ${pageUrl}`);
    return m[1]!;
  }

  async login(email: string, password = 'demo-password-1'): Promise<LightMyRequestResponse> {
    const res = await this.post('/login', { email, password }, { formUrl: '/login' });
    if (res.statusCode !== 303) throw new Error(`login as ${email} failed: ${res.statusCode}`);
    return res;
  }
}

/**
 * The sign-up link e-mailed to `email` (through the outbox), taken out of the outbox as the user reads it,
 * so that tests counting someone's e-mails see only what their own steps sent.
 */
export async function takeSignupLink(app: FastifyInstance, email: string): Promise<{ url: string; token: string }> {
  const mail = await app
    .db('email_outbox')
    .where({ to_address: email.toLowerCase() })
    .andWhere('body', 'like', '%/signup/confirm/%')
    .orderBy('created_at', 'desc')
    .first();
  const m = mail ? /(https?:\/\/\S+\/signup\/confirm\/([A-Za-z0-9_-]+))/.exec(String(mail.body)) : null;
  if (!m) throw new Error(`no sign-up link was e-mailed to ${email}`);
  await app.db('email_outbox').where({ id: mail.id }).delete();
  return { url: m[1]!, token: m[2]! };
}

/** Signs up through the pages as a new owner would: the form, then the link from the confirmation e-mail. */
export async function signUp(
  app: FastifyInstance,
  who: { email: string; name?: string; organization?: string; password?: string },
): Promise<Browser> {
  const b = new Browser(app);
  const res = await b.post('/signup', {
    organization_name: who.organization ?? '테스트핀테크',
    name: who.name ?? '김테스트',
    email: who.email,
    password: who.password ?? 'correct-horse-1',
    password_confirm: who.password ?? 'correct-horse-1',
  });
  if (res.statusCode !== 303) throw new Error(`signup failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
  const { token } = await takeSignupLink(app, who.email);
  const confirmed = await b.post(`/signup/confirm/${token}`, {});
  if (confirmed.statusCode !== 303)
    throw new Error(`signup confirmation failed: ${confirmed.statusCode} ${confirmed.body.slice(0, 500)}`);
  return b;
}
