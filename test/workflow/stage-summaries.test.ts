import t from 'tap';
import { stageSummaries, stageTaskOverrides } from '../../src/workflow/stage-summaries';
import type { Stage, Status } from '../../src/workflow/state-machine';

const progress = (stage: Stage, status: Status) =>
  stageSummaries({ id: 'x', stage, status }).map((s) => `${s.stage}:${s.progress}`);

t.test('stage summaries give one status per stage 2–5 for the task list', async (t) => {
  t.same(progress('application', 'draft'), [
    'suitability:cannot_start_yet',
    'testing:cannot_start_yet',
    'security:cannot_start_yet',
    'contract:cannot_start_yet',
  ]);
  t.same(progress('suitability', 'submitted'), [
    'suitability:waiting_for_review',
    'testing:cannot_start_yet',
    'security:cannot_start_yet',
    'contract:cannot_start_yet',
  ]);
  t.same(progress('suitability', 'changes_requested'), [
    'suitability:changes_requested',
    'testing:cannot_start_yet',
    'security:cannot_start_yet',
    'contract:cannot_start_yet',
  ]);
  t.same(progress('testing', 'in_progress'), [
    'suitability:completed',
    'testing:in_progress',
    'security:cannot_start_yet',
    'contract:cannot_start_yet',
  ]);
  t.same(progress('security', 'in_review'), [
    'suitability:completed',
    'testing:completed',
    'security:in_review',
    'contract:cannot_start_yet',
  ]);
  t.same(progress('contract', 'rejected'), [
    'suitability:completed',
    'testing:completed',
    'security:completed',
    'contract:rejected',
  ]);
  t.same(progress('testing', 'withdrawn'), [
    'suitability:completed',
    'testing:withdrawn',
    'security:cannot_start_yet',
    'contract:cannot_start_yet',
  ]);
  t.same(progress('live', 'live'), [
    'suitability:completed',
    'testing:completed',
    'security:completed',
    'contract:completed',
  ]);
});

t.test('a stage that cannot start has no link; the testing stage links to its page once reachable', async (t) => {
  const before = stageSummaries({ id: 'abc', stage: 'suitability', status: 'submitted' });
  t.equal(before.find((s) => s.stage === 'testing')!.href, null);
  const during = stageSummaries({ id: 'abc', stage: 'testing', status: 'in_progress' });
  t.equal(during.find((s) => s.stage === 'testing')!.href, '/applications/abc/testing');
  t.equal(during.find((s) => s.stage === 'testing')!.progressKey, 'workflow.progress.in_progress');
  t.equal(during.find((s) => s.stage === 'suitability')!.tagClass, 'tag-green');
  t.equal(during.find((s) => s.stage === 'suitability')!.href, null, 'suitability has no page of its own');
  t.equal(during.find((s) => s.stage === 'security')!.href, null, 'security cannot start yet');
  const later = stageSummaries({ id: 'abc', stage: 'contract', status: 'in_progress' });
  t.same(
    later.map((s) => s.href),
    [null, '/applications/abc/testing', '/applications/abc/security', '/applications/abc/contract'],
  );
});

t.test('stage summaries plug into the onboarding task list as overrides', async (t) => {
  t.same(stageTaskOverrides({ id: 'abc', stage: 'testing', status: 'changes_requested' }), {
    suitability: { status: 'completed' },
    testing: { status: 'changes_requested', href: '/applications/abc/testing' },
    security: { status: 'cannot_start_yet' },
    contract: { status: 'cannot_start_yet' },
  });
});
