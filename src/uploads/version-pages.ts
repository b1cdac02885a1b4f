// Rule: a documents page shows each kind's newest VERSIONS_PER_PAGE versions and its number of versions; a
// kind's older versions are paged one kind at a time with the shared keyset cursor on the version
// (src/pagination): `?kind=<slot>&after=<cursor>` is the next older page, `&before=<cursor>` the newer one.
// A kind the page does not list, or a cursor it did not give out, reads as the first page, never a 500.
// The JSON API pages the same way (readApiVersionPage): `?size=` versions of each kind (API_VERSIONS_DEFAULT,
// at most PAGE_SIZE_MAX), `?kind=<kind>&after=<next>` the next older page of one kind; a cursor it did not give
// out is a 422.
import { encodeCursor, pageSizeOf, readPageRequest, type KeyPart, type PageRequest } from '../pagination/cursor';
import { validationFailed } from '../http/errors';
import { PageQuery } from '../http/route-schemas';
import type { createStoredFiles, FileMeta } from './stored-files';

/** How many versions of one document kind a page shows at a time. */
export const VERSIONS_PER_PAGE = 5;

const VERSION_CURSOR: readonly KeyPart[] = ['integer'];

/** The documents pages' query string: the kind being paged and its cursor (others let through). */
export const VersionPageQuery = PageQuery(['kind', 'after', 'before']);

/** Which kind's older versions a page asks for; null for the first page of every kind. */
export interface VersionPageRequest {
  kind: string;
  page: PageRequest;
}

/** How many versions of each kind the JSON API answers when `?size=` is not given. */
export const API_VERSIONS_DEFAULT = 20;

/** What the JSON API's documents lists ask for: `size` versions of every kind, one kind's page past a cursor. */
export interface ApiVersionsRequest {
  size: number;
  page: VersionPageRequest | null;
}

/**
 * `?size=&kind=&after=` of the JSON API's documents lists. `after` without `kind`, or a cursor this list did
 * not give out, is a validation error (422), as on the API's other lists.
 */
export function readApiVersionPage(query: { kind?: string; after?: string; size?: number }): ApiVersionsRequest {
  const size = pageSizeOf(query.size === undefined ? '' : String(query.size), API_VERSIONS_DEFAULT);
  if (query.after === undefined) return { size, page: null };
  if (!query.kind) throw validationFailed([{ field: 'kind', message: 'pagination.kind_required' }]);
  const { page, malformed } = readPageRequest({ after: query.after }, VERSION_CURSOR);
  if (malformed || !page.after) throw validationFailed([{ field: 'after', message: 'pagination.malformed' }]);
  return { size, page: { kind: query.kind, page: { ...page, size } } };
}

/** `?kind=&after=|before=` when the kind is one of `kinds` and the cursor is one of ours; otherwise null. */
export function readVersionPage(query: unknown, kinds: readonly string[]): VersionPageRequest | null {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  // One kind at a time: a repeated `kind` is not a link the page gave out.
  const kind = typeof q.kind === 'string' ? q.kind : '';
  if (!kinds.includes(kind)) return null;
  const { page, malformed } = readPageRequest({ after: q.after, before: q.before }, VERSION_CURSOR);
  if (malformed || !(page.after || page.before)) return null;
  return { kind, page: { ...page, size: VERSIONS_PER_PAGE } };
}

/** One kind's versions as a page shows them, with the cursors to its older and newer versions. */
export interface KindVersions {
  /** The versions shown: the newest ones, or the requested page of this kind. */
  versions: FileMeta[];
  /** The newest version whatever page is shown (null: nothing uploaded). */
  latest: FileMeta | null;
  /** How many versions the kind has. */
  total: number;
  /** Cursor of the next older page (null: the oldest version is shown). */
  older: string | null;
  /** Cursor of the next newer page (null: the newest versions are shown). */
  newer: string | null;
  /** Whether an older page is shown (the page then offers a link back to the newest versions). */
  paged: boolean;
}

type Files = Pick<ReturnType<typeof createStoredFiles>, 'latestVersions' | 'versionPage'>;

/**
 * The versions of each kind for a documents page: the newest `size` (VERSIONS_PER_PAGE on the pages) of every
 * kind and their counts (two statements), plus the requested kind's page (one more). Bounded whatever the
 * number of versions.
 */
export async function readKindVersions(
  files: Files,
  applicationId: string,
  kinds: readonly string[],
  request: VersionPageRequest | null,
  size = VERSIONS_PER_PAGE,
): Promise<Map<string, KindVersions>> {
  const [latest, paged] = await Promise.all([
    files.latestVersions(applicationId, kinds, size),
    request ? files.versionPage(applicationId, request.kind, request.page) : null,
  ]);
  const result = new Map<string, KindVersions>();
  for (const kind of kinds) {
    const newest = latest.files.filter((f) => f.slot === kind);
    const total = latest.counts.get(kind) ?? 0;
    const oldestShown = newest[newest.length - 1];
    // A page with no versions (a cursor past the oldest or newest one, hand-made) reads as the first page.
    if (paged && paged.rows.length > 0 && request?.kind === kind) {
      result.set(kind, {
        versions: paged.rows,
        latest: newest[0] ?? null,
        total,
        older: paged.next,
        newer: paged.previous,
        paged: true,
      });
    } else {
      // The first page: older versions exist when the kind has more than it shows; they start past its last row.
      const older = total > newest.length && oldestShown ? encodeCursor([oldestShown.version]) : null;
      result.set(kind, { versions: newest, latest: newest[0] ?? null, total, older, newer: null, paged: false });
    }
  }
  return result;
}

/** The href of a kind's page: the page's path with `kind` and one cursor, anchored at the kind's section. */
function versionPageHref(base: string, kind: string, cursor: { after?: string | null; before?: string | null }) {
  const p = new URLSearchParams({ kind });
  if (cursor.after) p.set('after', cursor.after);
  else if (cursor.before) p.set('before', cursor.before);
  else return `${base}#document-${kind}`;
  return `${base}?${p.toString()}#document-${kind}`;
}

/**
 * The links of one kind's versions: older, newer, and back to the newest when an older page is shown; with
 * the versions shown (views/partials/document-versions-pager.hbs shows them when the kind needs more than a page).
 */
export function versionLinks(base: string, kind: string, v: KindVersions) {
  return {
    olderHref: v.older ? versionPageHref(base, kind, { after: v.older }) : null,
    newerHref: v.newer ? versionPageHref(base, kind, { before: v.newer }) : null,
    newestHref: v.paged ? versionPageHref(base, kind, {}) : null,
    newestShown: v.versions[0]?.version ?? null,
    oldestShown: v.versions[v.versions.length - 1]?.version ?? null,
  };
}
