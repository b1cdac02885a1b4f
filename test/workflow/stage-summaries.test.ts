import t from 'tap';
import { stageSummaries } from '../../src/workflow/stage-summaries';
import type { Stage, Status } from '../../src/workflow/state-machine';

const progress = (stage: Stage, status: Status) => stageSummaries({ id: 'x', stage, status }).map((s) => `${s.stage}:${s.progress}`);

t.test('stage summaries give one status per stage 2–5 for the task list', async (t) => {
  t.same(progress('application', 'draft'), ['suitability:cannot_start', 'testing:cannot_start', 'security:cannot_start', 'contract:cannot_start']);
  t.same(progress('suitability', 'submitted'), ['suitability:waiting_for_review', 'testing:cannot_start', 'security:cannot_start', 'contract:cannot_start']);
  t.same(progress('suitability', 'changes_requested'), ['suitability:changes_requested', 'testing:cannot_start', 'security:cannot_start', 'contract:cannot_start']);
  t.same(progress('testing', 'in_progress'), ['suitability:completed', 'testing:in_progress', 'security:cannot_start', 'contract:cannot_start']);
  t.same(progress('security', 'in_review'), ['suitability:completed', 'testing:completed', 'security:in_review', 'contract:cannot_start']);
  t.same(progress('contract', 'rejected'), ['suitability:completed', 'testing:completed', 'security:completed', 'contract:rejected']);
  t.same(progress('testing', 'withdrawn'), ['suitability:completed', 'testing:withdrawn', 'security:cannot_start', 'contract:cannot_start']);
  t.same(progress('live', 'live'), ['suitability:completed', 'testing:completed', 'security:completed', 'contract:completed']);
});

t.test('a stage that cannot start has no link; the testing stage links to its page once reachable', async (t) => {
  const before = stageSummaries({ id: 'abc', stage: 'suitability', status: 'submitted' });
  t.equal(before.find((s) => s.stage === 'testing')!.href, null);
  const during = stageSummaries({ id: 'abc', stage: 'testing', status: 'in_progress' });
  t.equal(during.find((s) => s.stage === 'testing')!.href, '/applications/abc/testing');
  t.equal(during.find((s) => s.stage === 'testing')!.progressKey, 'workflow.progress.in_progress');
  t.equal(during.find((s) => s.stage === 'suitability')!.tagClass, 'tag-green');
});
