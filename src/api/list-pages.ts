// The JSON API's paged lists (src/pagination/cursor.ts): `?after=<next>&size=` in, a `next` cursor out. A
// cursor the list did not give out is a 422 naming `after`, as on every list; a size above 100 is 100.
import { Type } from '@sinclair/typebox';
import { validationFailed } from '../http/errors';
import { readPageRequest, type KeyPart, type PageRequest } from '../pagination/cursor';

/** A list's query parameters, to spread into its `Closed({…})` query schema; `what` names its rows. */
export function pageParams(what: string) {
  return {
    after: Type.Optional(Type.String({ maxLength: 400, description: 'the `next` cursor of a page' })),
    size: Type.Optional(Type.Integer({ minimum: 1, description: `${what} a page (default 50, at most 100)` })),
  };
}

/** The `next` field of a list's answer. */
export const NextCursor = Type.Union([Type.String(), Type.Null()], {
  description: 'cursor of the next page; null: the last',
});

/**
 * The page a list's query asks for; a cursor of another shape than `shape` is a 422 naming `field` (the query
 * parameter the cursor came in: `after`, or e.g. `versions_after` where an answer holds several lists).
 */
export function apiPageRequest(
  query: { after?: string; size?: number },
  shape: readonly KeyPart[],
  field = 'after',
): PageRequest {
  const { page, malformed } = readPageRequest({ after: query.after, size: String(query.size ?? '') }, shape);
  if (malformed) throw validationFailed([{ field, message: 'pagination.malformed' }]);
  return page;
}
