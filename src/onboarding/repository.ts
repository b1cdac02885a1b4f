// knex queries for applications, their answers per section, frozen versions and reference counters.
import type { Runner } from '../db/knex';
import type { SectionData, SectionKey } from './sections';

export interface ApplicationRow {
  id: string;
  organization_id: string;
  reference: string | null;
  stage: string;
  status: string;
  current_version: number;
  changes_requested_sections: string | null;
  claimed_by: string | null;
  stage_entered_at: string;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
}
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

function normalize(row: ApplicationRow): ApplicationRow {
  return { ...row, current_version: Number(row.current_version) };
}

export function createOnboardingRepository(db: Runner) {
  const r = (trx?: Runner) => trx ?? db;
  return {
    async findApplication(id: string, trx?: Runner): Promise<ApplicationRow | undefined> {
      const row = await r(trx)<ApplicationRow>('applications').where({ id }).first();
      return row ? normalize(row) : undefined;
    },
    /** Locks the row on PostgreSQL (no-op on SQLite, whose transactions are exclusive). */
    async findApplicationForUpdate(id: string, trx: Runner): Promise<ApplicationRow | undefined> {
      const row = await trx<ApplicationRow>('applications').where({ id }).forUpdate().first();
      return row ? normalize(row) : undefined;
    },
    /** Newest first. */
    async listForOrganization(organizationId: string, trx?: Runner): Promise<ApplicationRow[]> {
      const rows = await r(trx)<ApplicationRow>('applications')
        .where({ organization_id: organizationId })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc');
      return rows.map(normalize);
    },
    /** Serializes "create the organization's application" on PostgreSQL. */
    async lockOrganization(organizationId: string, trx: Runner): Promise<void> {
      await trx('organizations').where({ id: organizationId }).forUpdate().first('id');
    },
    async insertApplication(a: { id: string; organizationId: string; now: string }, trx?: Runner): Promise<void> {
      await r(trx)('applications').insert({
        id: a.id,
        organization_id: a.organizationId,
        reference: null,
        stage: 'application',
        status: 'draft',
        current_version: 0,
        changes_requested_sections: null,
        claimed_by: null,
        stage_entered_at: a.now,
        submitted_at: null,
        created_at: a.now,
        updated_at: a.now,
      });
    },
    async touchApplication(id: string, now: string, trx?: Runner): Promise<void> {
      await r(trx)('applications').where({ id }).update({ updated_at: now });
    },
    async listAnswers(applicationId: string, trx?: Runner): Promise<Partial<Record<SectionKey, SectionData>>> {
      const rows = await r(trx)<AnswerRow>('application_answers').where({ application_id: applicationId });
      const out: Partial<Record<SectionKey, SectionData>> = {};
      for (const row of rows) out[row.section as SectionKey] = JSON.parse(row.data) as SectionData;
      return out;
    },
    /** One row per (application, section): saving one page never touches another page's answers. */
    async upsertAnswer(
      a: { applicationId: string; section: SectionKey; data: SectionData; userId: string; now: string },
      trx?: Runner,
    ): Promise<void> {
      await r(trx)('application_answers')
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
    /**
     * Compare-and-set submit: only moves the application when it is still in `from` at `fromVersion`.
     * Returns false when someone else changed it first.
     */
    async markSubmitted(
      a: {
        id: string;
        from: { stage: string; status: string };
        to: { stage: string; status: string };
        fromVersion: number;
        reference: string;
        now: string;
      },
      trx: Runner,
    ): Promise<boolean> {
      const n = await trx('applications')
        .where({ id: a.id, stage: a.from.stage, status: a.from.status, current_version: a.fromVersion })
        .update({
          stage: a.to.stage,
          status: a.to.status,
          current_version: a.fromVersion + 1,
          reference: a.reference,
          changes_requested_sections: null,
          submitted_at: a.now,
          updated_at: a.now,
          // A resubmission (after changes were requested) returns to the reviewer who asked for them.
          ...(a.from.status === 'changes_requested' ? {} : { claimed_by: null }),
          // A resubmission stays in its stage: it has not newly entered it.
          ...(a.from.stage !== a.to.stage ? { stage_entered_at: a.now } : {}),
        });
      return n === 1;
    },
    async insertVersion(
      v: {
        id: string;
        applicationId: string;
        version: number;
        stage: string;
        answers: Record<string, unknown>;
        userId: string;
        now: string;
      },
      trx: Runner,
    ): Promise<void> {
      await trx('application_versions').insert({
        id: v.id,
        application_id: v.applicationId,
        version: v.version,
        stage: v.stage,
        answers: JSON.stringify(v.answers),
        submitted_by: v.userId,
        submitted_at: v.now,
      });
    },
    /** Oldest first. */
    async listVersions(applicationId: string, trx?: Runner): Promise<VersionRow[]> {
      const rows = await r(trx)<VersionRow>('application_versions')
        .where({ application_id: applicationId })
        .orderBy('version', 'asc');
      return rows.map((v) => ({ ...v, version: Number(v.version) }));
    },
    /** Next number for the year in one atomic statement (upsert + increment), inside the caller's transaction. */
    async nextReferenceNumber(year: number, trx: Runner): Promise<number> {
      const rows = await trx('reference_counters')
        .insert({ year, last_value: 1 })
        .onConflict('year')
        .merge({ last_value: trx.raw('?? + 1', ['reference_counters.last_value']) })
        .returning('last_value');
      const first = (rows as unknown as ({ last_value: number | string } | number)[])[0];
      return Number(typeof first === 'object' && first !== null ? first.last_value : first);
    },
  };
}
export type OnboardingRepository = ReturnType<typeof createOnboardingRepository>;
