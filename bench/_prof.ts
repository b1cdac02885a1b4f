import crypto from 'node:crypto';
process.env.NODE_ENV = 'production';
process.env.SESSION_SECRET = crypto.randomBytes(32).toString('hex');
process.env.DATABASE_URL = 'sqlite:/dev/shm/prof.sqlite';
process.env.LOG_LEVEL = 'warn';
import fs from 'node:fs';
for (const f of ['/dev/shm/prof.sqlite', '/dev/shm/prof.sqlite-wal', '/dev/shm/prof.sqlite-shm']) fs.rmSync(f, { force: true });
async function main() {
  const { loadConfig } = await import('/work/main/src/config');
  const { createDb } = await import('/work/main/src/db/knex');
  const { migrateLatest, loadDemoSeed } = await import('/work/main/src/db/migrate');
  const { buildApp } = await import('/work/main/src/app');
  const { DEMO_SANDBOX, DEMO_PEOPLE } = await import('/work/main/src/testbed/users/demo-fixtures');
  const config = loadConfig(process.env);
  const db = createDb(config.databaseUrl);
  await migrateLatest(db); await loadDemoSeed(db);
  const app = await buildApp({ config, db, migrate: false });
  await app.ready();
  const form = (f: Record<string,string>) => new URLSearchParams(f).toString();
  const creds = { client_id: DEMO_SANDBOX.clientId, client_secret: DEMO_SANDBOX.clientSecret };
  const code = (await app.inject({ method: 'POST', url: '/testbed/sandbox/authorize', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...creds, user_seq_no: '1100000001', scope: 'login inquiry transfer', redirect_uri: DEMO_SANDBOX.callbackUrl }) })).json().code;
  const tok = (await app.inject({ method: 'POST', url: '/oauth/2.0/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...creds, code, redirect_uri: DEMO_SANDBOX.callbackUrl, grant_type: 'authorization_code' }) })).json().access_token;
  const fin = (await db('testbed_fintech_accounts').first()).fintech_use_num;
  let n = 0;
  const one = () => app.inject({ method: 'GET', url: `/v2.0/account/balance/fin_num?bank_tran_id=M202600001U${(n++).toString(36).padStart(9,'0')}&fintech_use_num=${fin}&tran_dtime=20261126120000`, headers: { authorization: `Bearer ${tok}` } });
  console.log((await one()).body.slice(0, 200));
  const inspector = await import('node:inspector');
  const session = new inspector.Session(); session.connect();
  const post = (m: string, p?: object) => new Promise<any>((res, rej) => session.post(m, p, (e, r) => e ? rej(e) : res(r)));
  await post('Profiler.enable'); await post('Profiler.start');
  for (let i = 0; i < 1000; i++) await one();
  const { profile } = await post('Profiler.stop');
  fs.writeFileSync('/tmp/prof/loop.cpuprofile', JSON.stringify(profile));
  for (const label of ['seq', 'seq2']) {
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) await one();
    console.log(label, ((performance.now() - t0) / 300).toFixed(2), 'ms/req');
  }
  const t1 = performance.now();
  await Promise.all(Array.from({ length: 300 }, one));
  console.log('parallel', ((performance.now() - t1) / 300).toFixed(2), 'ms/req');
  // raw knex query timing
  const t2 = performance.now();
  for (let i = 0; i < 300; i++) await db('bank_accounts').where({ id: 'x' }).first();
  console.log('knex select', ((performance.now() - t2) / 300).toFixed(3), 'ms');
  await app.close(); await db.destroy();
}
main();
