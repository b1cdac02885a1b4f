import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { passChecklist, staffUser } from '../helpers/workflow';
import { AppError } from '../../src/http/errors';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app
    .db('applications')
    .where({ id })
    .first('stage', 'status', 'changes_requested_sections', 'claimed_by');
  return row as { stage: string; status: string; changes_requested_sections: string | null; claimed_by: string | null };
}

t.test(
  'two reviewers deciding at once: exactly one wins and the other gets 409 naming the current state',
  async (t) => {
    const app = await build(t);
    const a = await staffUser(app, 'reviewer', 'a@staff.example');
    const b = await staffUser(app, 'reviewer', 'b@staff.example');
    const { id } = await applicationAt(app, 'suitability');

    // Service level: both load the same state, exactly one compare-and-set wins.
    const results = await Promise.allSettled([
      app.services.workflow.transition(id, 'request_changes', a.user, {
        reason: '회사 정보를 보완하세요.',
        sections: ['company'],
      }),
      app.services.workflow.transition(id, 'reject', b.user, { reason: '요건 미충족' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    t.equal(won.length, 1, 'exactly one decision is saved');
    t.equal(lost.length, 1);
    const err = lost[0]!.reason as AppError;
    t.ok(err instanceof AppError);
    t.equal(err.statusCode, 409);
    const now = await stateOf(app, id);
    t.equal(err.details.currentState, `${now.stage}:${now.status}`, 'the loser is told the current state');
    const decisions = await app
      .db('audit_events')
      .where({ application_id: id })
      .whereIn('event', ['application.changes_requested', 'application.rejected']);
    t.equal(decisions.length, 1, 'only the winner is audited');

    // HTTP level: the page answers 409 and names the state.
    const res = await b.browser.post(
      `/staff/applications/${id}/decision`,
      { event: 'approve', reason: '승인' },
      { formUrl: `/staff/applications/${id}` },
    );
    t.equal(res.statusCode, 409);
    t.match(res.body, now.status === 'rejected' ? '반려' : '보완 요청');
    t.match(res.body, '저장되지 않았습니다');
  },
);

t.test('approval needs every checklist item pass or not applicable', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await applicationAt(app, 'suitability');
  const url = `/staff/applications/${id}`;

  let res = await reviewer.browser.post(`${url}/decision`, { event: 'approve', reason: '좋습니다' }, { formUrl: url });
  t.equal(res.statusCode, 422, 'no checklist yet');
  t.match(res.body, 'href="#checklist"');

  res = await passChecklist(reviewer.browser, id, { result_capital: 'fail', note_capital: '' });
  t.equal(res.statusCode, 422, 'a failed item needs a note');
  t.match(res.body, '부적합 사유를 입력하세요');
  res = await passChecklist(reviewer.browser, id, { result_capital: 'fail', note_capital: '자본금 부족' });
  t.equal(res.statusCode, 303);
  res = await reviewer.browser.post(`${url}/decision`, { event: 'approve', reason: '좋습니다' }, { formUrl: url });
  t.equal(res.statusCode, 422, 'one failed item blocks approval');
  t.same(await stateOf(app, id).then((s) => [s.stage, s.status]), ['suitability', 'submitted']);

  res = await passChecklist(reviewer.browser, id, { result_capital: 'na' });
  t.equal(res.statusCode, 303);
  res = await reviewer.browser.post(
    `${url}/decision`,
    { event: 'approve', reason: '모든 요건 충족' },
    { formUrl: url },
  );
  t.equal(res.statusCode, 303);
  const s = await stateOf(app, id);
  t.same([s.stage, s.status], ['testing', 'in_progress'], 'pass and not applicable approve');
  const stored = await app.db('suitability_checklist').where({ application_id: id });
  t.equal(stored.length, 8);

  res = await passChecklist(reviewer.browser, id);
  t.equal(res.statusCode, 409, 'the checklist cannot change after the decision');
});

t.test('every decision needs a reason', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await applicationAt(app, 'suitability');
  const url = `/staff/applications/${id}`;
  await passChecklist(reviewer.browser, id);
  for (const [event, extra] of [
    ['approve', {}],
    ['request_changes', { sections: 'company' }],
    ['reject', {}],
  ] as const) {
    const res = await reviewer.browser.post(`${url}/decision`, { event, reason: '   ', ...extra }, { formUrl: url });
    t.equal(res.statusCode, 422, `${event} without a reason is refused`);
    t.match(res.body, `href="#reason_${event}"`, 'the error links to the reason box of that form');
    t.match(res.body, '결정 사유를 입력하세요');
  }
  const s = await stateOf(app, id);
  t.same([s.stage, s.status], ['suitability', 'submitted'], 'nothing changed');
  await t.rejects(app.services.workflow.transition(id, 'reject', reviewer.user, {}), { code: 'validation' });
  const decisions = await app
    .db('audit_events')
    .where({ application_id: id })
    .whereIn('event', ['application.approved', 'application.changes_requested', 'application.rejected']);
  t.equal(decisions.length, 0, 'no decision was recorded');
});
