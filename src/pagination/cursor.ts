// Rule: every list a person can page through is read a bounded page at a time by a keyset cursor.
// A cursor is the sort key of a row on the edge of a page ((created_at, id), (seq), …) as base64url JSON:
// opaque to the reader, checked on the way back in. A page asks for at most PAGE_SIZE_MAX rows (a larger
// `size` is capped, a nonsense one is the default), and a cursor the server did not issue (wrong shape,
// wrong types, not base64url JSON) is reported as malformed, never a 500: pages then show the first page,
// JSON APIs answer 422.

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 100;

export type KeyPart = 'string' | 'integer';
export type CursorKey = readonly (string | number)[];

/** What a page request asks for: rows after a key (the next page), before one (the previous page), or the first page. */
export interface PageRequest {
  after?: CursorKey;
  before?: CursorKey;
  size: number;
}

const MAX_CURSOR_TEXT = 400;
const MAX_STRING_PART = 200;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor, if it has exactly the expected parts; null for anything else. */
export function decodeCursor(text: string, shape: readonly KeyPart[]): CursorKey | null {
  if (text.length === 0 || text.length > MAX_CURSOR_TEXT || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) return null;
  for (let i = 0; i < shape.length; i++) {
    const v = parsed[i];
    if (shape[i] === 'integer' ? !Number.isSafeInteger(v) : typeof v !== 'string' || v.length > MAX_STRING_PART)
      return null;
  }
  return parsed as CursorKey;
}

function single(v: unknown): string {
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

/** `?size=`: 1–PAGE_SIZE_MAX; above the cap it is the cap, anything else (missing, 0, "abc") the default. */
export function pageSizeOf(raw: unknown, fallback = PAGE_SIZE_DEFAULT): number {
  const text = single(raw);
  if (!/^\d{1,9}$/.test(text)) return fallback;
  const n = Number(text);
  if (n < 1) return fallback;
  return Math.min(n, PAGE_SIZE_MAX);
}

/**
 * Reads `?after=`, `?before=` and `?size=` from a query. `malformed` names the cursor parameter that was
 * not one this list issues (the request then reads as the first page); both at once is malformed too.
 */
export function readPageRequest(
  query: unknown,
  shape: readonly KeyPart[],
): { page: PageRequest; malformed: 'after' | 'before' | null } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const page: PageRequest = { size: pageSizeOf(q.size) };
  const afterText = single(q.after);
  const beforeText = single(q.before);
  if (afterText && beforeText) return { page, malformed: 'before' };
  if (afterText) {
    const after = decodeCursor(afterText, shape);
    if (!after) return { page, malformed: 'after' };
    page.after = after;
  } else if (beforeText) {
    const before = decodeCursor(beforeText, shape);
    if (!before) return { page, malformed: 'before' };
    page.before = before;
  }
  return { page, malformed: null };
}

/** One page of rows with the cursors of its neighbours (null: no such page). */
export interface Page<Row> {
  rows: Row[];
  next: string | null;
  previous: string | null;
}

/**
 * The links of a page: the same query string with `after` or `before` set (and the other dropped), for
 * "next" and "previous"; `first` whenever the page is not the first one.
 */
export function pageLinks(
  base: string,
  query: Record<string, string | number | undefined | null>,
  page: Pick<Page<unknown>, 'next' | 'previous'>,
  request: PageRequest,
): { nextHref: string | null; previousHref: string | null; firstHref: string | null } {
  const href = (cursor: Record<string, string>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== null && v !== '' && k !== 'after' && k !== 'before') p.set(k, String(v));
    if (request.size !== PAGE_SIZE_DEFAULT) p.set('size', String(request.size));
    for (const [k, v] of Object.entries(cursor)) p.set(k, v);
    const s = p.toString();
    return s ? `${base}?${s}` : base;
  };
  return {
    nextHref: page.next ? href({ after: page.next }) : null,
    previousHref: page.previous ? href({ before: page.previous }) : null,
    firstHref: request.after || request.before ? href({}) : null,
  };
}

/**
 * The query string that asks for this same page again ('' on the first page), e.g. for the forms on a later
 * page, which then return to it. Built from a request this list already read and checked, never from text the
 * client sent, so a redirect to it cannot leave the list.
 */
export function samePageQuery(request: PageRequest): string {
  const p = new URLSearchParams();
  if (request.size !== PAGE_SIZE_DEFAULT) p.set('size', String(request.size));
  if (request.after) p.set('after', encodeCursor(request.after));
  else if (request.before) p.set('before', encodeCursor(request.before));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * One of several paged lists on a page, named `name`: its request from `?<name>_after=` / `?<name>_before=`
 * (a cursor it did not give out reads as the first page), `size` rows a page.
 */
export function readNamedPage(
  query: unknown,
  name: string,
  shape: readonly KeyPart[],
  size = PAGE_SIZE_DEFAULT,
): PageRequest {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  return { ...readPageRequest({ after: q[`${name}_after`], before: q[`${name}_before`] }, shape).page, size };
}

/** That list's links: `base?<name>_after=…#anchor`, `…_before=…`, and `base#anchor` back to its first page. */
export function namedPageLinks(
  base: string,
  name: string,
  anchor: string,
  page: Pick<Page<unknown>, 'next' | 'previous'>,
  request: PageRequest,
): { nextHref: string | null; previousHref: string | null; firstHref: string | null } {
  return {
    nextHref: page.next ? `${base}?${name}_after=${page.next}#${anchor}` : null,
    previousHref: page.previous ? `${base}?${name}_before=${page.previous}#${anchor}` : null,
    firstHref: request.after || request.before ? `${base}#${anchor}` : null,
  };
}
