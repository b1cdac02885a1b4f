// npx tsx bench/statements.ts — SQL statements per emulator call (SQLite), counted with knex's 'query'
// event: balance, transaction list, withdrawal (steady state, after a first call of each warmed the caches).
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { DEMO_SANDBOX } from '../src/testbed/users/demo-fixtures';
import { hongSession } from './in-process';

async function main() {
  const db = createDb('sqlite::memory:');
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, { loadDemoData: true, baseUrl: 'http://localhost' }),
    db,
  });
  await app.ready();
  const sqls: string[] = [];
  db.on('query', (q: { sql: string }) => sqls.push(q.sql));
  const { auth, fintechUseNums } = await hongSession(app);
  const fin = fintechUseNums[0]!;
  let n = 0;
  const id = () => `${DEMO_SANDBOX.clientUseCode}U${(n++).toString().padStart(9, '0')}`;
  const dtime = '20261126120000';
  const calls: Record<string, () => Promise<unknown>> = {
    balance: () =>
      app.inject({
        url: `/v2.0/account/balance/fin_num?bank_tran_id=${id()}&fintech_use_num=${fin}&tran_dtime=${dtime}`,
        headers: auth,
      }),
    transaction_list: () =>
      app.inject({
        url: `/v2.0/account/transaction_list/fin_num?bank_tran_id=${id()}&fintech_use_num=${fin}&inquiry_type=A&inquiry_base=D&from_date=20200101&to_date=20991231&sort_order=D&tran_dtime=${dtime}`,
        headers: auth,
      }),
    withdraw: () =>
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
      }),
  };
  for (const [name, call] of Object.entries(calls)) {
    await call();
    sqls.length = 0;
    await call();
    console.log(`${name}: ${sqls.length} statements`);
    for (const s of sqls) console.log(`  ${s.slice(0, 150)}`);
  }
  await app.close();
  await db.destroy();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
