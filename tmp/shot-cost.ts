import { chromium } from 'playwright-core';
import fs from 'node:fs';
function chromeCpu() {
  let t = 0;
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (!fs.readFileSync(`/proc/${p}/comm`, 'utf8').includes('chrom')) continue;
      const s = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return t / 100;
}
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await (await b.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const rows = Array.from({ length: 150 }, (_, i) => `<tr><td>행 ${i}</td><td>금융결제원 오픈뱅킹 테스트 ${i * 7}</td><td style="background:#eef">${i}</td></tr>`).join('');
  await page.setContent(`<style>body{font-family:sans-serif} td{padding:8px;border:1px solid #ccc}</style><h1>제목</h1><table>${rows}</table>`);
  for (const [label, opts] of [
    ['png viewport', {}],
    ['jpeg viewport', { type: 'jpeg', quality: 80 }],
    ['png full', { fullPage: true }],
    ['jpeg full', { fullPage: true, type: 'jpeg', quality: 80 }],
  ] as const) {
    const c0 = chromeCpu(); const n0 = process.cpuUsage(); const w0 = performance.now();
    for (let i = 0; i < 10; i++) await page.screenshot({ ...(opts as object) });
    const n = process.cpuUsage(n0);
    console.log(label.padEnd(14), `wall ${((performance.now() - w0) / 10).toFixed(0)} ms, chromium CPU ${((chromeCpu() - c0) * 100).toFixed(0)} ms, node CPU ${((n.user + n.system) / 10000).toFixed(0)} ms per shot`);
  }
  await b.close();
})();
