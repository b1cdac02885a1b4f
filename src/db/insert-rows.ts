// Multi-row INSERT for the hot paths (ledger postings and transactions, the emulator's request log): the
// column list is fixed by the caller, so the SQL text for a given row count is built once and cached,
// and the values are bound in one flat array. knex's query builder does the same work per call, checking
// every row's keys, which costs more than the insert itself for wide rows. Portable: plain
// INSERT … VALUES (?, …), (?, …) with quoted identifiers, the same on SQLite and PostgreSQL.
import { placeholders, sqlCache, type Runner } from './knex';

const MAX_BINDINGS = 900; // well below SQLite's (32,766) and PostgreSQL's (65,535) limits per statement

export function createRowInserter<Row extends object>(table: string, columns: readonly (keyof Row & string)[]) {
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  const tuple = `(${placeholders(columns.length)})`;
  const sql = sqlCache((rows) => head + Array.from({ length: rows }, () => tuple).join(', '));

  /** Inserts every row (in statements of at most ~900 bound values); a missing key is inserted as NULL. */
  return async function insertRows(run: Runner, rows: readonly Row[]): Promise<void> {
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values: unknown[] = new Array(chunk.length * columns.length);
      let k = 0;
      for (const row of chunk) {
        for (const c of columns) {
          const v = (row as Record<string, unknown>)[c];
          values[k++] = v === undefined ? null : v;
        }
      }
      await run.raw(sql(chunk.length), values as never[]);
    }
  };
}
