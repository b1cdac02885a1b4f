import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '/work/main/src/app';
import { loadConfig } from '/work/main/src/config';
import { userToken, HONG } from '/work/main/test/helpers/testbed';
import { claimBankTranId } from '/work/main/src/testbed/common/bank-tran-id';
(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-'));
  const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, { databaseUrl: `sqlite:${path.join(dir, 'db.sqlite')}`, loadDemoData: true, logLevel: 'silent' });
  const app = await buildApp({ config });
  await app.ready();
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const req = { headers: { authorization: `Bearer ${tok}` }, server: app } as never;
  const guard = app.services.testbedTokenGuard;
  let N = 3000; let t0 = performance.now();
  for (let i = 0; i < N; i++) await guard.authenticate(req, ['inquiry']);
  console.log('authenticate', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  t0 = performance.now();
  for (let i = 0; i < N; i++) await app.db('testbed_tokens').where({ jti: 'x' }).first();
  console.log('knex select', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  N = 500;
  for (const mode of ['FULL', 'NORMAL']) {
    await app.db.raw(`PRAGMA synchronous = ${mode}`);
    t0 = performance.now();
    for (let i = 0; i < N; i++) await app.db.transaction((trx) => claimBankTranId(trx, { organizationId: '6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10', clientUseCode: 'M202600001', bankTranId: `M202600001U${mode[0]}${String(i).padStart(8, '0')}`, date: new Date() }));
    console.log('claim in trx', mode, ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  }
  await app.close();
  process.exit(0);
})();
