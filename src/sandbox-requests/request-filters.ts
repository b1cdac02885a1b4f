// Rule: the requests page and API accept only well-formed filters, and name the field of any that is
// not (422), never a 500: api = a catalogue-style key, result = success | error | an rsp_code, user =
// a 10-digit user_seq_no, from/to = a date or date-time in Korean time; the API's before = a cursor it
// gave and limit = 1–100; the pages' after / before / size follow src/pagination/cursor.ts. Dates are read in KST (the test bed's clock) and become UTC instants.
import type { FieldError } from '../http/errors';
import type { RequestLogFilter } from '../testbed/common/request-log-queries';
import { MAX_REQUEST_SEQ, PAGE_SIZE_MAX } from '../testbed/common/request-log-queries';
import { encodeCursor, pageSizeOf, readPageRequest, PAGE_SIZE_DEFAULT } from '../pagination/cursor';

/** The request log's cursor: the seq of the row on a page's edge. */
const SEQ_CURSOR = ['integer'] as const;

export interface RequestFilterValues {
  api: string;
  result: string;
  user_seq_no: string;
  from: string;
  to: string;
}

const KST_OFFSET = '+09:00';

function text(q: Record<string, unknown>, k: string): string {
  const v = q[k];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

/** "2026-12-03" or "2026-12-03T15:04" (KST) → ISO UTC; date-only `to` means the end of that day. */
function kstInstant(value: string, endOfDay: boolean): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const d0 = new Date(`${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${KST_OFFSET}`);
  if (Number.isNaN(d0.getTime())) return null;
  // Reject dates the Date constructor rolled over (2026-02-30).
  const back = new Date(d0.getTime() + 9 * 3600_000).toISOString();
  if (back.slice(0, 10) !== `${y}-${mo}-${d}`) return null;
  if (endOfDay && h === undefined) return new Date(d0.getTime() + 86_400_000).toISOString();
  return d0.toISOString();
}

export function parseRequestFilters(
  query: unknown,
  opts: { withLimit?: boolean } = {},
): { filter: RequestLogFilter; values: RequestFilterValues; errors: FieldError[] } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const values: RequestFilterValues = {
    api: text(q, 'api'),
    result: text(q, 'result'),
    user_seq_no: text(q, 'user_seq_no'),
    from: text(q, 'from'),
    to: text(q, 'to'),
  };
  const errors: FieldError[] = [];
  const filter: RequestLogFilter = {};
  if (values.api) {
    if (/^[a-z][a-z0-9_]{0,39}$/.test(values.api)) filter.api = values.api;
    else errors.push({ field: 'api', message: 'requests.errors.api' });
  }
  if (values.result) {
    const r = values.result;
    if (r === 'success' || r === 'error') filter.result = r;
    else if (/^[AaOo]\d{4}$/.test(r)) filter.result = r.toUpperCase();
    else errors.push({ field: 'result', message: 'requests.errors.result' });
  }
  if (values.user_seq_no) {
    if (/^\d{10}$/.test(values.user_seq_no)) filter.userSeqNo = values.user_seq_no;
    else errors.push({ field: 'user_seq_no', message: 'requests.errors.user_seq_no' });
  }
  if (values.from) {
    const from = kstInstant(values.from, false);
    if (from) filter.from = from;
    else errors.push({ field: 'from', message: 'requests.errors.date' });
  }
  if (values.to) {
    const to = kstInstant(values.to, true);
    if (to) filter.to = to;
    else errors.push({ field: 'to', message: 'requests.errors.date' });
  }
  if (filter.from && filter.to && filter.to <= filter.from)
    errors.push({ field: 'to', message: 'requests.errors.to_before_from' });
  const before = text(q, 'before');
  const after = text(q, 'after');
  if (opts.withLimit) {
    // The JSON API: `before` is the `next` seq a page gave (older rows), as it always was.
    if (before) {
      if (/^[1-9]\d{0,14}$/.test(before)) filter.before = Number(before);
      else errors.push({ field: 'before', message: 'requests.errors.before' });
    }
  } else {
    // The pages: the shared cursors (src/pagination/cursor.ts), `after` = older, `before` = newer; a bare
    // number in `before` is a link from before the shared cursors (older than that seq). A cursor the page
    // did not give out reads as the first page.
    if (/^[1-9]\d{0,14}$/.test(before)) filter.before = Number(before);
    else {
      const { page } = readPageRequest({ after, before }, SEQ_CURSOR);
      if (page.after) filter.before = Number(page.after[0]);
      else if (page.before) filter.after = Number(page.before[0]);
    }
    filter.limit = pageSizeOf(q.size);
  }
  // A bound past the largest request number: "older than it" is every row, "newer than it" none; never a value the
  // database refuses (PostgreSQL's integer column).
  if (filter.before !== undefined && filter.before > MAX_REQUEST_SEQ) filter.before = undefined;
  if (filter.after !== undefined && filter.after > MAX_REQUEST_SEQ) filter.after = MAX_REQUEST_SEQ;
  if (opts.withLimit) {
    const limit = text(q, 'limit');
    if (limit) {
      const n = /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
      if (n >= 1 && n <= PAGE_SIZE_MAX) filter.limit = n;
      else errors.push({ field: 'limit', message: 'requests.errors.limit', params: { max: PAGE_SIZE_MAX } });
    }
  }
  return { filter, values, errors };
}

/** The query string for the same filters plus a cursor: `after` the next (older) page, `before` the previous. */
export function filterQuery(
  values: RequestFilterValues,
  cursor?: { after?: number | null; before?: number | null },
  size: number = PAGE_SIZE_DEFAULT,
): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) p.set(k, v);
  if (size !== PAGE_SIZE_DEFAULT) p.set('size', String(size));
  if (cursor?.after) p.set('after', encodeCursor([cursor.after]));
  else if (cursor?.before) p.set('before', encodeCursor([cursor.before]));
  const s = p.toString();
  return s ? `?${s}` : '';
}
