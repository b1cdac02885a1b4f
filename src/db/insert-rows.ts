// Multi-row INSERT for the hot paths (ledger postings and transactions, the emulator's request log): the
// column list is fixed by the caller, so the SQL text for a given row count is built once and cached.
// knex's query builder does the same work per call, checking every row's keys, which costs more than the
// insert itself for wide rows.
//
// On SQLite the rows travel as ONE bound value, a JSON array of arrays that SQLite unpacks itself
// (`INSERT … SELECT value ->> 0, … FROM json_each(?)`, in array order). The driver converts every bound
// value on the event loop (about half a microsecond each), so a 90-row request-log write with 900 bound
// values held the main thread about 2.9 times longer than the same rows as one JSON value; the parsing
// moves to SQLite's worker thread. A row holding anything JSON would not carry exactly (a non-finite
// number, a bigint, a Date or Buffer, a string with a lone surrogate) takes the portable path instead:
// plain INSERT … VALUES (?, …), (?, …) with quoted identifiers, as on PostgreSQL.
import { isPostgres, placeholders, sqlCache, type Runner } from './knex';
import { isWellFormedText, type SqlStatement } from './write-and-commit';

const MAX_BINDINGS = 900; // well below SQLite's (32,766) and PostgreSQL's (65,535) limits per statement
const MAX_JSON_ROWS = 500;

/** True when JSON carries the value exactly as the driver would bind it (text, integer/real, NULL). */
function jsonExact(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
      return isWellFormedText(v);
    case 'number':
      return Number.isFinite(v);
    default:
      return false; // booleans bind as 1/0 but come out of JSON as true/false; Dates, Buffers, bigints
  }
}

export function createRowInserter<Row extends object>(table: string, columns: readonly (keyof Row & string)[]) {
  const columnList = columns.map((c) => `"${c}"`).join(', ');
  const head = `INSERT INTO "${table}" (${columnList}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  const tuple = `(${placeholders(columns.length)})`;
  const sql = sqlCache((rows) => head + Array.from({ length: rows }, () => tuple).join(', '));
  const jsonSql = `INSERT INTO "${table}" (${columnList}) SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`;

  function valuesOf(row: Row): unknown[] {
    const out = new Array(columns.length);
    for (let k = 0; k < columns.length; k++) {
      const v = (row as Record<string, unknown>)[columns[k]!];
      out[k] = v === undefined ? null : v;
    }
    return out;
  }

  /** SQLite: the chunk as one JSON value, or null when a value would not survive JSON exactly. */
  function asJson(chunk: readonly Row[]): string | null {
    const matrix: unknown[][] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const values = valuesOf(chunk[i]!);
      for (const v of values) if (!jsonExact(v)) return null;
      matrix[i] = values;
    }
    return JSON.stringify(matrix);
  }

  /** The statements that insert every row, in order (a missing key is inserted as NULL). */
  function statements(run: Runner, rows: readonly Row[]): SqlStatement[] {
    const out: SqlStatement[] = [];
    if (!isPostgres(run)) {
      for (let i = 0; i < rows.length; i += MAX_JSON_ROWS) {
        const chunk = rows.slice(i, i + MAX_JSON_ROWS);
        const json = asJson(chunk);
        if (json === null) out.push(...bound(chunk));
        else out.push({ sql: jsonSql, bindings: [json] });
      }
      return out;
    }
    return bound(rows);
  }

  function bound(rows: readonly Row[]): SqlStatement[] {
    const out: SqlStatement[] = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values: unknown[] = [];
      for (const row of chunk) for (const v of valuesOf(row)) values.push(v);
      out.push({ sql: sql(chunk.length), bindings: values });
    }
    return out;
  }

  /** Inserts every row, in order; a missing key is inserted as NULL. `.statements()` gives the SQL instead. */
  async function insertRows(run: Runner, rows: readonly Row[]): Promise<void> {
    for (const s of statements(run, rows)) await run.raw(s.sql, s.bindings as never[]);
  }
  return Object.assign(insertRows, { statements });
}
