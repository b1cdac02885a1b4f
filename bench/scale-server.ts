// The scale bench's server (child process of bench/scale.ts): the real application in production mode on
// a temporary SQLite file with the demo data, like bench/server.ts, which can also grow its own database
// between two measurements. Prints "READY <port>". IPC: {cmd:'cpu'} → process.cpuUsage();
// {cmd:'grow', factor} → grows the database (bench/scale-data.ts) and answers what it made;
// {cmd:'info'} → the ids and cursors the scenarios need at the current size; {cmd:'verify'} → the ledger
// check, row counts and peak RSS.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoHistoryAccount, growDatabase, scaleSizes } from './scale-data';
import { peakRssBytes, shutDownOnExit } from './child-server';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ob-scale-'));
  Object.assign(process.env, {
    NODE_ENV: 'production',
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    DATABASE_URL: `sqlite:${path.join(dir, 'scale.sqlite')}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: '0',
  });
  const { loadConfig } = await import('../src/config');
  const { createDb } = await import('../src/db/knex');
  const { migrateLatest, loadDemoSeed } = await import('../src/db/migrate');
  const { buildApp } = await import('../src/app');
  const { encodeCursor } = await import('../src/pagination/cursor');
  const config = loadConfig(process.env);
  const db = createDb(config.databaseUrl, { sqliteCacheMiB: config.sqliteCacheMiB });
  await migrateLatest(db);
  await loadDemoSeed(db);
  const app = await buildApp({ config, db, migrate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const history = await demoHistoryAccount(app);

  /** The cursor of the row about 90 % of the way through an account's history (its "deep page"). */
  async function deepHistoryCursor(): Promise<string | null> {
    const n = Number((await db('postings').where('account_id', history.accountId).count({ n: '*' }))[0]!.n);
    const row = await db('postings')
      .where('account_id', history.accountId)
      .orderBy([
        { column: 'tran_date', order: 'desc' },
        { column: 'tran_time', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .offset(Math.floor(n * 0.9))
      .first('tran_date', 'tran_time', 'seq');
    return row ? encodeCursor([row.tran_date, row.tran_time, Number(row.seq)]) : null;
  }

  const answer: Record<string, () => Promise<Record<string, unknown>>> = {
    cpu: async () => ({ cpu: process.cpuUsage() }),
    info: async () => ({
      historyAccountId: history.accountId,
      deepHistoryCursor: await deepHistoryCursor(),
      postingsOfHistoryAccount: Number(
        (await db('postings').where('account_id', history.accountId).count({ n: '*' }))[0]!.n,
      ),
    }),
    verify: async () => {
      await app.services.testbedApi.flushCounts();
      // At full size the check reads every posting: on a busy machine it can outlast knex's wait for the
      // one SQLite connection; that is reported as a failed check, not a crash.
      const verify = await app.services.ledger
        .verifyBalances()
        .catch((err: Error) => ({ ok: false, totalDrift: Number.NaN, error: err.message }));
      const counts: Record<string, number> = {};
      for (const t of ['applications', 'audit_events', 'postings', 'transactions', 'testbed_request_log'])
        counts[t] = Number((await db(t).count({ n: '*' }))[0]!.n);
      return { verify, counts, peakRss: peakRssBytes() };
    },
  };
  process.on('message', async (m: { cmd?: string; factor?: number }) => {
    if (m?.cmd === 'grow') {
      const grown = await growDatabase(db, scaleSizes(m.factor ?? 1), {
        historyAccountId: history.accountId,
        log: (line) => console.error(`  ${line}`),
      });
      process.send?.({ grown });
      return;
    }
    const fn = m?.cmd ? answer[m.cmd] : undefined;
    if (fn) process.send?.(await fn());
  });
  shutDownOnExit({ app, db, dir });
  console.log(`READY ${(app.server.address() as { port: number }).port}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
