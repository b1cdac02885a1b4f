// knex queries for an application's answers per section, its frozen versions and reference counters. The
// application row itself belongs to src/workflow/applications.ts (loading, locking, creating it).
import type { Runner } from '../db/knex';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';
import type { SectionData, SectionKey } from './sections';

export interface AnswerRow {
  application_id: string;
  section: string;
  data: string;
  updated_at: string;
  updated_by: string | null;
}
export interface VersionRow {
  id: string;
  application_id: string;
  version: number;
  stage: string;
  answers: string;
  submitted_by: string | null;
  submitted_at: string;
}

/** An application's versions, newest first: `version` is unique per application (index (application_id, version)). */
const NEWEST_VERSION_FIRST: KeysetOrder<VersionRow> = {
  columns: ['version'],
  direction: 'desc',
  keyOf: (row) => [Number(row.version)],
};
/** The shape of the versions list's cursor (the version number). */
export const VERSIONS_CURSOR = ['integer'] as const;

/** Each method runs on the runner it is given first (the database or the caller's transaction). */
export function createOnboardingRepository() {
  return {
    /** Serializes "create the organization's application" on PostgreSQL. */
    async lockOrganization(run: Runner, organizationId: string): Promise<void> {
      await run('organizations').where({ id: organizationId }).forUpdate().first('id');
    },
    async listAnswers(run: Runner, applicationId: string): Promise<Partial<Record<SectionKey, SectionData>>> {
      const rows = await run<AnswerRow>('application_answers').where({ application_id: applicationId });
      const out: Partial<Record<SectionKey, SectionData>> = {};
      for (const row of rows) out[row.section as SectionKey] = JSON.parse(row.data) as SectionData;
      return out;
    },
    /** One row per (application, section): saving one page never touches another page's answers. */
    async upsertAnswer(
      run: Runner,
      a: { applicationId: string; section: SectionKey; data: SectionData; userId: string; now: string },
    ): Promise<void> {
      await run('application_answers')
        .insert({
          application_id: a.applicationId,
          section: a.section,
          data: JSON.stringify(a.data),
          updated_at: a.now,
          updated_by: a.userId,
        })
        .onConflict(['application_id', 'section'])
        .merge(['data', 'updated_at', 'updated_by']);
    },
    async insertVersion(
      run: Runner,
      v: {
        id: string;
        applicationId: string;
        version: number;
        stage: string;
        answers: Record<string, unknown>;
        userId: string;
        now: string;
      },
    ): Promise<void> {
      await run('application_versions').insert({
        id: v.id,
        application_id: v.applicationId,
        version: v.version,
        stage: v.stage,
        answers: JSON.stringify(v.answers),
        submitted_by: v.userId,
        submitted_at: v.now,
      });
    },
    /** A page of the versions, newest first (keyset on version: one range of the unique index (application_id, version)). */
    async versionsPage(run: Runner, applicationId: string, page: PageRequest): Promise<Page<VersionRow>> {
      const found = await keysetPage(
        run<VersionRow>('application_versions').where({ application_id: applicationId }),
        NEWEST_VERSION_FIRST,
        page,
      );
      return { ...found, rows: found.rows.map((v) => ({ ...v, version: Number(v.version) })) };
    },
    /** Next number for the year in one atomic statement (upsert + increment), inside the caller's transaction. */
    async nextReferenceNumber(run: Runner, year: number): Promise<number> {
      const rows = await run('reference_counters')
        .insert({ year, last_value: 1 })
        .onConflict('year')
        .merge({ last_value: run.raw('?? + 1', ['reference_counters.last_value']) })
        .returning('last_value');
      const first = (rows as unknown as ({ last_value: number | string } | number)[])[0];
      return Number(typeof first === 'object' && first !== null ? first.last_value : first);
    },
  };
}
