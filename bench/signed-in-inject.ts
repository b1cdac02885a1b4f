// npx tsx bench/signed-in-inject.ts — signed-in pages in-process (issue 16): the real app (production config, a
// SQLite file with the demo data, as bench/server.ts), signed in as the demo reviewer through the real form,
// each page viewed BENCH_VIEWS times one after another (default 1,500, after as many for warm-up) through
// inject(). Prints, per page, the process CPU time per view (main thread and SQLite's threads, no HTTP
// socket) and the SQL statements one view sends. Sequential and in one process, so it moves far less with the
// machine's load than the HTTP runs; compare trees back to back (a `git archive` copy for "before").
// BENCH_PAGES=staff,notfound narrows the list (staff, application, docs, notfound).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_APPLICATION_IDS } from '../seeds/02_applications';

const VIEWS = Number(process.env.BENCH_VIEWS ?? 1500);
const ALL: Record<string, string> = {
  staff: '/staff',
  application: `/staff/applications/${DEMO_APPLICATION_IDS.demoFintech}`,
  docs: '/docs',
  notfound: '/no-such-page',
};
const PAGES = (process.env.BENCH_PAGES ?? Object.keys(ALL).join(',')).split(',').filter((p) => ALL[p]);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ob-bench-inject-'));
  process.env.NODE_ENV = 'production';
  process.env.SESSION_SECRET = crypto.randomBytes(32).toString('hex');
  process.env.DATABASE_URL = `sqlite:${path.join(dir, 'bench.sqlite')}`;
  process.env.LOG_LEVEL = 'warn';
  const { loadConfig } = await import('../src/config');
  const { createDb } = await import('../src/db/knex');
  const { migrateLatest, loadDemoSeed } = await import('../src/db/migrate');
  const { buildApp } = await import('../src/app');
  const config = loadConfig(process.env);
  const db = createDb(config.databaseUrl, { poolMax: config.dbPoolMax, sqliteCacheMiB: config.sqliteCacheMiB });
  await migrateLatest(db);
  await loadDemoSeed(db);
  const app = await buildApp({ config, db, migrate: false });
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
    /** `views` views of a page, one after another: CPU ms per view and the statements of the last one. */
    const run = async (page: string, views: number) => {
      const url = ALL[page]!;
      let statements = 0;
      const count = () => {
        statements++;
      };
      const before = process.cpuUsage();
      for (let i = 0; i < views; i++) {
        if (i === views - 1) db.on('query', count);
        const res = await app.inject({ url, headers });
        if (res.statusCode !== (page === 'notfound' ? 404 : 200) || !res.body.includes('/logout'))
          throw new Error(`${page} answered ${res.statusCode}`);
      }
      db.off('query', count);
      const used = process.cpuUsage(before);
      return { cpuMsPerView: (used.user + used.system) / 1000 / views, statements };
    };
    if (process.send) {
      // Worker of bench/signed-in-pair.ts: runs what it is asked, answers with the figures.
      process.send({ ready: true });
      await new Promise<void>((resolve) => {
        process.on('message', async (m: { page?: string; views?: number; stop?: boolean }) => {
          if (m.stop) {
            process.disconnect(); // the IPC channel would keep this process alive
            return resolve();
          }
          process.send!(await run(m.page!, m.views!));
        });
      });
      return;
    }
    const out: Record<string, { cpuMsPerView: number; statements: number }> = {};
    for (const page of PAGES) {
      await run(page, VIEWS); // warm-up
      out[page] = await run(page, VIEWS);
    }
    console.log(
      `load ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}: ` +
        PAGES.map((p) => `${p} ${out[p]!.cpuMsPerView.toFixed(3)} CPU ms/view, ${out[p]!.statements} statements`).join(
          '; ',
        ),
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
