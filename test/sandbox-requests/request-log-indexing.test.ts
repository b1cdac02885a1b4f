// The request log's deferred indexing on SQLite: a write batch is appended as documents on the answers'
// side, and unpacked into indexed rows when the emulator is idle, when a reader flushes, at start-up
// (what a crash left) and at shutdown, or at once when the backlog passes its bound. Readers therefore
// always see every recorded call, in the order recorded.
import t from 'tap';
import { createTestDb, testPostgresUrl } from '../helpers/db';
import { createRequestLog, type RequestLogEntry } from '../../src/testbed/common/request-log';
import { migrateLatest } from '../../src/db/migrate';

let n = 0;
function entry(over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  n += 1;
  return {
    organizationId: null,
    clientUseCode: 'M202600001',
    method: 'GET',
    path: '/v2.0/account/balance/fin_num',
    api: 'balance',
    userSeqNo: '1100000001',
    bankTranId: `M202600001U${String(n).padStart(9, '0')}`,
    rspCode: 'A0000',
    bankRspCode: '000',
    warnings: [],
    apiTranId: `api-${n}`,
    durationMs: 2,
    requestBody: { n },
    responseBody: { rsp_code: 'A0000', n },
    ...over,
  };
}
const count = async (db: import('knex').Knex, table: string) =>
  Number(((await db(table).count({ c: '*' }).first()) as { c: number | string }).c);
const clock = () => new Date();

t.test(
  'PostgreSQL writes rows at once (nothing to defer)',
  { skip: !testPostgresUrl() ? 'SQLite run' : false },
  async (t) => {
    const { db, dispose } = await createTestDb();
    await migrateLatest(db);
    t.teardown(dispose);
    const log = createRequestLog({ db, clock, flushAfterMs: 60_000 });
    log.record(entry());
    await log.write();
    t.equal(await count(db, 'testbed_request_log'), 1);
    await log.stop();
  },
);

t.test('on SQLite', { skip: testPostgresUrl() ? 'PostgreSQL run' : false }, async (t) => {
  t.test(
    "a write under load appends documents only; a reader's flush indexes them, in the order recorded",
    async (t) => {
      const { db, dispose } = await createTestDb();
      await migrateLatest(db);
      t.teardown(dispose);
      const log = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000 });
      const ids = Array.from({ length: 250 }, () => entry());
      for (const e of ids) log.record(e);
      await log.write();
      t.equal(await count(db, 'testbed_request_log'), 0, 'no indexed row yet');
      t.equal(await count(db, 'testbed_request_log_pending'), 3, '250 calls wait as 3 rows documents');
      t.equal(await count(db, 'testbed_request_log_bodies'), 3, 'beside 3 bodies documents');
      t.equal(log.pendingDocuments(), 3);
      await log.flush();
      t.equal(await count(db, 'testbed_request_log_pending'), 0, 'flush leaves nothing pending');
      const rows: { seq: number; bank_tran_id: string; body_index: number }[] = await db('testbed_request_log')
        .orderBy('seq')
        .select('seq', 'bank_tran_id', 'body_index');
      t.same(
        rows.map((r) => r.bank_tran_id),
        ids.map((e) => e.bankTranId),
        'every call, in the order recorded',
      );
      t.same(
        rows.slice(0, 3).map((r) => Number(r.body_index)),
        [0, 1, 2],
        'each row names its place in its bodies document',
      );
      await log.stop();
    },
  );

  t.test("a reader's flush with nothing waiting runs no statement (no write transaction per reader)", async (t) => {
    const { db, dispose } = await createTestDb();
    await migrateLatest(db);
    t.teardown(dispose);
    const log = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000 });
    log.record(entry());
    await log.flush();
    const seen: string[] = [];
    db.on('query', (q: { sql: string }) => seen.push(q.sql));
    for (let i = 0; i < 5; i++) await log.flush();
    t.same(seen, [], 'five flushes, not one statement');
    log.record(entry());
    await log.flush();
    t.ok(
      seen.some((q) => /testbed_request_log_pending/.test(q)),
      'a new call is written and indexed by the next flush',
    );
    t.equal(await count(db, 'testbed_request_log'), 2);
    await log.stop();
  });

  t.test('once the emulator is idle the backlog is indexed without any reader', async (t) => {
    const { db, dispose } = await createTestDb();
    await migrateLatest(db);
    t.teardown(dispose);
    const log = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 30 });
    for (let i = 0; i < 120; i++) log.record(entry());
    await log.write();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await count(db, 'testbed_request_log')) < 120)
      await new Promise((r) => setTimeout(r, 20));
    t.equal(await count(db, 'testbed_request_log'), 120, 'all 120 indexed after the idle pause');
    t.equal(await count(db, 'testbed_request_log_pending'), 0);
    await log.stop();
  });

  t.test('while calls keep coming the backlog never passes its bound', async (t) => {
    const { db, dispose } = await createTestDb();
    await migrateLatest(db);
    t.teardown(dispose);
    const log = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000, maxPendingDocuments: 2 });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 100; i++) log.record(entry());
      await log.write();
      t.ok((await count(db, 'testbed_request_log_pending')) <= 2, `round ${round + 1}: at most 2 documents wait`);
    }
    t.equal(await count(db, 'testbed_request_log'), 300, 'the oldest 3 documents were indexed as the bound was passed');
    await log.stop();
    t.equal(await count(db, 'testbed_request_log'), 500, 'shutdown indexes the rest');
  });

  t.test('documents a crash left pending are indexed at the next start', async (t) => {
    const { db, dispose } = await createTestDb();
    await migrateLatest(db);
    t.teardown(dispose);
    const crashed = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000 });
    for (let i = 0; i < 40; i++) crashed.record(entry());
    await crashed.write(); // …and the process dies here: no stop()
    t.equal(await count(db, 'testbed_request_log_pending'), 1);
    const next = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000 });
    await next.start();
    t.equal(await count(db, 'testbed_request_log'), 40, 'the 40 calls are in the log');
    t.equal(await count(db, 'testbed_request_log_pending'), 0);
    await next.stop();
  });

  t.test('a batch with text JSON cannot carry goes row by row, and is indexed at once', async (t) => {
    const { db, dispose } = await createTestDb();
    await migrateLatest(db);
    t.teardown(dispose);
    const log = createRequestLog({ db, clock, flushAfterMs: 60_000, idleMs: 60_000 });
    log.record(entry({ path: '/v2.0/\ud800broken' }));
    await log.write();
    t.equal(await count(db, 'testbed_request_log'), 1, 'written to the indexed table directly');
    t.equal(await count(db, 'testbed_request_log_pending'), 0);
    await log.stop();
  });
});
