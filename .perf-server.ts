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
  if (process.env.SYNC_NORMAL) await app.db.raw('PRAGMA synchronous = NORMAL');
  await app.listen({ port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fin = (await fintechNumbers(app, HONG.userSeqNo))['1101230000678'];
  fs.writeFileSync('/tmp/perf/target.json', JSON.stringify({ base, tok, fin }));
  process.on('SIGINT', async () => { await app.close(); process.exit(0); });
})();
