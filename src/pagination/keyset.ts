// Keyset pagination in SQL: a page is "the rows after (or before) this key, in this order, LIMIT size + 1".
// Every sort column goes the same direction and the last one is unique, so the order is total and stable
// while rows are added: a walk with `after` visits every row that existed when it started exactly once. The
// comparison is a row value ((a, b) > (?, ?)), which SQLite (≥ 3.15) and PostgreSQL both answer from an
// index on (…filters, a, b) without reading the rows before the cursor.
import type { Knex } from 'knex';
import { isPostgres, jsonRowColumn, jsonRows } from '../db/knex';
import { encodeCursor, type CursorKey, type Page, type PageRequest } from './cursor';

export interface KeysetOrder<Row> {
  /** SQL expressions of the sort key, most significant first (column names or e.g. COALESCE(a, b)). */
  columns: readonly string[];
  direction: 'asc' | 'desc';
  /** The key of a row as read (the same parts, in the same order). */
  keyOf(row: Row): CursorKey;
}

/**
 * Adds the cursor condition, the order and the limit to `q` for one page; returns the SQL builder. For a page read
 * as a branch of a larger statement: give the rows it fetched, sorted in the walk's order, to keysetPageOf.
 */
export function keysetQuery<Row>(
  q: Knex.QueryBuilder,
  order: KeysetOrder<Row>,
  request: PageRequest,
  opts: { literalLimit?: boolean } = {},
): Knex.QueryBuilder {
  const backwards = Boolean(request.before);
  const cursor = request.after ?? request.before;
  const ascending = (order.direction === 'asc') !== backwards;
  if (cursor) {
    const placeholders = cursor.map(() => '?').join(', ');
    q.whereRaw(`(${order.columns.join(', ')}) ${ascending ? '>' : '<'} (${placeholders})`, [...cursor]);
    // Implied by the row value, stated for SQLite: it bounds an index range by a row value only when the
    // columns are plain columns; on an expression (the queue's COALESCE) it needs the first part alone.
    if (order.columns.length > 1) q.whereRaw(`${order.columns[0]} ${ascending ? '>=' : '<='} ?`, [cursor[0]!]);
  }
  q.orderByRaw(order.columns.map((c) => `${c} ${ascending ? 'asc' : 'desc'}`).join(', '));
  // Written as text only when it is a plain integer (page sizes are: src/pagination/cursor.ts).
  const limit = request.size + 1;
  return opts.literalLimit && Number.isSafeInteger(limit) && limit > 0
    ? q.limit(limit, { skipBinding: true })
    : q.limit(limit);
}

/** Runs a keyset page: the rows in the list's order and the cursors of the next and previous pages. */
export async function keysetPage<Row>(
  q: Knex.QueryBuilder,
  order: KeysetOrder<Row>,
  request: PageRequest,
): Promise<Page<Row>> {
  return keysetPageOf((await keysetQuery(q, order, request)) as Row[], order, request);
}

/** Compares two keys part by part (strings by code unit, as SQLite's BINARY collation and ISO/UUID text sort). */
/** The order of a list read in branches: the same sort key once more, over the branches' output columns. */
export interface UnionKeysetOrder<Row> extends KeysetOrder<Row> {
  /** SQL of the sort key over the merged rows `m` (e.g. COALESCE(m.submitted_at, m.stage_entered_at), m.id). */
  mergedColumns: readonly string[];
}

/**
 * A keyset page over several disjoint branches of one list (e.g. one per stage and status): each branch is read
 * as its own page query (cursor, order, LIMIT size + 1: one index range when an index starts with the branch's
 * equality filters and ends with the sort key), all in one UNION ALL statement whose outer ORDER BY / LIMIT
 * merges them. The same page as one query over their union would give, without sorting every row of the union:
 * the database sorts at most branches × (size + 1) rows and hands back size + 1, so the rows the driver turns
 * into objects follow the page size, not the number of branches (a row costs ~5 µs there; bench/scale-queue.ts).
 */
export async function keysetUnionPage<Row>(
  run: Knex | Knex.Transaction,
  branches: readonly Knex.QueryBuilder[],
  order: UnionKeysetOrder<Row>,
  request: PageRequest,
  /** The branches' output columns: on SQLite the merged rows then come back as one JSON text each (selectRows). */
  columns?: readonly string[],
): Promise<Page<Row>> {
  if (branches.length === 0) return { rows: [], next: null, previous: null };
  // The branches' limits are written into the text: SQLite re-prepares a statement whose LIMIT is bound on
  // every run (see P7 in src/db/sqlite-driver-patches.ts, which inlines only a trailing one, the outer here).
  const limited = branches.map((b) => keysetQuery(b, order, request, { literalLimit: true }));
  if (limited.length === 1) return keysetPageOf((await limited[0]!) as Row[], order, request);
  const [first, ...rest] = limited.map((q, i) => run.select('*').from(q.as(`u${i}`)));
  const direction = keysetWalksAscending(order, request) ? 'asc' : 'desc';
  const packed = columns && !isPostgres(run);
  const merged = run
    .select(packed ? jsonRowColumn(run, 'm', columns) : '*')
    .from(first!.unionAll(rest).as('m'))
    .orderByRaw(order.mergedColumns.map((c) => `${c} ${direction}`).join(', '))
    .limit(request.size + 1);
  const rows = packed ? jsonRows<Row>((await merged) as { r: string }[], columns) : ((await merged) as Row[]);
  return keysetPageOf(rows, order, request);
}

/** The walk's order of a page request: ascending or not (a `before` page is read backwards, then reversed). */
export function keysetWalksAscending(order: Pick<KeysetOrder<unknown>, 'direction'>, request: PageRequest): boolean {
  return (order.direction === 'asc') !== Boolean(request.before);
}

/** A page from the rows a page query fetched (up to size + 1, in the walk's order). */
export function keysetPageOf<Row>(fetched: Row[], order: KeysetOrder<Row>, request: PageRequest): Page<Row> {
  const more = fetched.length > request.size;
  const rows = fetched.slice(0, request.size);
  if (request.before) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  // Walking forwards, a further page exists when the query found one row more than it shows; a previous one
  // when the walk did not start here. Walking backwards, the other way round.
  const hasNext = request.before ? Boolean(last) : more;
  const hasPrevious = request.before ? more : Boolean(request.after && first);
  return {
    rows,
    next: hasNext && last ? encodeCursor(order.keyOf(last)) : null,
    previous: hasPrevious && first ? encodeCursor(order.keyOf(first)) : null,
  };
}
