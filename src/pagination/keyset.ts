// Keyset pagination in SQL: a page is "the rows after (or before) this key, in this order, LIMIT size + 1".
// Every sort column goes the same direction and the last one is unique, so the order is total and stable
// while rows are added: a walk with `after` visits every row that existed when it started exactly once. The
// comparison is a row value ((a, b) > (?, ?)), which SQLite (≥ 3.15) and PostgreSQL both answer from an
// index on (…filters, a, b) without reading the rows before the cursor.
import type { Knex } from 'knex';
import { encodeCursor, type CursorKey, type Page, type PageRequest } from './cursor';

export interface KeysetOrder<Row> {
  /** SQL expressions of the sort key, most significant first (column names or e.g. COALESCE(a, b)). */
  columns: readonly string[];
  direction: 'asc' | 'desc';
  /** The key of a row as read (the same parts, in the same order). */
  keyOf(row: Row): CursorKey;
}

/** Adds the cursor condition, the order and the limit to `q` for one page; returns the SQL builder. */
function keysetQuery<Row>(q: Knex.QueryBuilder, order: KeysetOrder<Row>, request: PageRequest): Knex.QueryBuilder {
  const backwards = Boolean(request.before);
  const cursor = request.after ?? request.before;
  const ascending = (order.direction === 'asc') !== backwards;
  if (cursor) {
    const placeholders = cursor.map(() => '?').join(', ');
    q.whereRaw(`(${order.columns.join(', ')}) ${ascending ? '>' : '<'} (${placeholders})`, [...cursor]);
  }
  q.orderByRaw(order.columns.map((c) => `${c} ${ascending ? 'asc' : 'desc'}`).join(', '));
  return q.limit(request.size + 1);
}

/** Runs a keyset page: the rows in the list's order and the cursors of the next and previous pages. */
export async function keysetPage<Row>(
  q: Knex.QueryBuilder,
  order: KeysetOrder<Row>,
  request: PageRequest,
): Promise<Page<Row>> {
  const fetched = (await keysetQuery(q, order, request)) as Row[];
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
