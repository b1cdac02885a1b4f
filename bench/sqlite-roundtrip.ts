// npx tsx bench/sqlite-roundtrip.ts — what one round trip through node-sqlite3 costs on this machine, in
// event-loop time and in CPU time (the driver's worker thread included), on an in-memory database:
// a one-row point query (16 in flight), a 22-column row read as columns or as one JSON text, and a
// 90-row insert with 900 bound values or with one JSON value. The figures behind bench/README.md's
// analysis and src/db/README.md's helpers.
import { performance } from 'node:perf_hooks';
import sqlite3 from 'sqlite3';

const db = new sqlite3.Database(':memory:');
const run = (sql: string, params: unknown[] = []) =>
  new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));

async function measure(
  label: string,
  n: number,
  inFlight: number,
  perRows: number,
  once: (i: number, done: (err: Error | null) => void) => void,
) {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    let sent = 0,
      done = 0,
      running = 0;
    const next = () => {
      while (running < inFlight && sent < n) {
        running++;
        once(sent++, (err) => {
          if (err) return reject(err);
          running--;
          if (++done === n) resolve();
          else next();
        });
      }
    };
    next();
  });
  const ms = performance.now() - t0;
  const loop = (performance.eventLoopUtilization(elu0).utilization * ms * 1000) / n;
  const c = process.cpuUsage(cpu0);
  const total = (c.user + c.system) / n;
  const per = perRows > 1 ? ` (${(loop / perRows).toFixed(2)} / ${(total / perRows).toFixed(2)} µs a row)` : '';
  console.log(
    `${label.padEnd(44)} event loop ${loop.toFixed(1).padStart(6)} µs, CPU ${total.toFixed(1).padStart(6)} µs a call${per}`,
  );
}

async function main() {
  const cols = Array.from({ length: 22 }, (_, i) => `c${i}`);
  await run(`CREATE TABLE wide (id INTEGER PRIMARY KEY, ${cols.join(', ')})`);
  for (let i = 1; i <= 100; i++)
    await run(
      `INSERT INTO wide (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => `${c}-value-${i}-xxxxxxxx`),
    );
  const logCols = [
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
  ];
  await run(`CREATE TABLE log (seq INTEGER PRIMARY KEY, ${logCols.join(', ')})`);
  const logRow = (i: number) => [
    'b3c1e2f0-1111-2222-3333-444455556666',
    'M202600001',
    'GET',
    '/v2.0/account/balance/fin_num',
    'A0000',
    '000',
    null,
    `c1b2e3f4-1111-2222-3333-${String(i).padStart(12, '0')}`,
    3,
    new Date().toISOString(),
  ];

  const point = db.prepare('SELECT id, c0 FROM wide WHERE id = ?');
  await measure('point query, 1 row, 16 in flight', 50_000, 16, 1, (i, done) => point.all([(i % 100) + 1], done));
  const asColumns = db.prepare(`SELECT ${cols.join(', ')} FROM wide WHERE id <= 10`);
  await measure('10 rows x 22 columns, as columns', 10_000, 2, 10, (_i, done) => asColumns.all([], done));
  const asJson = db.prepare(`SELECT json_array(${cols.join(', ')}) AS r FROM wide WHERE id <= 10`);
  await measure('10 rows x 22 columns, as JSON + JSON.parse', 10_000, 2, 10, (_i, done) =>
    asJson.all([], (err: Error | null, rows: { r: string }[]) => {
      if (!err) for (const r of rows) JSON.parse(r.r);
      done(err);
    }),
  );
  const bound = db.prepare(
    `INSERT INTO log (${logCols.join(', ')}) VALUES ${Array.from({ length: 90 }, () => `(${logCols.map(() => '?').join(', ')})`).join(', ')}`,
  );
  await measure('insert 90 rows, 900 bound values', 2_000, 2, 90, (i, done) =>
    bound.run(Array.from({ length: 90 }, (_, k) => logRow(i * 90 + k)).flat(), done),
  );
  const json = db.prepare(
    `INSERT INTO log (${logCols.join(', ')}) SELECT ${logCols.map((_, k) => `value ->> ${k}`).join(', ')} FROM json_each(?)`,
  );
  await measure('insert 90 rows, one JSON value', 2_000, 2, 90, (i, done) =>
    json.run([JSON.stringify(Array.from({ length: 90 }, (_, k) => logRow(i * 90 + k)))], done),
  );
  for (const st of [point, asColumns, asJson, bound, json]) st.finalize();
  db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
