// knex queries for the security inspection's findings and remediations (its uploaded files, with their bytes,
// are src/uploads/stored-files.ts over `security_files`, created by the service).
import { unionAllOfLimited, type Runner } from '../db/knex';
import type { KeyPart, Page, PageRequest } from '../pagination/cursor';
import { keysetPage, keysetPageOf, keysetQuery, keysetWalksAscending, type KeysetOrder } from '../pagination/keyset';
import { SEVERITIES, type FindingStatus, type Severity } from './finding-lifecycle';
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

/**
 * The findings' order: most severe first (severity_rank, SEVERITIES' index), then oldest first; the id makes it
 * total. A page is one range of the index (application_id, severity_rank, created_at, id).
 */
interface FindingRow {
  severity_rank: number | string;
  created_at: string;
  id: string;
}
const FINDING_ORDER: KeysetOrder<FindingRow> = {
  columns: ['severity_rank', 'created_at', 'id'],
  direction: 'asc',
  keyOf: (r) => [Number(r.severity_rank), r.created_at, r.id],
};
/** The parts of a findings cursor (severity_rank, created_at, id). */
export const FINDING_CURSOR: readonly KeyPart[] = ['integer', 'string', 'string'];

interface RemediationRow {
  id: string;
  finding_id: string;
  text: string;
  file_id: string | null;
  submitted_by: string;
  submitted_at: string;
  submitted_by_name: string | null;
}
/**
 * One finding's remediations, newest first, then id (unique): a page is one range of the index
 * (finding_id, submitted_at, id) of migration 20261204220100.
 */
const NEWEST_REMEDIATION_FIRST: KeysetOrder<RemediationRow> = {
  columns: ['m.submitted_at', 'm.id'],
  direction: 'desc',
  keyOf: (r) => [r.submitted_at, r.id],
};
export const REMEDIATION_CURSOR: readonly KeyPart[] = ['string', 'string'];

function remediationOf(m: RemediationRow): Remediation {
  return {
    id: m.id,
    findingId: m.finding_id,
    text: m.text,
    fileId: m.file_id ?? null,
    submittedBy: m.submitted_by,
    submittedByName: m.submitted_by_name ?? null,
    submittedAt: m.submitted_at,
    file: null,
  };
}

/** The remediations of one finding of the application, with who sent them (a keyset page adds its order). */
function remediationsOf(run: Runner, applicationId: string, findingId: string) {
  return run('security_remediations as m')
    .leftJoin('users as u', 'u.id', 'm.submitted_by')
    .where('m.finding_id', findingId)
    .andWhere('m.application_id', applicationId)
    .select(
      'm.id',
      'm.finding_id',
      'm.text',
      'm.file_id',
      'm.submitted_by',
      'm.submitted_at',
      'u.name as submitted_by_name',
    );
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
    /** One page of an application's findings, most severe first (FINDING_ORDER). */
    async findingsPage(run: Runner, applicationId: string, request: PageRequest): Promise<Page<Finding>> {
      const page = await keysetPage(
        run('security_findings').where({ application_id: applicationId }),
        FINDING_ORDER,
        request,
      );
      return { ...page, rows: page.rows.map(finding) };
    },
    /** The titles of the findings `ids` names (the history's events name findings that may be on another page). */
    async findingTitles(run: Runner, applicationId: string, ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await run('security_findings')
        .where({ application_id: applicationId })
        .whereIn('id', [...new Set(ids)])
        .select('id', 'title');
      return new Map(rows.map((r: { id: string; title: string }) => [r.id, r.title]));
    },
    /** How many findings are open (not closed or withdrawn), and how many of them are critical or high. */
    async countOpen(run: Runner, applicationId: string): Promise<{ open: number; openCriticalOrHigh: number }> {
      const rows = await run('security_findings')
        .where({ application_id: applicationId })
        .whereNotIn('status', ['closed', 'withdrawn'])
        .select('severity')
        .count<{ severity: string; n: number | string }[]>({ n: '*' })
        .groupBy('severity');
      let open = 0;
      let openCriticalOrHigh = 0;
      for (const r of rows) {
        open += Number(r.n);
        if (r.severity === 'critical' || r.severity === 'high') openCriticalOrHigh += Number(r.n);
      }
      return { open, openCriticalOrHigh };
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
        severity_rank: SEVERITIES.indexOf(f.severity),
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

    /**
     * A page of remediations for each finding `requests` names (the findings of one page: their newest, or the page
     * asked for), newest first, in one UNION ALL statement of one keyset branch per finding.
     */
    async remediationPages(
      run: Runner,
      applicationId: string,
      requests: ReadonlyMap<string, PageRequest>,
    ): Promise<Map<string, Page<Remediation>>> {
      const pages = new Map<string, Page<Remediation>>();
      if (requests.size === 0) return pages;
      const rows = await unionAllOfLimited<RemediationRow>(
        run,
        [...requests].map(([findingId, request]) =>
          keysetQuery(remediationsOf(run, applicationId, findingId), NEWEST_REMEDIATION_FIRST, request),
        ),
      );
      for (const [findingId, request] of requests) {
        // The union keeps no order: each finding's rows in its walk's order, then as its page.
        const sign = keysetWalksAscending(NEWEST_REMEDIATION_FIRST, request) ? 1 : -1;
        const own = rows
          .filter((r) => r.finding_id === findingId)
          .sort((x, y) =>
            x.submitted_at !== y.submitted_at
              ? sign * (x.submitted_at < y.submitted_at ? -1 : 1)
              : sign * (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
          );
        const page = keysetPageOf(own, NEWEST_REMEDIATION_FIRST, request);
        pages.set(findingId, { ...page, rows: page.rows.map(remediationOf) });
      }
      return pages;
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
