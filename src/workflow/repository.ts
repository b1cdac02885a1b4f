// knex queries for the review workflow: the `applications` table (the only SQL on it: loading, locking,
// creating, compare-and-set of its state; applications.ts is how other modules reach it), the suitability
// checklist, testing reports and staff queues. Every method takes the runner first: the database or the
// caller's transaction.
import { unionAllOfLimited, type Runner } from '../db/knex';
import type { Stage, Status } from './state-machine';
import type { ChecklistEntry, ChecklistResult, SuitabilityItem } from './suitability-checklist';
import type { Page, PageRequest } from '../pagination/cursor';
import {
  keysetPage,
  keysetPageOf,
  keysetQuery,
  keysetUnionPage,
  keysetWalksAscending,
  type KeysetOrder,
  type UnionKeysetOrder,
} from '../pagination/keyset';

/** The queue's order: waiting since (submission, else the stage's start), oldest first, then id. */
const QUEUE_ORDER: UnionKeysetOrder<QueueRow> = {
  columns: ['COALESCE(a.submitted_at, a.stage_entered_at)', 'a.id'],
  mergedColumns: ['COALESCE(m.submitted_at, m.stage_entered_at)', 'm.id'],
  direction: 'asc',
  keyOf: (row) => [row.submitted_at ?? row.stage_entered_at, row.id],
};
export const QUEUE_CURSOR = ['string', 'string'] as const;
/** The columns of a queue row (QueueRow). */
export const QUEUE_COLUMNS = [
  'a.id',
  'a.organization_id',
  'a.reference',
  'o.name as organization_name',
  'a.stage',
  'a.status',
  'a.current_version',
  'a.changes_requested_sections',
  'a.submitted_at',
  'a.stage_entered_at',
  'a.claimed_by',
  'c.name as claimed_by_name',
] as const;

/** QUEUE_COLUMNS by the names a row has them under. */
const QUEUE_OUTPUT_COLUMNS = QUEUE_COLUMNS.map((c) => c.split(/ as |\./).pop()!);

