// Real-browser harness for test/e2e: the real app listening on a free loopback port (its own SQLite file,
// demo data loaded), Debian's Chromium driven by playwright-core, axe-core accessibility checks,
// overflow checks and screenshots under test-output/screenshots/.
// Chromium is never downloaded: it is the system package at /usr/bin/chromium (or E2E_CHROMIUM).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import type { Test } from 'tap';
import { translate, type Locale } from '../../src/i18n';
import type { TestContext } from './build';
import { createTestDb } from './db';
import { sharedSchemaCompilers } from './schema-compilers';
import { useCheapPasswordHashesForTests } from '../../src/accounts/password-hashing';
import type { Clock } from '../../src/clock';

// As test/helpers/build.ts: cheaper password hashes (the demo seed's too) and route schemas compiled once per process.
useCheapPasswordHashesForTests();

const CHROMIUM_PATH = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
// ---------- profile (E2E_PROFILE=1) ----------

// With E2E_PROFILE=1 every helper below is timed and the file prints, when it exits, a table of calls,
// total and mean wall ms per helper, plus the process's own CPU (the app runs in this process; Chromium not).
const PROFILE = process.env.E2E_PROFILE === '1';
const profile = new Map<string, { n: number; ms: number }>();
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE) return fn();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const e = profile.get(label) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += performance.now() - start;
    profile.set(label, e);
  }
}
if (PROFILE)
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const rows = [...profile].sort((a, b) => b[1].ms - a[1].ms);
    const lines = rows.map(
      ([k, v]) =>
        `${k.padEnd(24)} ${String(v.n).padStart(5)} ${String(Math.round(v.ms)).padStart(9)} ${String(Math.round(v.ms / v.n)).padStart(7)}`,
    );
    process.stderr.write(
      `# E2E_PROFILE ${path.basename(process.argv[1] ?? '')} wall ${Math.round(process.uptime() * 1000)} ms, this process CPU user ${Math.round(cpu.user / 1000)} ms sys ${Math.round(cpu.system / 1000)} ms\n` +
        `# ${'helper'.padEnd(24)} ${'calls'.padStart(5)} ${'total ms'.padStart(9)} ${'mean'.padStart(7)}\n` +
        lines.map((l) => `# ${l}\n`).join(''),
    );
  });

const SCREENSHOT_DIR = path.join(projectRoot, 'test-output', 'screenshots');
export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/** Why the e2e tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  if (fs.existsSync(CHROMIUM_PATH)) return null;
  return `Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set E2E_CHROMIUM`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  app: FastifyInstance;
  baseUrl: string;
}

/**
 * Starts the real app on a free port with a fresh database and the demo data: a temporary SQLite file,
 * or, when DATABASE_URL is PostgreSQL (CI's second pass), a new schema dropped afterwards.
 * The port is chosen first so that config.baseUrl (used in links the app prints) is the real address.
 */
