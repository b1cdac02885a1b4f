// The staff queue's page query (GET /staff): the applications waiting in the stages and statuses asked for,
// oldest waiting first. Read as one branch per (stage, status), each a keyset page on the index
// applications_queue (stage, status, COALESCE(submitted_at, stage_entered_at), id) — at most size + 1 rows of
// it, joined to their organization and claimer — merged in the queue's order (keysetUnionPage): the cost
// of a page follows its size, not the number of applications waiting. (Checked by test/scale/explain-indexes
// and test/workflow/queue-query.test.ts.)
import type { Knex } from 'knex';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetUnionPage, type KeysetOrder } from '../pagination/keyset';
import type { QueueRow } from './repository';
import type { Stage, Status } from './state-machine';

/** The queue's order: waiting since (submission, else the stage's start), oldest first, then id. */
const QUEUE_ORDER: KeysetOrder<QueueRow> = {
  columns: ['COALESCE(a.submitted_at, a.stage_entered_at)', 'a.id'],
  direction: 'asc',
  keyOf: (row) => [row.submitted_at ?? row.stage_entered_at, row.id],
};

/** One page of the staff queue, oldest waiting first (the cursor shape is the repository's QUEUE_CURSOR). */
export async function queuePage(
  run: Knex | Knex.Transaction,
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
        .select(
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
        ),
    ),
  );
  const found = await keysetUnionPage(run, branches, QUEUE_ORDER, page);
  return { ...found, rows: found.rows.map((row) => ({ ...row, current_version: Number(row.current_version) })) };
}
