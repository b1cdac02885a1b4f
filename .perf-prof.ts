import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '/work/main/src/app';
import { loadConfig } from '/work/main/src/config';
import { userToken, fintechNumbers, HONG } from '/work/main/test/helpers/testbed';
(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-'));
  const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, { databaseUrl: `sqlite:${path.join(dir, 'db.sqlite')}`, loadDemoData: true, logLevel: 'silent' });
  const app = await buildApp({ config });
  await app.ready();
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fin = (await fintechNumbers(app, HONG.userSeqNo))['1101230000678'];
  const url = `/v2.0/account/balance/fin_num?bank_tran_id=M202600001U000000001&fintech_use_num=${fin}&tran_dtime=20261126120000`;
  for (const [name, u, h] of [['nf', '/v2.0/nothing', {}], ['css', '/public/app.css', {}], ['balance', url, { authorization: `Bearer ${tok}` }]] as const) {
    const N = 1000;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await app.inject({ method: 'GET', url: u, headers: h });
    console.log(name, ((performance.now() - t0) / N).toFixed(3), 'ms/req');
  }
  await app.close();
  process.exit(0);
})();