export async function startApp(t: TestContext, opts: { clock?: Clock } = {}): Promise<RunningApp> {
  return timed('startApp', () => startAppUntimed(t, opts));
}
async function startAppUntimed(t: TestContext, opts: { clock?: Clock }): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const overrides = {
    loadDemoData: true,
    baseUrl,
    cookieSecure: false,
    logLevel: process.env.E2E_LOG_LEVEL ?? 'silent',
  };
  let app: FastifyInstance;
  if (process.env.DATABASE_URL?.startsWith('postgres')) {
    const { db, dispose } = await createTestDb();
    app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, overrides),
      db,
      schemaCompilers: sharedSchemaCompilers,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    t.teardown(async () => {
      await app.close();
      await dispose();
    });
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-'));
    const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, {
      ...overrides,
      databaseUrl: `sqlite:${path.join(dir, 'portal.sqlite')}`,
    });
    app = await buildApp({
      config,
      schemaCompilers: sharedSchemaCompilers,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    t.teardown(async () => {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  await app.listen({ port, host: '127.0.0.1' });
  return { app, baseUrl };
}

/**
 * Whether this file's browser tests run: E2E=off skips them visibly (tap reports the reason), a missing
 * Chromium fails the file with instructions. Call at the top of each e2e file.
 */
export function browserTestsEnabled(t: { plan(n: number, comment?: string): void }): boolean {
  if (process.env.E2E === 'off') {
    t.plan(0, 'E2E=off: browser tests not run in this pass');
    return false;
  }
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return true;
}

/** One Chromium per test file, closed in teardown. */
export async function launchChromium(t: TestContext): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const browser = await timed('launchChromium', () =>
    chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
  );
  t.teardown(() => browser.close());
  return browser;
}

/** A fresh context (own cookies) per person in the journey; Korean unless told otherwise. */
export async function newPerson(
  t: TestContext,
  browser: Browser,
  baseUrl: string,
  opts: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'ko-KR', viewport: DESKTOP, ...opts });
  // Generous: these bound a stall, not a check. `npm test` runs the browser tests beside the shard processes
  // (tap.jobs 3 on 2 cores), where a click that signs a contract (a PDF rendered) once took over 10 s.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(45_000);
  t.teardown(() => context.close());
  if (opts.javaScriptEnabled === false) noScriptContexts.add(context);
  const page = await context.newPage();
  // A page that throws (or a CSP violation) is a bug the person would hit.
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // Console "Failed to load resource" lines also report intended 4xx documents (a 422 form), so the
  // console is only read for policy refusals; broken sub-resources are caught from the responses.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      problems.push(`console error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (req.resourceType() !== 'document' && res.status() >= 400 && new URL(res.url()).pathname !== '/favicon.ico')
      problems.push(`${res.status()} for ${req.resourceType()} ${res.url()}`);
  });
  // The browser cancels a page's icon or web-font fetch (font-display: swap, so the page never waits for
  // it) when the person moves on before it arrives: not a fault. Any other failure of those files is.
  const iconCancelled = (req: { url(): string; failure(): { errorText: string } | null }) =>
    /^\/(favicon\.ico|public\/favicon\.svg|fonts\/pretendard-[\d.]+\/.+\.woff2)$/.test(new URL(req.url()).pathname) &&
    req.failure()?.errorText === 'net::ERR_ABORTED';
  page.on('requestfailed', (req) => {
    if (req.resourceType() !== 'document' && !iconCancelled(req))
      problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  pageProblems.set(page, problems);
  return { context, page };
}

const pageProblems = new WeakMap<Page, string[]>();
const noScriptContexts = new WeakSet<BrowserContext>();
/** True when the page runs with JavaScript turned off (only synchronous evaluation is possible there). */
function isNoScript(page: Page): boolean {
  return noScriptContexts.has(page.context());
}
/** Script errors and console errors (e.g. CSP refusals) seen on this page so far. */
export function problemsOn(page: Page): string[] {
  return pageProblems.get(page) ?? [];
}

// ---------- accessibility (axe-core) ----------

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/**
 * Runs axe-core on what `page` shows. The CSP forbids inline scripts, so the source is evaluated over the
 * DevTools protocol (page.evaluate), which the CSP does not govern. A page without JavaScript cannot run
 * axe (its promises never settle), so its DOM is copied into a script-enabled checker page, with a <base>
 * at the page's address so that its styles load and colour contrast is real. The checker is one page per
 * browser whose document is replaced each time (setContent): axe stays loaded in it, so a check costs the
 * copy and the run, not a navigation and a fresh evaluation of axe's 500 kB (about 1.5 s a check on a
 * loaded 2-core machine, against about 0.2 s). Throws if axe did not really run.
 */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; passes: number; rulesRun: number }> {
  return timed(isNoScript(page) ? 'runAxe (no script)' : 'runAxe', () => runAxeUntimed(page));
}
async function runAxeUntimed(page: Page): Promise<{ violations: AxeViolation[]; passes: number; rulesRun: number }> {
  if (!isNoScript(page)) return runAxeIn(page);
  const html = await page.content();
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser for the accessibility checker');
  let checker = checkers.get(browser);
  if (!checker) {
    const ctx = await browser.newContext({ viewport: page.viewportSize() ?? DESKTOP });
    checker = await ctx.newPage();
    checkers.set(browser, checker);
  }
  const viewport = page.viewportSize();
  if (viewport) await checker.setViewportSize(viewport);
  await checker.setContent(withBase(html, page.url()), { waitUntil: 'load' });
  return runAxeIn(checker);
}

/** `html` with a <base href> to `url` first in its head (the first <base> is the one that counts). */
function withBase(html: string, url: string): string {
  const base = `<base href="${url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return base + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + base + html.slice(at);
}
const checkers = new WeakMap<Browser, Page>();

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

async function runAxeIn(page: Page): Promise<{ violations: AxeViolation[]; passes: number; rulesRun: number }> {
  const present = await page.evaluate('typeof window.axe === "object" && typeof window.axe.run === "function"');
  if (!present) await page.evaluate(AXE_SOURCE);
  // Page-side code is plain JavaScript in strings: the project compiles without the DOM library.
  const result = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) })),
      passes: r.passes.length,
      rulesRun: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
    };
  })()`)) as { violations: AxeViolation[]; passes: number; rulesRun: number };
  if (result.rulesRun < 20)
    throw new Error(`axe-core ran only ${result.rulesRun} rules on ${page.url()}: it did not really run`);
  return result;
}

