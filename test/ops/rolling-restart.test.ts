// A rolling restart of two `npm start` processes on one PostgreSQL database, behind a load balancer stand-in
// that routes by /readyz and fails over only on a refused connection (test/helpers/drain-clients.ts): while
// withdrawals, deposits and balance inquiries flow through both, each instance in turn gets SIGTERM, exits
// and starts again on its port. Every request is answered and the ledger is exact.
import t from 'tap';
import { testPostgresUrl } from '../helpers/db';
import {
  START_LIMIT_MS,
  childDatabase,
  childSecrets,
  httpOobToken,
  httpUserToken,
  ledgerOf,
  startServing,
  type ChildServer,
} from '../helpers/child-server';
import { FailoverClient, type PlainRequest } from '../helpers/drain-clients';
import { DEMO_SANDBOX, HEO, HONG, bankTranId } from '../helpers/testbed';
import { COLLECTING, PAYING, depositAcntBody, tranDtime, withdrawBody } from '../helpers/testbed-services';

t.setTimeout(600_000); // four starts of the real server on a shared machine

const WORKERS = 4;
const PAYER = HONG.accounts[0]?.accountNum ?? '';
const PAYEE = HEO.accounts[0]?.accountNum ?? '';
const ENV = { SHUTDOWN_DRAIN_MS: '1000', SHUTDOWN_GRACE_MS: '20000' };

interface Outcome {
  kind: 'withdraw' | 'deposit' | 'balance';
  id: string;
  amount: number;
  rspCode?: string;
  status?: number;
  error?: string;
}

