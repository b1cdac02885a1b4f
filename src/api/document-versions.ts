// The paging of the JSON API's documents lists (stage 1's application documents, stage 4's security
// documents): `?size=` versions of each kind, newest first (20 unless asked, at most 100), each kind with
// its number of versions and the `next` cursor of its older versions; `?kind=<kind>&after=<next>` is that
// kind's next page (the other kinds stay on their first page). Rule and reader: src/uploads/version-pages.ts.
import { Type } from '@sinclair/typebox';
import { PAGE_SIZE_MAX } from '../pagination/cursor';
import { API_VERSIONS_DEFAULT, type KindVersions } from '../uploads/version-pages';
import { Closed, OneOf } from './schemas';

/** The query string of a documents list over `kinds`. */
export function VersionsQuery(kinds: readonly string[]) {
  return Closed({
    kind: Type.Optional(OneOf(kinds, `the kind the \`after\` cursor pages: ${kinds.join(' | ')}`)),
    after: Type.Optional(Type.String({ maxLength: 400, description: 'the `next` cursor of a kind (with `kind`)' })),
    size: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: `versions of each kind (default ${API_VERSIONS_DEFAULT}, at most ${PAGE_SIZE_MAX})`,
      }),
    ),
  });
}

/** What each kind adds to its versions: how many there are and where the older ones start. */
export const VersionsPaging = {
  total_versions: Type.Integer({ description: 'how many versions the kind has' }),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'cursor of the older versions (pass as `after` with `kind`); null: the oldest is listed',
  }),
};

export function versionsPaging(v: KindVersions) {
  return { total_versions: v.total, next: v.older };
}