/** Human-readable list of violations, for assertion messages. */
export function describeViolations(vs: AxeViolation[]): string {
  return vs
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 5)
          .map(
            (n) =>
              `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n');
}

/** The violations a person relying on assistive technology would be blocked by. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const { violations } = await runAxe(page);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// ---------- layout ----------

/** Widths that matter for "no sideways scrolling": the document and the viewport. */
export async function horizontalOverflow(
  page: Page,
): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
  return timed('horizontalOverflow', () => overflowUntimed(page));
}
function overflowUntimed(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
  return page.evaluate(`(() => {
    const el = document.scrollingElement || document.documentElement;
    const innerWidth = window.innerWidth;
    const widest = [];
    if (el.scrollWidth > innerWidth) {
      for (const node of Array.from(document.querySelectorAll('body *'))) {
        if (node.matches('main, header, footer, .container') || node.querySelector('p, li, dd, pre, table')) {
          if (node.getBoundingClientRect().right <= innerWidth + 1) continue; // report the innermost culprit
        }
        const r = node.getBoundingClientRect();
        const name = node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + (node.className && typeof node.className === 'string' ? '.' + node.className : '');
        const style = getComputedStyle(node);
        // An element wider than the screen, or text spilling out of a box that does not scroll.
        if (r.right > innerWidth + 1) widest.push(name + ' right=' + Math.round(r.right));
        else if (node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 0 && style.overflowX === 'visible') widest.push(name + ' text overflows (' + (node.textContent || '').trim().slice(0, 60) + ')');
        if (widest.length >= 5) break;
      }
    }
    return { scrollWidth: el.scrollWidth, innerWidth, widest };
  })()`) as Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }>;
}

const SCREENSHOT_MAX_HEIGHT = 8_000;

// The screenshots every see() takes are a record, rarely looked at: by default only the first screen (what
// the viewport shows), which Chromium captures in a fraction of the time of a whole tall page (the journey's
// 57 full-page captures were 39 s of its 169 s, E2E_PROFILE=1). E2E_SCREENSHOTS=full keeps whole pages.
// Files that look at their pictures (workbench) call screenshot() directly, which stays full-page.
const ROUTINE_FULL_PAGE = process.env.E2E_SCREENSHOTS === 'full';

/** A first-screen screenshot for see()'s record (the whole page with E2E_SCREENSHOTS=full). */
async function routineScreenshot(page: Page, name: string): Promise<string> {
  if (ROUTINE_FULL_PAGE) return screenshot(page, name);
  return timed('screenshot (viewport)', async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
    await page.screenshot({ path: file, timeout: 30_000 });
    return file;
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  return timed('screenshot', () => screenshotUntimed(page, name));
}
async function screenshotUntimed(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  // A very tall page (/docs on a phone is over 40,000 px) takes Chromium longer to capture whole than the
  // default 10 s on a loaded machine: its first SCREENSHOT_MAX_HEIGHT px show the layout well enough.
  const { width, height } = (await page.evaluate(
    '({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })',
  )) as { width: number; height: number };
  const clip = height > SCREENSHOT_MAX_HEIGHT ? { x: 0, y: 0, width, height: SCREENSHOT_MAX_HEIGHT } : undefined;
  await page.screenshot({ path: file, fullPage: true, timeout: 30_000, ...(clip ? { clip } : {}) });
  return file;
}

// ---------- keyboard ----------

/**
 * Presses Tab until the focused element matches `selector` (a CSS selector), as a keyboard user would.
 * Throws when it is not reached within `max` presses, naming where focus went.
 */
export async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = (await page.evaluate(`(() => {
      const a = document.activeElement;
      if (!a) return { match: false, desc: 'nothing' };
      return { match: a.matches(${JSON.stringify(selector)}), desc: a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + (a.name ? '[name=' + a.name + ']' : '') };
    })()`)) as { match: boolean; desc: string };
    if (here.match) return;
    seen.push(here.desc);
  }
  throw new Error(
    `keyboard focus never reached ${selector} after ${max} Tab presses; went through: ${seen.join(' → ')}`,
  );
}

// ---------- a callback receiver (OAuth redirect target) ----------

export interface CallbackServer {
  url: string;
  hits: URL[];
}

/** A tiny HTTP server on its own free port that records every request and answers with a page. */
export async function startCallbackServer(t: TestContext): Promise<CallbackServer> {
  const hits: URL[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
    hits.push(u);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Callback received</title></head><body><main><h1>Callback received</h1></main></body></html>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}/callback`, hits };
}

// ---------- what a person sees ----------

/** A message from the catalogs, as the page should show it; a key the catalogs lack is a bug in the test. */
export function message(locale: Locale, key: string, params?: Record<string, unknown>): string {
  const s = translate(locale, key, params);
  if (s.startsWith('⟦')) throw new Error(`the test refers to a message that does not exist: ${key}`);
  const unfilled = /\{(\w+)\}/.exec(s);
  if (unfilled) throw new Error(`the test gives no "${unfilled[1]}" for the message ${key}`);
  return s;
}