export interface ApplicationRow {
  id: string;
  organization_id: string;
  reference: string | null;
  stage: Stage;
  status: Status;
  current_version: number;
  changes_requested_sections: string | null;
  claimed_by: string | null;
  stage_entered_at: string;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface ApplicationWithOrg extends ApplicationRow {
  organization_name: string;
  claimed_by_name: string | null;
  claimed_by_email: string | null;
}

export interface TestingReportRow {
  id: string;
  application_id: string;
  version: number;
  data: string;
  submitted_by: string | null;
  submitted_at: string;
}

export interface QueueRow {
  id: string;
  organization_id: string;
  reference: string | null;
  organization_name: string;
  stage: Stage;
  status: Status;
  current_version: number;
  changes_requested_sections: string | null;
  submitted_at: string | null;
  stage_entered_at: string;
  claimed_by_name: string | null;
  claimed_by: string | null;
}

export type StatePatch = Partial<
  Pick<
    ApplicationRow,
    | 'stage'
    | 'status'
    | 'changes_requested_sections'
    | 'claimed_by'
    | 'stage_entered_at'
    | 'submitted_at'
    | 'updated_at'
    | 'current_version'
    | 'reference'
  >
>;

export interface ChecklistRow {
  item: SuitabilityItem;
  result: ChecklistResult | null;
  note: string | null;
  updated_at: string;
  updated_by: string | null;
}

function normalize<T extends ApplicationRow>(row: T): T {
  return { ...row, current_version: Number(row.current_version) };
}

function checklistRows(run: Runner, applicationId: string): Promise<ChecklistRow[]> {
  return run('suitability_checklist')
    .where({ application_id: applicationId })
    .select('item', 'result', 'note', 'updated_at', 'updated_by');
}

/** An item's earlier result and note, with who set it and when it was replaced. */
export interface ChecklistHistoryRow {
  item: SuitabilityItem;
  result: ChecklistResult;
  note: string | null;
  set_at: string;
  replaced_at: string;
  set_by_name: string | null;
}

/** Test completion reports, newest first: `version` is unique per application (index (application_id, version)). */
const NEWEST_REPORT_FIRST: KeysetOrder<TestingReportRow> = {
  columns: ['version'],
  direction: 'desc',
  keyOf: (row) => [Number(row.version)],
};
/** The shape of the reports list's cursor (the report's version). */
export const TESTING_REPORTS_CURSOR = ['integer'] as const;

/** Earlier checklist results, newest first: `seq` grows with every change (index (application_id, seq)). */
const NEWEST_CHANGE_FIRST: KeysetOrder<{ seq: number }> = {
  columns: ['h.seq'],
  direction: 'desc',
  keyOf: (row) => [Number(row.seq)],
};
/** The shape of the checklist history's cursor (the change's seq). */
export const CHECKLIST_HISTORY_CURSOR = ['integer'] as const;

/** Each method runs on the runner it is given first (the database or the caller's transaction). */
export function createWorkflowRepository() {
  return {
    async findApplication(run: Runner, id: string): Promise<ApplicationWithOrg | undefined> {
      const row = await run('applications as a')
        .join('organizations as o', 'o.id', 'a.organization_id')
        .leftJoin('users as c', 'c.id', 'a.claimed_by')
        .where('a.id', id)
        .first<ApplicationWithOrg | undefined>(
          'a.*',
          'o.name as organization_name',
          'c.name as claimed_by_name',
          'c.email as claimed_by_email',
        );
      return row ? normalize(row) : undefined;
    },
    /** The row alone; with `forUpdate`, locked for the rest of the transaction (PostgreSQL; SQLite's is exclusive). */
    async findRow(run: Runner, id: string, opts: { forUpdate?: boolean } = {}): Promise<ApplicationRow | undefined> {
      const q = run<ApplicationRow>('applications').where({ id });
      if (opts.forUpdate) q.forUpdate();
      const row = await q.first();
      return row ? normalize(row) : undefined;
    },
    /** An organization's applications, newest first. */
    async listForOrganization(run: Runner, organizationId: string): Promise<ApplicationRow[]> {
      const rows = await run<ApplicationRow>('applications')
        .where({ organization_id: organizationId })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc');
      return rows.map(normalize);
    },
    /** An organization's newest application in brief (the credentials overview), or undefined. */
    latestForOrganization(
      run: Runner,
      organizationId: string,
    ): Promise<Pick<ApplicationRow, 'id' | 'reference' | 'stage' | 'status'> | undefined> {
      return run('applications')
        .where({ organization_id: organizationId })
        .orderBy('created_at', 'desc')
        .first('id', 'reference', 'stage', 'status');
    },
    /** A new application: a draft of stage 1, without a reference until its first submission. */
    async insertApplication(run: Runner, a: { id: string; organizationId: string; now: string }): Promise<void> {
      await run('applications').insert({
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
    /** Marks the application changed (its answers or documents) without changing its state. */
    async touchApplication(run: Runner, id: string, now: string): Promise<void> {
      await run('applications').where({ id }).update({ updated_at: now });
    },
    async currentState(
      run: Runner,
      id: string,
      opts: { forUpdate?: boolean } = {},
    ): Promise<{ stage: Stage; status: Status } | undefined> {
      const q = run('applications').where({ id });
      if (opts.forUpdate) q.forUpdate(); // PostgreSQL row lock; SQLite's single connection is exclusive already
      return q.first<{ stage: Stage; status: Status } | undefined>('stage', 'status');
    },
    /**
     * Compare-and-set: changes the row only if it is still in `from` (and at `currentVersion`, when given).
     * Returns the number of rows changed (0 or 1).
     */
    async compareAndSetState(
      run: Runner,
      id: string,
      from: { stage: Stage; status: Status },
      patch: StatePatch,
      expect: { currentVersion?: number } = {},
    ): Promise<number> {
      const q = run('applications').where({ id, stage: from.stage, status: from.status });
      if (expect.currentVersion !== undefined) q.andWhere({ current_version: expect.currentVersion });
      return q.update(patch);
    },
    checklist: checklistRows,
    /**
     * Saves the items. An item whose result changes moves its earlier result and note to the history; the
     * note the form sent back unchanged belonged to that earlier result and is not kept on the new one.
     */
    async saveChecklist(
      run: Runner,
      applicationId: string,
      entries: ChecklistEntry[],
      userId: string,
      now: string,
    ): Promise<void> {
      const before = new Map((await checklistRows(run, applicationId)).map((c) => [c.item, c]));
      for (const e of entries) {
        const old = before.get(e.item);
        let note = e.note || null;
        if (old?.result && old.result !== e.result) {
          await run('suitability_checklist_history').insert({
            application_id: applicationId,
            item: e.item,
            result: old.result,
            note: old.note,
            set_by: old.updated_by,
            set_at: old.updated_at,
            replaced_at: now,
          });
          if (note !== null && note === old.note) note = null;
        }
        await run('suitability_checklist')
          .insert({
            application_id: applicationId,
            item: e.item,
            result: e.result,
            note,
            updated_by: userId,
            updated_at: now,
          })
          .onConflict(['application_id', 'item'])
          .merge(['result', 'note', 'updated_by', 'updated_at']);
      }
    },
    /**
     * The checklist (as checklist() reads it) and a page of the items' earlier results and notes (newest change
     * first, with who set them) in one statement: the review page shows both. `kind` tells the rows apart; the
     * history's branch is a keyset page on the index (application_id, seq).
     */
    async checklistWithHistory(
      run: Runner,
      applicationId: string,
      historyPage: PageRequest,
    ): Promise<{ checklist: ChecklistRow[]; history: Page<ChecklistHistoryRow> }> {
      const current = run('suitability_checklist')
        .where({ application_id: applicationId })
        .select(
          run.raw("'current' AS kind"),
          'item',
          'result',
          'note',
          'updated_at',
          'updated_by',
          run.raw('NULL AS replaced_at'),
          run.raw('NULL AS set_by_name'),
          run.raw('0 AS seq'),
        );
      const earlier = keysetQuery(
        run('suitability_checklist_history as h')
          .leftJoin('users as u', 'u.id', 'h.set_by')
          .where('h.application_id', applicationId)
          .select(
            run.raw("'history' AS kind"),
            'h.item',
            'h.result',
            'h.note',
            'h.set_at as updated_at',
            'h.set_by as updated_by',
            'h.replaced_at',
            'u.name as set_by_name',
            'h.seq',
          ),
        NEWEST_CHANGE_FIRST,
        historyPage,
      );
      const rows = await unionAllOfLimited<Record<string, unknown>>(run, [current, earlier]);
      const checklist: ChecklistRow[] = [];
      const history: (ChecklistHistoryRow & { seq: number })[] = [];
      for (const r of rows) {
        if (r.kind === 'current')
          checklist.push({
            item: r.item as SuitabilityItem,
            result: r.result as ChecklistResult | null,
            note: r.note as string | null,
            updated_at: r.updated_at as string,
            updated_by: r.updated_by as string | null,
          });
        else
          history.push({
            item: r.item as SuitabilityItem,
            result: r.result as ChecklistResult,
            note: r.note as string | null,
            set_at: r.updated_at as string,
            replaced_at: r.replaced_at as string,
            set_by_name: r.set_by_name as string | null,
            seq: Number(r.seq),
          });
      }
      // The union keeps no order: the page's rows in the walk's order, then as a page.
      const sign = keysetWalksAscending(NEWEST_CHANGE_FIRST, historyPage) ? 1 : -1;
      history.sort((a, b) => sign * (a.seq - b.seq));
      const page = keysetPageOf<ChecklistHistoryRow & { seq: number }>(history, NEWEST_CHANGE_FIRST, historyPage);
      return { checklist, history: { ...page, rows: page.rows.map(({ seq: _seq, ...h }) => h) } };
    },
    /** How many earlier results each checklist item has (the index (application_id, item, seq), no table read). */
    async checklistHistoryCounts(run: Runner, applicationId: string): Promise<Map<string, number>> {
      const rows = await run('suitability_checklist_history')
        .where({ application_id: applicationId })
        .groupBy('item')
        .select('item', run.raw('COUNT(*) AS n'));
      return new Map(rows.map((r: { item: string; n: number | string }) => [r.item, Number(r.n)]));
    },
    /** How many test completion reports an application has (the unique index (application_id, version)). */
    async countTestingReports(run: Runner, applicationId: string): Promise<number> {
      const [row] = await run('testing_reports').where({ application_id: applicationId }).count({ n: '*' });
      return Number(row?.n ?? 0);
    },
    /** A page of the test completion reports, newest first (one range of the unique index (application_id, version)). */
    async testingReportsPage(run: Runner, applicationId: string, page: PageRequest): Promise<Page<TestingReportRow>> {
      const found = await keysetPage(
        run<TestingReportRow>('testing_reports').where({ application_id: applicationId }),
        NEWEST_REPORT_FIRST,
        page,
      );
      return { ...found, rows: found.rows.map((r) => ({ ...r, version: Number(r.version) })) };
    },
    async insertTestingReport(run: Runner, row: TestingReportRow): Promise<void> {
      await run('testing_reports').insert(row);
    },
    /**
     * One page of the staff queue, oldest waiting first. Read as one branch per (stage, status), each a keyset
     * page on the index applications_queue (stage, status, COALESCE(submitted_at, stage_entered_at), id): at
     * most size + 1 rows of it, joined to their organization and claimer, merged in the queue's order
     * (keysetUnionPage). The cost of a page follows its size, not the number of applications waiting
     * (test/workflow/queue-query.test.ts, test/scale/explain-indexes).
     */
    async queue(
      run: Runner,
      filter: { stages: readonly Stage[]; statuses: readonly Status[] },
      page: PageRequest,
    ): Promise<Page<QueueRow>> {
      const branches = [...new Set(filter.stages)].flatMap((stage) =>
        [...new Set(filter.statuses)].map((status) =>
          run('applications as a')
            .join('organizations as o', 'o.id', 'a.organization_id')
            .leftJoin('users as c', 'c.id', 'a.claimed_by')
            .where('a.stage', stage)
            .andWhere('a.status', status)
            .select(...QUEUE_COLUMNS),
        ),
      );
      const found = await keysetUnionPage(run, branches, QUEUE_ORDER, page, QUEUE_OUTPUT_COLUMNS);
      // The driver's rows are this call's own: converted in place rather than copied (a spread per row).
      for (const row of found.rows) row.current_version = Number(row.current_version);
      return found;
    },
    /**
     * Releases every open claim of a staff member (deactivated, or their role changed): the application stays
     * in its stage unclaimed, and one that was `in_review` is `submitted` again, so the queue offers it to be
     * claimed. Compare-and-set per row; returns what was released, for the caller's audit rows.
     */
    async releaseClaimsOf(
      run: Runner,
      userId: string,
      now: string,
    ): Promise<{ id: string; organization_id: string; stage: Stage; from: Status; to: Status }[]> {
      const claimed = await run('applications')
        .where({ claimed_by: userId })
        .whereIn('status', ['submitted', 'in_review', 'changes_requested'])
        .select<{ id: string; organization_id: string; stage: Stage; status: Status }[]>(
          'id',
          'organization_id',
          'stage',
          'status',
        );
      const released = [];
      for (const a of claimed) {
        const to: Status = a.status === 'in_review' ? 'submitted' : a.status;
        const n = await run('applications')
          .where({ id: a.id, stage: a.stage, status: a.status, claimed_by: userId })
          .update({ claimed_by: null, status: to, updated_at: now });
        if (n === 1)
          released.push({ id: a.id, organization_id: a.organization_id, stage: a.stage, from: a.status, to });
      }
      return released;
    },
  };
}
