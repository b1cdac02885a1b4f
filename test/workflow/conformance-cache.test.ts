// Rule: the conformance checklist is judged again whenever the request-log rows it is judged from changed
// (src/workflow/conformance-cache.ts): a call recorded after a view turns its scenario green on the next view, a
// call pruned by the retention turns it open again; while nothing changed, a view reads the log's stamp only
// (SQLite; PostgreSQL judges every time).
import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { recordPassingEvidence } from '../helpers/conformance';
import { sqlDuring } from '../helpers/sql-during';
import { isPostgres } from '../../src/db/knex';

let now = Date.parse('2026-11-02T01:00:00.000Z');
const clock = () => new Date(now);

t.test(
  'a conformance checklist already judged is judged again when the request log gains or loses a call, never served stale',
  async (t) => {
    const app = await build(t, { clock });
    const { workflow, testbedRequestLog } = app.services;
    const { id } = await applicationAt(app, 'testing');
    const evidenceReads = (sql: string[]) => sql.filter((s) => /^select \* from \(select/i.test(s)).length;

    const open = await workflow.conformance(id);
    t.ok(open && !open.complete, 'no calls yet: open');
    t.ok(open!.scenarios.every((s) => s.status === 'open'));

    // A caller changing its copy changes nothing for the next one.
    open!.scenarios[0]!.status = 'passed';
    open!.scenarios[0]!.evidence.push(1);
    let again: Awaited<ReturnType<typeof workflow.conformance>> = null;
    const unchanged = await sqlDuring(app, async () => {
      again = await workflow.conformance(id);
    });
    t.ok(
      again!.scenarios.every((s) => s.status === 'open' && s.evidence.length === 0),
      'the kept result is a copy',
    );
    if (!isPostgres(app.db)) t.equal(evidenceReads(unchanged), 0, 'nothing changed: the evidence is not read again');
    // Views at the same time: each checks the kept result's stamp; none judges afresh.
    const together = await sqlDuring(app, () => Promise.all([1, 2, 3, 4, 5].map(() => workflow.conformance(id))));
    if (!isPostgres(app.db)) t.equal(evidenceReads(together), 0, 'five views at once: the evidence is not read again');

    now += 1000;
    await recordPassingEvidence(app, id);
    const passed = await workflow.conformance(id);
    t.ok(passed?.complete, 'the calls recorded since the last view count at once');
    t.ok(passed!.scenarios.every((s) => s.status === 'passed' && s.evidence.length > 0));

    // 31 days on, the retention prunes those calls: the checklist is open again.
    now += 31 * 86_400_000;
    t.ok((await testbedRequestLog.prune()) > 0, 'the calls were pruned');
    const pruned = await workflow.conformance(id);
    t.ok(pruned && !pruned.complete, 'pruned calls no longer count');
    t.ok(pruned!.scenarios.every((s) => s.status === 'open'));

    // One more call of a kind already judged (an open scenario's own call): judged again, not the kept result.
    await recordPassingEvidence(app, id);
    t.ok((await workflow.conformance(id))?.complete, 'recorded again: passed again');
  },
);