/**
 * What every page must be: the expected main heading, no message key or unfilled placeholder shown, no
 * serious or critical axe-core violation, no script error or broken sub-resource, no sideways scrolling at
 * the current width. Then a screenshot named `name` (first screen; whole page with E2E_SCREENSHOTS=full).
 */
export async function see(t: Test, page: Page, name: string, heading: string | RegExp): Promise<void> {
  return timed('see (all)', () => seeUntimed(t, page, name, heading));
}
async function seeUntimed(t: Test, page: Page, name: string, heading: string | RegExp): Promise<void> {
  const h1 = (await page.locator('h1').first().innerText()).trim();
  if (typeof heading === 'string') t.equal(h1, heading, `${name}: the heading reads "${heading}"`);
  else t.match(h1, heading, `${name}: the heading`);
  const text = await page.locator('body').innerText();
  t.same(text.match(/⟦[\w.]+⟧/g) ?? [], [], `${name}: no message key is shown instead of text`);
  t.same(text.match(/\{[a-z_]+\}/g) ?? [], [], `${name}: no unfilled placeholder`);
  const violations = await seriousViolations(page);
  t.equal(
    violations.length,
    0,
    `${name}: no serious or critical accessibility violations\n${describeViolations(violations)}`,
  );
  t.same(problemsOn(page), [], `${name}: no script or console errors`);
  const o = await horizontalOverflow(page);
  t.ok(
    o.scrollWidth <= o.innerWidth,
    `${name}: no sideways scrolling at ${o.innerWidth} px (page is ${o.scrollWidth} px wide) ${o.widest.join(', ')}`,
  );
  await routineScreenshot(page, name);
}

/** The error summary is shown with its title, and links to each field, which exists and is marked invalid. */
export async function seeErrorSummary(
  t: Test,
  page: Page,
  name: string,
  fields: string[],
  locale: Locale = 'ko',
): Promise<void> {
  const summary = page.locator('.error-summary');
  await summary.waitFor(); // throws (the test fails) when no summary appears
  t.ok(await summary.isVisible(), `${name}: the error summary is shown`);
  t.equal(
    (await summary.locator('h2').innerText()).trim(),
    message(locale, 'common.errors.summary_title'),
    `${name}: the summary title`,
  );
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const f of fields) {
    t.ok(hrefs.includes(`#${f}`), `${name}: the summary links to #${f}`);
    t.equal(await page.locator(`[id="${f}"]`).count(), 1, `${name}: the field #${f} it links to exists`);
    t.equal(await page.locator(`[id="${f}"]`).getAttribute('aria-invalid'), 'true', `${name}: #${f} is marked invalid`);
  }
}

/** Signs in through the real sign-in page (checked like any other page). */
export async function signIn(
  t: Test,
  page: Page,
  email: string,
  shot: string,
  password = 'demo-password-1',
  locale: Locale = 'ko',
): Promise<void> {
  await page.goto('/login');
  await see(t, page, shot, message(locale, 'accounts.login.title'));
  await page.getByLabel(message(locale, 'accounts.fields.email')).fill(email);
  await page.getByLabel(message(locale, 'accounts.fields.password'), { exact: true }).fill(password);
  await page.getByRole('button', { name: message(locale, 'accounts.login.submit') }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** `see` on a 375 px phone, then no sideways scrolling and a screenshot on a 1280 px desktop too. */
export async function seeOnPhoneAndDesktop(t: Test, page: Page, name: string, heading: string | RegExp): Promise<void> {
  return timed('seeOnPhoneAndDesktop', () => phoneAndDesktopUntimed(t, page, name, heading));
}
async function phoneAndDesktopUntimed(t: Test, page: Page, name: string, heading: string | RegExp): Promise<void> {
  await page.setViewportSize(PHONE);
  await see(t, page, `${name}-phone`, heading);
  await page.setViewportSize(DESKTOP);
  const o = await horizontalOverflow(page);
  t.ok(
    o.scrollWidth <= o.innerWidth,
    `${name}: no sideways scrolling at ${o.innerWidth} px (page is ${o.scrollWidth} px wide) ${o.widest.join(', ')}`,
  );
  await routineScreenshot(page, `${name}-desktop`);
}

/**
 * Waits for a status message (the flash after a form, a panel) containing `text`; throws, failing the test,
 * when none appears. Waiting for the text, not just the box, avoids reading the previous page's message.
 */
export async function seeNotice(t: Test, page: Page, text: string): Promise<void> {
  await page.locator('[role=status]', { hasText: text }).first().waitFor();
  t.pass(`the page says "${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`);
}
