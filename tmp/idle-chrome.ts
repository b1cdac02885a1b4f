import { chromium } from 'playwright-core';
import fs from 'node:fs';
function cpuOf(pids: number[]) {
  let t = 0;
  for (const pid of pids) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return t / 100;
}
function chromePids() {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/comm`, 'utf8').includes('chrom'); } catch { return false; }
  });
}
(async () => {
  const extra = (process.env.X ?? '').split(' ').filter(Boolean);
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extra] });
  const ctx = await b.newContext();
  const pages = [];
  for (let i = 0; i < 3; i++) { const p = await ctx.newPage(); await p.setContent('<h1>hello</h1><p>idle</p>'); pages.push(p); }
  await new Promise((r) => setTimeout(r, 1000));
  const a = cpuOf(chromePids());
  await new Promise((r) => setTimeout(r, 10000));
  const c = cpuOf(chromePids());
  console.log(`idle 10 s with 3 pages: chromium CPU ${(c - a).toFixed(2)} s (${extra.join(' ')})`);
  await b.close();
})();
