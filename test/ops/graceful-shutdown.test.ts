// The real `npm start` process on SIGTERM (src/ops/shutdown.ts): /readyz answers 503 "draining" at once while
// the instance keeps serving for SHUTDOWN_DRAIN_MS, then new connections are refused, the requests in flight
// are answered, the request log's batch is written, the database closed, and the process exits 0 in time.
import t from 'tap';
import { ConfigError } from '../../src/config';
import { loadShutdownSettings } from '../../src/ops/shutdown';
import {
  START_LIMIT_MS,
  childDatabase,
  childSecrets,
  httpUserToken,
  ledgerOf,
  startServing,
} from '../helpers/child-server';
import { heldRequest, requestOnce, type PlainRequest } from '../helpers/drain-clients';
import { DEMO_SANDBOX, HONG, bankTranId } from '../helpers/testbed';
import { tranDtime, withdrawBody } from '../helpers/testbed-services';

const DRAIN_MS = 1500;
const GRACE_MS = 20_000; // generous: the test machine is shared

/** Polls `probe` every 50 ms until it returns a value (not undefined) or `ms` pass. */
async function until<T>(ms: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

t.test('shutdown settings: whole milliseconds, and the grace period outlasts the drain delay', async (t) => {
  t.same(loadShutdownSettings({}), { drainMs: 0, graceMs: 10_000 }, 'defaults: no drain delay, 10 s to finish');
  t.same(loadShutdownSettings({ SHUTDOWN_DRAIN_MS: '5000', SHUTDOWN_GRACE_MS: '30000' }), {
    drainMs: 5000,
    graceMs: 30_000,
  });
  const refusal = (env: NodeJS.ProcessEnv) => {
    try {
      loadShutdownSettings(env);
      return null;
    } catch (err) {
      return err instanceof ConfigError ? err.message : err;
    }
  };
  t.match(refusal({ SHUTDOWN_GRACE_MS: '10s' }), /SHUTDOWN_GRACE_MS must be a whole number/, 'a unit is not a number');
  t.match(refusal({ SHUTDOWN_DRAIN_MS: '-1' }), /SHUTDOWN_DRAIN_MS must be a whole number/, 'no negative delay');
  t.match(
    refusal({ SHUTDOWN_DRAIN_MS: '10000', SHUTDOWN_GRACE_MS: '10000' }),
    /must leave at least 1000 ms/,
    'a grace period spent on the drain leaves nothing for the requests in flight',
  );
});

t.test(
  'SIGTERM: /readyz 503 while draining, then connections refused, requests in flight answered, log written, exit 0',
  { timeout: START_LIMIT_MS + 60_000 },
  async (t) => {
    const { shared, databaseUrl } = await childDatabase();
    t.teardown(() => shared.dispose());
    const s = await startServing(databaseUrl, {
      ...childSecrets(),
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
    t.teardown(() => s.killAll());
    const token = await httpUserToken(s.base, HONG.userSeqNo);
    const db = shared.open();
    const main = HONG.accounts[0]!.accountNum;
    const fin = await db('testbed_fintech_accounts as f')
      .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
      .where({ 'a.account_num': main, 'f.organization_id': DEMO_SANDBOX.organizationId })
      .first('f.fintech_use_num');
    const balanceOf = async () =>
      Number(
        (await db('bank_accounts')
          .where({ world: DEMO_SANDBOX.organizationId, bank_code: '097', account_num: main })
          .first('balance'))!.balance,
      );
    const before = await balanceOf();
    const sent: { id: string; amount: number }[] = [];
    const withdrawal = (amount: number): PlainRequest & { body: string } => {
      const id = bankTranId();
      sent.push({ id, amount });
      return {
        method: 'POST',
        path: '/v2.0/transfer/withdraw/fin_num',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify(
          withdrawBody(fin.fintech_use_num, { bank_tran_id: id, tran_amt: String(amount), tran_dtime: tranDtime() }),
        ),
      };
    };

    // Slow clients: each withdrawal's headers and most of its body are sent; the rest only after the listener closed.
    const held = Array.from({ length: 8 }, (_, i) => heldRequest(s.base, withdrawal(100 + i)));
    await new Promise((r) => setTimeout(r, 500)); // the server reads their headers: they are in flight
    const signalled = Date.now();
    s.child.kill('SIGTERM');

    const draining = await until(DRAIN_MS, async () => {
      const a = await requestOnce(s.base, { method: 'GET', path: '/readyz' });
      return a.status === 503 ? a : undefined;
    });
    t.ok(draining, '/readyz answers 503 after the signal');
    t.same(draining && JSON.parse(draining.body), { status: 'draining' }, 'saying it is draining');
    const lateAt = Date.now();
    const late = await requestOnce(s.base, withdrawal(50)).catch((err: Error) => err);
    if (lateAt - signalled < DRAIN_MS - 300)
      t.equal(
        'body' in late ? JSON.parse(late.body).rsp_code : late.message,
        'A0000',
        'a call the load balancer still sends during the drain delay is served',
      );
    else t.comment(`the machine was too slow to send a call within the drain delay (${lateAt - signalled} ms)`);
    if (!('body' in late)) sent.pop(); // refused: not a withdrawal

    const refusedAt = await until(GRACE_MS, () =>
      requestOnce(s.base, { method: 'GET', path: '/healthz' }).then(
        () => undefined,
        (err: { code?: string }) => (err.code === 'ECONNREFUSED' ? Date.now() : undefined),
      ),
    );
    t.ok(refusedAt, 'then new connections are refused');
    t.ok(refusedAt! - signalled >= DRAIN_MS, `not before the drain delay (${refusedAt! - signalled} ms)`);

    for (const h of held) h.finish();
    const answers = await Promise.all(held.map((h) => h.answer));
    t.same(
      answers.map((a) => [a.status, JSON.parse(a.body).rsp_code]),
      Array(held.length).fill([200, 'A0000']),
      'every withdrawal in flight when the listener closed is answered A0000',
    );
    const { code, signal } = await s.exited;
    t.same({ code, signal }, { code: 0, signal: null }, 'the process exits 0');
    t.ok(Date.now() - signalled < GRACE_MS, `within SHUTDOWN_GRACE_MS (${Date.now() - signalled} ms)`);
    t.notMatch(s.output(), /killed by timeout/, 'never ended by the grace timeout');

    const total = sent.reduce((sum, w) => sum + w.amount, 0);
    t.equal(before - (await balanceOf()), total, 'exactly the answered withdrawals left the account');
    const logged = await db('testbed_request_log').whereIn(
      'bank_tran_id',
      sent.map((w) => w.id),
    );
    t.equal(logged.length, sent.length, 'the request log holds a row for every answered call (its batch was flushed)');
    const ledger = await ledgerOf(db).verifyBalances();
    t.same({ ok: ledger.ok, totalDrift: ledger.totalDrift }, { ok: true, totalDrift: 0 }, 'the ledger is exact');
  },
);
