// Benchmark server (child process of bench/run.ts). `baseline`: a bare fastify hello world. `app`: the
// real application, production-like (NODE_ENV=production config, strong SESSION_SECRET, LOG_LEVEL warn),
// on a temporary SQLite file with the demo seed loaded explicitly (the app refuses to load it in
// production). Prints "READY <port>"; answers IPC {cmd:'verify'} with the ledger check and peak RSS,
// {cmd:'cpu'} with process.cpuUsage() (CPU time of the whole process, SQLite's worker threads included).
import crypto from 'node:crypto';
import Fastify from 'fastify';
import { peakRssBytes, productionDemoApp, shutDownOnExit } from './child-server';

async function main() {
  const mode = process.argv[2];
  if (mode.startsWith('baseline')) {
    // The ladder (BENCH_LADDER=1 in run.ts) adds to the bare hello world, one step at a time, what every
    // emulator answer carries before it does any work of its own:
    //   baseline-logger: the app's fastify options (pino logger at warn, a UUID request id per request);
    //   baseline-hooks:  + the emulator's three per-request hooks (headers, preSerialization, onResponse);
    //   baseline-answer: + a balance-inquiry-sized KFTC answer (envelope, Korean text) built per request.
    const step = ['baseline', 'baseline-logger', 'baseline-hooks', 'baseline-answer'].indexOf(mode);
    const app =
      step >= 1
        ? Fastify({ logger: { level: 'warn' }, genReqId: () => crypto.randomUUID() })
        : Fastify({ logger: false });
    if (step >= 2) {
      app.decorateRequest('startedAt', 0);
      app.addHook('onRequest', (req, reply, done) => {
        (req as unknown as { startedAt: number }).startedAt = performance.now();
        reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'no-store');
        done();
      });
      app.addHook('preSerialization', (_req, _reply, payload, done) => done(null, payload));
      app.addHook('onResponse', (_req, _reply, done) => done());
    }
    if (step >= 3) {
      const { answerHead, bankLeg } = await import('../src/testbed/common/envelope');
      app.get('/', async () =>
        Object.assign(
          answerHead(new Date(), 'A0000', ''),
          bankLeg({ bankTranId: 'M202600001U000000001', bankCode: '097', date: new Date() }),
          {
            bank_name: '오픈은행',
            savings_bank_name: '',
            fintech_use_num: '120260000001234567890123',
            balance_amt: '3000000',
            available_amt: '3000000',
            account_type: '1',
            product_name: '오픈 입출금통장',
            account_issue_date: '20200101',
            maturity_date: '',
            last_tran_date: '20261126',
          },
        ),
      );
    } else {
      app.get('/', async () => ({ hello: 'world' }));
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    process.on('message', (m: { cmd?: string }) => {
      if (m?.cmd === 'verify') process.send?.({ verify: null, peakRss: peakRssBytes() });
      if (m?.cmd === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    });
    console.log(`READY ${(app.server.address() as { port: number }).port}`);
    return;
  }
  const { app, db, dir } = await productionDemoApp('ob-bench-');
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', async (m: { cmd?: string }) => {
    if (m?.cmd === 'cpu') {
      process.send?.({ cpu: process.cpuUsage() });
      return;
    }
    if (m?.cmd !== 'verify') return;
    await app.services.testbedApi.flushCounts();
    const verify = await app.services.ledger.verifyBalances();
    const postings = Number((await db('postings').count({ n: '*' }).first())!.n);
    const withdrawals = Number(
      (await db('transactions').where({ kind: 'withdraw', status: 'settled' }).count({ n: '*' }).first())!.n,
    );
    process.send?.({ verify, postings, withdrawals, peakRss: peakRssBytes(), memory: process.memoryUsage() });
  });
  shutDownOnExit({ app, db, dir });
  console.log(`READY ${(app.server.address() as { port: number }).port}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
