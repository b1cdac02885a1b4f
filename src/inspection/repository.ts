// knex queries for the security inspection's findings and remediations (its uploaded files, with their bytes,
// are src/uploads/stored-files.ts over `security_files`, created by the service).
import type { Runner } from '../db/knex';
import type { FindingStatus, Severity } from './finding-lifecycle';
import type { FileMeta } from '../uploads/stored-files';

export type { FileMeta, FileWithContent } from '../uploads/stored-files';

export interface Finding {
  id: string;
  applicationId: string;
  organizationId: string;
  severity: Severity;
  title: string;
  description: string;
  status: FindingStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedBy: string | null;
  closedAt: string | null;
}
export interface Remediation {
  id: string;
  findingId: string;
  text: string;
  fileId: string | null;
  submittedBy: string;
  submittedByName: string | null;
  submittedAt: string;
  file: FileMeta | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a database row as the driver returns it (types differ between SQLite and PostgreSQL); this mapper is the one place that reads it
function finding(r: any): Finding {
  return {
    id: r.id,
    applicationId: r.application_id,
    organizationId: r.organization_id,
    severity: r.severity,
    title: r.title,
    description: r.description,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedBy: r.closed_by ?? null,
    closedAt: r.closed_at ?? null,
  };
}

/** Each method runs on the runner it is given first (the database or the caller's transaction). */
export function createInspectionRepository() {
  return {
    async listFindings(run: Runner, applicationId: string): Promise<Finding[]> {
      const rows = await run('security_findings')
        .where({ application_id: applicationId })
        .orderByRaw("CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END")
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc');
      return rows.map(finding);
    },
    async findFinding(run: Runner, applicationId: string, findingId: string): Promise<Finding | undefined> {
      const row = await run('security_findings').where({ application_id: applicationId, id: findingId }).first();
      return row ? finding(row) : undefined;
    },
    /** Locks the findings of an application until the transaction ends (PostgreSQL; SQLite transactions are exclusive). */
    async lockFindings(run: Runner, applicationId: string): Promise<Finding[]> {
      const rows = await run('security_findings').where({ application_id: applicationId }).forUpdate();
      return rows.map(finding);
    },
    async insertFinding(run: Runner, f: Finding): Promise<void> {
      await run('security_findings').insert({
        id: f.id,
        application_id: f.applicationId,
        organization_id: f.organizationId,
        severity: f.severity,
        title: f.title,
        description: f.description,
        status: f.status,
        created_by: f.createdBy,
        created_at: f.createdAt,
        updated_at: f.updatedAt,
        closed_by: f.closedBy,
        closed_at: f.closedAt,
      });
    },
    /** Compare-and-set on the finding's status: false when someone else changed it first. */
    async updateFindingStatus(
      run: Runner,
      id: string,
      expected: FindingStatus,
      next: { status: FindingStatus; updatedAt: string; closedBy: string | null; closedAt: string | null },
    ): Promise<boolean> {
      const n = await run('security_findings').where({ id, status: expected }).update({
        status: next.status,
        updated_at: next.updatedAt,
        closed_by: next.closedBy,
        closed_at: next.closedAt,
      });
      return n === 1;
    },
    async countOpenCriticalOrHigh(run: Runner, applicationId: string): Promise<number> {
      const row = await run('security_findings')
        .where({ application_id: applicationId })
        .whereIn('severity', ['critical', 'high'])
        .whereNot({ status: 'closed' })
        .count<{ n: number | string }[]>({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },

    async listRemediations(run: Runner, applicationId: string): Promise<Remediation[]> {
      const rows = await run('security_remediations as m')
        .leftJoin('users as u', 'u.id', 'm.submitted_by')
        .where('m.application_id', applicationId)
        .orderBy('m.submitted_at', 'asc')
        .orderBy('m.id', 'asc')
        .select(
          'm.id',
          'm.finding_id',
          'm.text',
          'm.file_id',
          'm.submitted_by',
          'm.submitted_at',
          'u.name as submitted_by_name',
        );
      return rows.map((m) => ({
        id: m.id,
        findingId: m.finding_id,
        text: m.text,
        fileId: m.file_id ?? null,
        submittedBy: m.submitted_by,
        submittedByName: m.submitted_by_name ?? null,
        submittedAt: m.submitted_at,
        file: null,
      }));
    },
    async insertRemediation(
      run: Runner,
      m: {
        id: string;
        findingId: string;
        applicationId: string;
        text: string;
        fileId: string | null;
        submittedBy: string;
        submittedAt: string;
      },
    ): Promise<void> {
      await run('security_remediations').insert({
        id: m.id,
        finding_id: m.findingId,
        application_id: m.applicationId,
        text: m.text,
        file_id: m.fileId,
        submitted_by: m.submittedBy,
        submitted_at: m.submittedAt,
      });
    },
  };
}