t.test(
  'a rolling restart of two instances on one PostgreSQL answers every request and keeps the ledger exact',
  {
    timeout: 4 * START_LIMIT_MS + 120_000,
    skip: testPostgresUrl() ? false : 'needs DATABASE_URL=postgres://… (two processes on one shared database)',
  },
  async (t) => {
    const { shared, databaseUrl } = await childDatabase();
    t.teardown(() => shared.dispose());
    const env = { ...childSecrets(), ...ENV };
    const servers: ChildServer[] = [];
    t.teardown(() => {
      for (const s of servers) s.killAll();
    });
    servers.push(await startServing(databaseUrl, env)); // migrates and loads the demo data
    servers.push(await startServing(databaseUrl, env));
    const lb = new FailoverClient(servers.map((s) => s.base));
    await lb.start();
    t.teardown(() => lb.stop());

    const db = shared.open();
    const world = DEMO_SANDBOX.organizationId;
    const balances = async () => {
      const rows = await db('bank_accounts')
        .where({ world, bank_code: '097' })
        .whereIn('account_num', [PAYER, COLLECTING, PAYING, PAYEE])
        .select('account_num', 'balance');
      return Object.fromEntries(
        rows.map((r: { account_num: string; balance: string | number }) => [r.account_num, Number(r.balance)]),
      );
    };
    const before = await balances();
    const user = await httpUserToken(servers[0]!.base, HONG.userSeqNo);
    const oob = await httpOobToken(servers[0]!.base);
    const fin = (
      await db('testbed_fintech_accounts as f')
        .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
        .where({ 'a.account_num': PAYER, 'f.organization_id': world })
        .first('f.fintech_use_num')
    ).fintech_use_num as string;

    const json = { 'content-type': 'application/json; charset=UTF-8' };
    let n = 0;
    const nextCall = (): [Outcome, PlainRequest] => {
      const id = bankTranId();
      const amount = 1 + (n % 9);
      const kind = (['withdraw', 'balance', 'deposit', 'balance'] as const)[n++ % 4]!;
      const o: Outcome = { kind, id, amount: kind === 'balance' ? 0 : amount };
      if (kind === 'withdraw') {
        const body = withdrawBody(fin, { bank_tran_id: id, tran_amt: String(amount), tran_dtime: tranDtime() });
        return [
          o,
          {
            method: 'POST',
            path: '/v2.0/transfer/withdraw/fin_num',
            headers: { ...json, authorization: `Bearer ${user}` },
            body: JSON.stringify(body),
          },
        ];
      }
      if (kind === 'deposit') {
        const body = depositAcntBody({ bank_tran_id: id, tran_amt: String(amount) }, { tran_dtime: tranDtime() });
        return [
          o,
          {
            method: 'POST',
            path: '/v2.0/transfer/deposit/acnt_num',
            headers: { ...json, authorization: `Bearer ${oob}` },
            body: JSON.stringify(body),
          },
        ];
      }
      return [
        o,
        {
          method: 'GET',
          path: `/v2.0/account/balance/fin_num?bank_tran_id=${id}&fintech_use_num=${fin}&tran_dtime=${tranDtime()}`,
          headers: { authorization: `Bearer ${user}` },
        },
      ];
    };

    const outcomes: Outcome[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const [o, req] = nextCall();
        outcomes.push(o);
        try {
          const a = await lb.send(req);
          o.status = a.status;
          o.rspCode = (JSON.parse(a.body) as { rsp_code?: string }).rsp_code;
        } catch (err) {
          o.error = (err as Error).message;
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));

    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(2000);
    for (const i of [0, 1]) {
      const old = servers[i]!;
      const answeredBefore = outcomes.filter((o) => o.status).length;
      old.child.kill('SIGTERM');
      const exit = await old.exited;
      t.same(exit, { code: 0, signal: null }, `instance ${i + 1} exits 0 after SIGTERM`);
      servers[i] = await startServing(databaseUrl, { ...env, PORT: String(old.port) });
      await pause(2000);
      t.ok(
        outcomes.filter((o) => o.status).length > answeredBefore,
        `calls were answered while instance ${i + 1} restarted`,
      );
    }
    running = false;
    await load;

    t.same(
      outcomes.filter((o) => o.error),
      [],
      'every request got an answer (no connection reset, no request dropped)',
    );
    t.same(
      outcomes.filter((o) => o.status !== 200 || o.rspCode !== 'A0000'),
      [],
      'and every answer is HTTP 200 with rsp_code A0000',
    );
    t.comment(`${outcomes.length} calls; ${lb.refused} refused connections sent to the other instance`);

    const sum = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).reduce((s, o) => s + o.amount, 0);
    const withdrawn = sum('withdraw');
    const deposited = sum('deposit');
    const settled = async (kind: 'withdraw' | 'deposit') => {
      const ids = outcomes.filter((o) => o.kind === kind).map((o) => o.id);
      const row = await db('transactions')
        .where({ organization_id: world, kind, status: 'settled' })
        .whereIn('bank_tran_id', ids)
        .count({ n: '*' })
        .sum({ total: 'amount' })
        .first();
      return { count: Number(row?.n), total: Number(row?.total ?? 0) };
    };
    t.same(
      await settled('withdraw'),
      { count: outcomes.filter((o) => o.kind === 'withdraw').length, total: withdrawn },
      'one settled withdrawal per answered withdrawal, for the same amounts',
    );
    t.same(
      await settled('deposit'),
      { count: outcomes.filter((o) => o.kind === 'deposit').length, total: deposited },
      'one settled deposit per answered deposit, for the same amounts',
    );
    const after = await balances();
    t.same(
      {
        payer: before[PAYER]! - after[PAYER]!,
        collected: after[COLLECTING]! - before[COLLECTING]!,
        paid: before[PAYING]! - after[PAYING]!,
        received: after[PAYEE]! - before[PAYEE]!,
      },
      { payer: withdrawn, collected: withdrawn, paid: deposited, received: deposited },
      'money moved exactly as answered: nothing created or lost',
    );
    const ledger = await ledgerOf(db).verifyBalances();
    t.same(
      { ok: ledger.ok, totalDrift: ledger.totalDrift, unbalanced: ledger.unbalancedTransactions },
      { ok: true, totalDrift: 0, unbalanced: [] },
      'cached balances equal the postings, every transaction balanced',
    );
    // The request log is written in batches after the answers go out (a 250 ms timer): stop both instances
    // the graceful way, which writes what is still buffered, and then every call must be in the log.
    for (const s of servers) s.child.kill('SIGTERM');
    t.same(
      await Promise.all(servers.map((s) => s.exited)),
      servers.map(() => ({ code: 0, signal: null })),
      'both restarted instances exit 0 after SIGTERM',
    );
    const logged = await db('testbed_request_log')
      .whereIn(
        'bank_tran_id',
        outcomes.map((o) => o.id),
      )
      .countDistinct({ n: 'bank_tran_id' })
      .first();
    t.equal(Number(logged?.n), outcomes.length, 'the request log holds every call, across both restarts');
  },
);
