import fs from 'node:fs';
import os from 'node:os';
import { pickedSignedInPages, SIGNED_IN_PAGES } from './portal-targets';
import { productionDemoApp } from './child-server';

const VIEWS = Number(process.env.BENCH_VIEWS ?? 1500);
const ALL = SIGNED_IN_PAGES;
const PAGES = pickedSignedInPages();

async function main() {
  const { app, db, dir } = await productionDemoApp('ob-bench-inject-');
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
