// What writing the request log costs per call, on SQLite: the real batch writer (createRequestLog) records
// BENCH_LOG_WRITES balance-inquiry-sized entries (default 24,000) and flushes them, three ways in one run:
//   rows only        the same entries without headers or bodies (the log before stage 3's evidence)
//   wide rows        headers and bodies in each row's own columns, unpacked from the batch JSON by SQLite
//                    (the layout before the bodies documents; kept here as the reference)
//   bodies documents the writer as it is: the rows, plus one bodies document per batch
// and prints the process CPU time per row (main thread and SQLite's worker threads together) and each
// layout's cost beyond "rows only" as a ratio of it. Repeated BENCH_REPEAT times (default 3), alternating,
// median reported. Run: npm run bench:log-writes
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
    organizationId: null, clientUseCode: 'M202600001', method: 'GET', path: '/v2.0/account/balance/fin_num', api: 'balance',
    userSeqNo: '1100000001', bankTranId, rspCode: 'A0000', bankRspCode: '000', warnings: [], apiTranId: `2ffd133a-d17a-431d-a6a5-${n}`, durationMs: 3,
    ...(withBodies ? {
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMTAwMDAwMDAxIn0.abc', contentType: null,
      requestBody: { bank_tran_id: bankTranId, fintech_use_num: '120260000001234567890123', tran_dtime: '20261203163155' },
      responseBody: {
        api_tran_id: `2ffd133a-d17a-431d-a6a5-${n}`, api_tran_dtm: '20261203163155123', rsp_code: 'A0000', rsp_message: '', bank_tran_id: bankTranId,
        bank_tran_date: '20261203', bank_code_tran: '097', bank_rsp_code: '000', bank_rsp_message: '', bank_name: '오픈은행', savings_bank_name: '',
        fintech_use_num: '120260000001234567890123', balance_amt: '3000000', available_amt: '3000000', account_type: '1', product_name: '오픈 입출금통장',
        account_issue_date: '20200101', maturity_date: '', last_tran_date: '20261126',
      },
    } : {}),
  };
}

const COLUMNS = ['organization_id', 'client_use_code', 'method', 'path', 'rsp_code', 'bank_rsp_code', 'warnings', 'api_tran_id', 'duration_ms', 'created_at',
  'api', 'grant_type', 'user_seq_no', 'bank_tran_id', 'request_headers', 'request_body', 'response_body'];
const WIDE_INSERT = `INSERT INTO "testbed_request_log" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) SELECT ${COLUMNS
  .map((c, i) => (i >= 14 ? `NULLIF(value -> ${i}, 'null')` : `value ->> ${i}`)).join(', ')} FROM json_each(?)`;
const masked = (b: unknown) => (b && typeof b === 'object' && hasSecretKey(b) ? maskSecrets(b) : b ?? null);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-writes-'));
  const db = createDb(`sqlite:${path.join(dir, 'bench.sqlite')}`);
  await migrateLatest(db);
  const log = createRequestLog({ db, clock: () => new Date(), flushAfterMs: 60_000 });

  async function cpuPerRow(write: (chunk: RequestLogEntry[]) => Promise<void>, withBodies: boolean): Promise<number> {
    const entries = Array.from({ length: N }, () => entry(withBodies));
    const c0 = process.cpuUsage();
    for (let i = 0; i < entries.length; i += CHUNK) await write(entries.slice(i, i + CHUNK));
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / N;
  }
  const viaWriter = async (chunk: RequestLogEntry[]) => { for (const e of chunk) log.record(e); await log.flush(); };
  const wide = async (chunk: RequestLogEntry[]) => {
    const at = new Date().toISOString();
    for (let i = 0; i < chunk.length; i += 100) {
      const rows = chunk.slice(i, i + 100).map((e) => [e.organizationId, e.clientUseCode, e.method, e.path, e.rspCode, e.bankRspCode, null, e.apiTranId, e.durationMs, at,
        e.api, null, e.userSeqNo, e.bankTranId, { authorization: `${String(e.authorization).slice(0, 13)}…` }, masked(e.requestBody), masked(e.responseBody)]);
      await db.raw(WIDE_INSERT, [JSON.stringify(rows)]);
    }
  };
  const layouts: [string, () => Promise<number>][] = [
    ['rows only', () => cpuPerRow(viaWriter, false)],
    ['wide rows', () => cpuPerRow(wide, true)],
    ['bodies documents', () => cpuPerRow(viaWriter, true)],
  ];
  await cpuPerRow(viaWriter, true); // warm-up: JIT, statement cache, file growth
  const results = new Map<string, number[]>(layouts.map(([name]) => [name, []]));
  for (let r = 0; r < REPEAT; r++) for (const [name, run] of layouts) results.get(name)!.push(await run());
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(results.get('rows only')!);
  console.log(`request log writes on SQLite: ${N} entries per layout, ${REPEAT} rounds, median CPU µs per row (main thread + SQLite workers)`);
  console.log(`${'layout'.padEnd(18)} ${'µs/row'.padStart(8)} ${'beyond rows only'.padStart(18)}`);
  for (const [name] of layouts) {
    const m = median(results.get(name)!);
    console.log(`${name.padEnd(18)} ${m.toFixed(1).padStart(8)} ${name === 'rows only' ? '—'.padStart(18) : `+${(m - base).toFixed(1)} µs (${(((m - base) / base) * 100).toFixed(0)}%)`.padStart(18)}`);
  }
  await log.stop();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => { console.error(err); process.exit(1); });
