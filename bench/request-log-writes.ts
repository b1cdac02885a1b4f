// What writing the request log costs per call, on SQLite: the real batch writer (createRequestLog) records
// BENCH_LOG_WRITES balance-inquiry-sized entries (default 24,000), three ways in one run:
//   wide rows         headers and bodies in each row's own columns, unpacked from the batch JSON by SQLite
//                     into the indexed table at once (the layout before the bodies documents; a reference)
//   rows only         entries without headers or bodies through the writer (the log before stage 3's
//                     evidence carried no bodies)
//   bodies documents  the writer as it is
// For the last two it splits the cost into "answer side" (write(): what a busy emulator pays while calls
// keep coming: the rows document and the bodies document appended) and "indexing" (what flush() adds:
// the pending documents unpacked into indexed rows, done when the emulator is idle or a reader asks).
// Prints the process CPU time per row (main thread and SQLite's worker threads together), median of
// BENCH_REPEAT rounds (default 3), alternating. Run: npm run bench:log-writes
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { createRequestLog, type RequestLogEntry } from '../src/testbed/common/request-log';
import { hasSecretKey, maskSecrets } from '../src/testbed/common/secret-masking';

const N = Number(process.env.BENCH_LOG_WRITES ?? 24_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const CHUNK = 320; // what the writer batches under load (BATCH_ROWS × 4)

let n = 0;
function entry(withBodies: boolean): RequestLogEntry {
  n += 1;
  const bankTranId = `M202600001U${String(n).padStart(9, '0')}`;
  return {
    organizationId: null,
    clientUseCode: 'M202600001',
    method: 'GET',
    path: '/v2.0/account/balance/fin_num',
    api: 'balance',
    userSeqNo: '1100000001',
    bankTranId,
    rspCode: 'A0000',
    bankRspCode: '000',
    warnings: [],
    apiTranId: `2ffd133a-d17a-431d-a6a5-${n}`,
    durationMs: 3,
    ...(withBodies
      ? {
          authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMTAwMDAwMDAxIn0.abc',
          contentType: null,
          requestBody: {
            bank_tran_id: bankTranId,
            fintech_use_num: '120260000001234567890123',
            tran_dtime: '20261203163155',
          },
          responseBody: {
            api_tran_id: `2ffd133a-d17a-431d-a6a5-${n}`,
            api_tran_dtm: '20261203163155123',
            rsp_code: 'A0000',
            rsp_message: '',
            bank_tran_id: bankTranId,
            bank_tran_date: '20261203',
            bank_code_tran: '097',
            bank_rsp_code: '000',
            bank_rsp_message: '',
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
        }
      : {}),
  };
}

const COLUMNS = [
  'organization_id',
  'client_use_code',
  'method',
  'path',
  'rsp_code',
  'bank_rsp_code',
  'warnings',
  'api_tran_id',
  'duration_ms',
  'created_at',
  'api',
  'grant_type',
  'user_seq_no',
  'bank_tran_id',
  'request_headers',
  'request_body',
  'response_body',
];
const WIDE_INSERT = `INSERT INTO "testbed_request_log" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) SELECT ${COLUMNS.map(
  (_c, i) => (i >= 14 ? `NULLIF(value -> ${i}, 'null')` : `value ->> ${i}`),
).join(', ')} FROM json_each(?)`;
const masked = (b: unknown) => (b && typeof b === 'object' && hasSecretKey(b) ? maskSecrets(b) : (b ?? null));

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-writes-'));
  const db = createDb(`sqlite:${path.join(dir, 'bench.sqlite')}`);
  await migrateLatest(db);
  const log = createRequestLog({ db, clock: () => new Date(), flushAfterMs: 60_000 });

  const cpu = () => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  /** CPU µs per row: [answer side, indexing] (the wide layout has no split: all of it is "answer side"). */
  async function cpuPerRow(
    write: (chunk: RequestLogEntry[]) => Promise<[number, number]>,
    withBodies: boolean,
  ): Promise<[number, number]> {
    const entries = Array.from({ length: N }, () => entry(withBodies));
    let answer = 0;
    let index = 0;
    for (let i = 0; i < entries.length; i += CHUNK) {
      const [a, b] = await write(entries.slice(i, i + CHUNK));
      answer += a;
      index += b;
    }
    return [answer / N, index / N];
  }
  const viaWriter = async (chunk: RequestLogEntry[]): Promise<[number, number]> => {
    const c0 = cpu();
    for (const e of chunk) log.record(e);
    await log.write();
    const c1 = cpu();
    await log.flush();
    return [c1 - c0, cpu() - c1];
  };
  const wide = async (chunk: RequestLogEntry[]): Promise<[number, number]> => {
    const c0 = cpu();
    const at = new Date().toISOString();
    for (let i = 0; i < chunk.length; i += 100) {
      const rows = chunk
        .slice(i, i + 100)
        .map((e) => [
          e.organizationId,
          e.clientUseCode,
          e.method,
          e.path,
          e.rspCode,
          e.bankRspCode,
          null,
          e.apiTranId,
          e.durationMs,
          at,
          e.api,
          null,
          e.userSeqNo,
          e.bankTranId,
          { authorization: `${String(e.authorization).slice(0, 13)}…` },
          masked(e.requestBody),
          masked(e.responseBody),
        ]);
      await db.raw(WIDE_INSERT, [JSON.stringify(rows)]);
    }
    return [cpu() - c0, 0];
  };
  const layouts: [string, () => Promise<[number, number]>][] = [
    ['wide rows', () => cpuPerRow(wide, true)],
    ['rows only', () => cpuPerRow(viaWriter, false)],
    ['bodies documents', () => cpuPerRow(viaWriter, true)],
  ];
  await cpuPerRow(viaWriter, true); // warm-up: JIT, statement cache, file growth
  const results = new Map<string, [number, number][]>(layouts.map(([name]) => [name, []]));
  for (let r = 0; r < REPEAT; r++) for (const [name, run] of layouts) results.get(name)!.push(await run());
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `request log writes on SQLite: ${N} entries per layout, ${REPEAT} rounds, median CPU µs per row (main thread + SQLite workers)`,
  );
  console.log(`${'layout'.padEnd(18)} ${'answer side'.padStart(12)} ${'indexing'.padStart(10)} ${'total'.padStart(8)}`);
  for (const [name] of layouts) {
    const rs = results.get(name)!;
    const a = median(rs.map((r) => r[0]));
    const b = median(rs.map((r) => r[1]));
    const total = median(rs.map((r) => r[0] + r[1]));
    console.log(
      `${name.padEnd(18)} ${a.toFixed(1).padStart(12)} ${b.toFixed(1).padStart(10)} ${total.toFixed(1).padStart(8)}`,
    );
  }
  await log.stop();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
