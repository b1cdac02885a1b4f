// npx tsx bench/sql-timing.ts [withdraw|balance] — where a steady stream of emulator calls spends its
// database time: builds the app in-process on a temporary SQLite file with the demo data, makes 3,000
// calls (16 at a time, through app.inject), and prints req/s, CPU ms per call, and for every SQL text the
// main connection ran: how often, mean ms from start to answer, and total ms. Reads on the reader
// connection are not listed. A tool for finding the next bottleneck, not a benchmark (use npm run bench).
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { DEMO_SANDBOX } from '../src/testbed/users/demo-fixtures';
import { hongSession } from './in-process';

async function main() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sql-timing-')), 'timing.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = createDb(`sqlite:${file}`);
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv, {
      loadDemoData: true,
      baseUrl: 'http://localhost',
    }),
    db,
  });
  await app.ready();
  const { auth, fintechUseNums } = await hongSession(app);
  let n = 0;
  const id0 = () => `${DEMO_SANDBOX.clientUseCode}U${(n++).toString().padStart(9, '0')}`;
  let fin = '';
  let best = -1;
  for (const f of fintechUseNums) {
    const b = Number(
      (
        await app.inject({
          url: `/v2.0/account/balance/fin_num?bank_tran_id=${id0()}&fintech_use_num=${f}&tran_dtime=20261126120000`,
          headers: auth,
        })
      ).json().balance_amt,
    );
    if (b > best) {
      best = b;
      fin = f;
    }
  }
  const id = () => `${DEMO_SANDBOX.clientUseCode}U${(n++).toString().padStart(9, '0')}`;
  const dtime = '20261126120000';
  const kind = process.argv[2] ?? 'withdraw';
  const call =
    kind === 'balance'
      ? () =>
          app.inject({
            url: `/v2.0/account/balance/fin_num?bank_tran_id=${id()}&fintech_use_num=${fin}&tran_dtime=${dtime}`,
            headers: auth,
          })
      : () =>
          app.inject({
            method: 'POST',
            url: '/v2.0/transfer/withdraw/fin_num',
            headers: { ...auth, 'content-type': 'application/json' },
            payload: JSON.stringify({
              bank_tran_id: id(),
              cntr_account_type: 'N',
              cntr_account_num: DEMO_SANDBOX.contractAccounts.withdrawCollecting.accountNum,
              dps_print_content: 'bench',
              fintech_use_num: fin,
              wd_print_content: 'bench',
              tran_amt: '1',
              tran_dtime: dtime,
              req_client_name: '홍길동',
              req_client_fintech_use_num: fin,
              req_client_num: 'BENCH1',
              transfer_purpose: 'TR',
            }),
          });
  for (let i = 0; i < 200; i++) await call();
  const started = new Map<string, [string, bigint]>();
  const stats = new Map<string, { n: number; ms: number }>();
  db.on('query', (q: { sql: string; __knexQueryUid: string }) =>
    started.set(q.__knexQueryUid, [
      q.sql
        .replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)')
        .replace(/\?(, \?)+/g, '?…')
        .slice(0, 90),
      process.hrtime.bigint(),
    ]),
  );
  db.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
    const s = started.get(q.__knexQueryUid);
    if (!s) return;
    started.delete(q.__knexQueryUid);
    const st = stats.get(s[0]) ?? { n: 0, ms: 0 };
    st.n++;
    st.ms += Number(process.hrtime.bigint() - s[1]) / 1e6;
    stats.set(s[0], st);
  });
  const N = 3000,
    C = 16;
  let i = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (i < N) {
        i++;
        const r = await call();
        if (r.json().rsp_code !== 'A0000') throw new Error(r.body);
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  console.log(
    kind,
    Math.round((N / ms) * 1000),
    'req/s (inject)',
    ((cpu.user + cpu.system) / 1000 / N).toFixed(3),
    'cpu ms/req',
  );
  for (const [sql, st] of [...stats].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      st.n.toString().padStart(6),
      (st.ms / st.n).toFixed(3).padStart(8),
      'ms',
      st.ms.toFixed(0).padStart(6),
      sql,
    );
  await app.close();
  await db.destroy();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
