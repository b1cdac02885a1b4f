// Rule: the staff queue's page, read as one keyset branch per (stage, status) and merged, is exactly the page
// one query over all of them would give — every filter, walked forwards to the end and back — and each branch
// reads the applications_queue index in the queue's order, without sorting; the only sort is the merge of the
// branches' limited rows, and the statement hands back one page's rows (size + 1), not every branch's
// (SQLite and PostgreSQL).
import t from 'tap';
import { grownApp } from '../helpers/scale';
import { isPostgres } from '../../src/db/knex';
import { decodeCursor, type PageRequest } from '../../src/pagination/cursor';
import { keysetPage, type KeysetOrder } from '../../src/pagination/keyset';
import type { Page } from '../../src/pagination/cursor';
import type { Runner } from '../../src/db/knex';
import { createWorkflowRepository, QUEUE_COLUMNS, QUEUE_CURSOR, type QueueRow } from '../../src/workflow/repository';
import type { Stage, Status } from '../../src/workflow/state-machine';
import { orderedIndexPlan } from '../helpers/explain';

t.setTimeout(600_000);

/** The reference answer: the whole queue as one query, sorted and paged by the database. */
const ORDER: KeysetOrder<QueueRow> = {
  columns: ['COALESCE(a.submitted_at, a.stage_entered_at)', 'a.id'],
  direction: 'asc',
  keyOf: (row) => [row.submitted_at ?? row.stage_entered_at, row.id],
};
async function singleQueryPage(
  run: Runner,
  filter: { stages: Stage[]; statuses: Status[] },
  page: PageRequest,
): Promise<Page<QueueRow>> {
  const q = run('applications as a')
    .join('organizations as o', 'o.id', 'a.organization_id')
    .leftJoin('users as c', 'c.id', 'a.claimed_by')
    .whereIn('a.stage', filter.stages)
    .whereIn('a.status', filter.statuses)
    .select(...QUEUE_COLUMNS);
  const found = await keysetPage<QueueRow>(q, ORDER, page);
  return { ...found, rows: found.rows.map((row) => ({ ...row, current_version: Number(row.current_version) })) };
}

t.test('the merged queue page equals the single-query page, forwards and back, on every filter', async (t) => {
  const { app } = await grownApp(t, 0.01);
  const repo = createWorkflowRepository();
  const filters: { stages: Stage[]; statuses: Status[] }[] = [
    { stages: ['suitability', 'testing'], statuses: ['submitted', 'in_review'] },
    { stages: ['suitability', 'testing', 'security', 'contract'], statuses: ['rejected'] },
    { stages: ['testing'], statuses: ['changes_requested', 'in_progress', 'withdrawn'] },
  ];
  for (const f of filters) {
    const name = `${f.stages.join('+')} / ${f.statuses.join('+')}`;
    let request: PageRequest = { size: 7 };
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    for (let i = 0; i < 100; i++) {
      const expected = await singleQueryPage(app.db, f, request);
      const got = await repo.queue(app.db, f, request);
      t.same(got, expected, `${name}: page ${i + 1} forwards`);
      seen.push(...got.rows.map((r) => r.id));
      cursors.push(got.previous);
      if (!got.next) break;
      request = { size: 7, after: decodeCursor(got.next, QUEUE_CURSOR)! };
    }
    t.ok(seen.length > 7, `${name}: several pages (${seen.length} rows)`);
    t.equal(new Set(seen).size, seen.length, `${name}: no row twice`);
    // And back from the last page's previous cursor.
    const back = cursors[cursors.length - 1];
    if (back) {
      const before: PageRequest = { size: 7, before: decodeCursor(back, QUEUE_CURSOR)! };
      t.same(
        await repo.queue(app.db, f, before),
        await singleQueryPage(app.db, f, before),
        `${name}: a page backwards`,
      );
    }
  }

  // The plan of one branch with a cursor: the index range in order, no sort.
  const captured: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) =>
    captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
  const handedBack: number[] = [];
  const countRows = (response: unknown) =>
    handedBack.push(
      Array.isArray(response) ? response.length : ((response as { rows?: unknown[] }).rows?.length ?? -1),
    );
  app.db.on('query', listen);
  app.db.on('query-response', countRows);
  const first = await repo.queue(app.db, filters[0]!, { size: 7 });
  await repo.queue(app.db, filters[0]!, { size: 7, after: decodeCursor(first.next!, QUEUE_CURSOR)! });
  app.db.removeListener('query', listen);
  app.db.removeListener('query-response', countRows);
  t.same(handedBack, [8, 8], 'four branches of up to 8 rows each, 8 rows handed back: one page and the one after it');
  const s = captured[captured.length - 1]!;
  if (isPostgres(app.db)) {
    const plan = await orderedIndexPlan(app.db, s);
    t.match(plan, /Index Scan using applications_queue/, 'the queue index');
    t.notMatch(plan, /Seq Scan on applications/, `no full scan of applications\n${plan}`);
    // A sort, if any, is the merge above the branches' Append (PostgreSQL may merge them without one).
    const append = plan.search(/Append/);
    t.ok(append > 0, 'the branches are appended');
    t.notMatch(plan.slice(append), /Sort\b/, 'no sort inside a branch');
    t.equal(plan.match(/Index Scan using applications_queue/g)?.length, 4, 'every branch reads the queue index');
  } else {
    const plan = await orderedIndexPlan(app.db, s);
    const searches =
      plan.match(/SEARCH a USING INDEX applications_queue \(stage=\? AND status=\? AND <expr>>\?\)/g) ?? [];
    t.equal(searches.length, 4, `every branch is a range of the queue index from the cursor\n${plan}`);
    t.equal(plan.match(/TEMP B-TREE/g)?.length, 1, 'one sort');
    t.match(plan, /SCAN m\nUSE TEMP B-TREE FOR ORDER BY$/, 'the sort is the merge of the branches, after the last one');
  }
});
