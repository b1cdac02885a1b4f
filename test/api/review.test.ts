import t from 'tap';
import { build } from '../helpers/build';
import { DECLARATIONS, PASSING_CHECKLIST, VALID_ANSWERS } from './fixtures/answers';
import { staffApi, submittedApplication } from './fixtures/journey';

// One app for the file (each test uses its own organizations): building and seeding is the slow part.
const shared = build(t, { demo: true });

t.test('an applicant cannot decide (403)', async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const res = await applicant.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '스스로 승인',
  });
  t.equal(res.status, 403);
  t.equal(res.body.error.code, 'forbidden');
  t.equal((await applicant.put(`/api/v1/applications/${id}/checklist`, { checklist: PASSING_CHECKLIST })).status, 403);
  t.equal((await applicant.post(`/api/v1/applications/${id}/claim`, {})).status, 403);
  const state = (await applicant.get(`/api/v1/applications/${id}`)).body.application.state;
  t.equal(state, 'suitability:submitted', 'nothing changed');
});

t.test('approving from a state that does not allow it is 409 and names the current state', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  const first = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'reject',
    reason: '요건 미충족',
  });
  t.equal(first.status, 200);
  t.equal(first.body.application.state, 'suitability:rejected');
  const res = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '다시 승인' });
  t.equal(res.status, 409);
  t.equal(res.body.error.code, 'conflict');
  t.equal(res.body.error.current_state, 'suitability:rejected');
});

t.test('approving suitability needs a reason and a checklist of pass or na (422)', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  const noReason = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '  ' });
  t.equal(noReason.status, 422);
  t.same(
    noReason.body.error.errors.map((e: { field: string }) => e.field),
    ['reason'],
  );
  const noChecklist = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '적합',
  });
  t.equal(noChecklist.status, 422);
  t.same(
    noChecklist.body.error.errors.map((e: { field: string }) => e.field),
    ['checklist'],
  );
  const failWithoutNote = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '적합',
    checklist: { ...PASSING_CHECKLIST, capital: 'fail' },
  });
  t.equal(failWithoutNote.status, 422);
  t.same(
    failWithoutNote.body.error.errors.map((e: { field: string }) => e.field),
    ['checklist_notes.capital'],
  );
  const badItem = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '적합',
    checklist: { capitl: 'pass' },
  });
  t.equal(badItem.status, 422);
  t.same(
    badItem.body.error.errors.map((e: { field: string }) => e.field),
    ['checklist.capitl'],
  );
  const ok = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '모든 항목 충족',
    checklist: PASSING_CHECKLIST,
  });
  t.equal(ok.status, 200);
  t.equal(ok.body.application.state, 'testing:in_progress');
  t.same(ok.body.transition, { from: 'suitability:submitted', to: 'testing:in_progress', event: 'approve' });
});

t.test('a reviewer requests changes to named sections, the applicant edits only those and resubmits', async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  const res = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'request_changes',
    reason: '연락처 확인 필요',
    sections: ['contacts'],
    internal_note: '내부 메모: 전화 확인',
  });
  t.equal(res.status, 200);
  t.equal(res.body.application.state, 'suitability:changes_requested');
  const mine = (await applicant.get(`/api/v1/applications/${id}`)).body.application;
  t.same(mine.requested_sections, ['contacts']);
  t.same(mine.editable_sections, ['contacts']);
  const frozen = await applicant.patch(`/api/v1/applications/${id}/answers`, { company: VALID_ANSWERS.company });
  t.equal(frozen.status, 409, 'a section that was not sent back is frozen');
  t.equal(frozen.body.error.current_state, 'suitability:changes_requested');
  t.notMatch(frozen.body.error.message, /^onboarding\./, 'the message is words, not an i18n key');
  t.equal(
    (
      await applicant.patch(`/api/v1/applications/${id}/answers`, {
        contacts: { ...VALID_ANSWERS.contacts, business_phone: '02-765-4321' },
      })
    ).status,
    200,
  );
  const resubmitted = await applicant.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS });
  t.equal(resubmitted.status, 200);
  t.equal(resubmitted.body.application.state, 'suitability:submitted');
  t.equal(resubmitted.body.version, 2);
  const bad = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: 'x',
    sections: ['contacts'],
    checklist: PASSING_CHECKLIST,
  });
  t.equal(bad.status, 422, 'sections only go with request_changes');
});

t.test('staff see internal notes in the audit trail, applicants do not', async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'request_changes',
    reason: '보완 요청',
    sections: ['company'],
    internal_note: '내부 전용 메모',
  });
  const staffView = await reviewer.get(`/api/v1/applications/${id}/audit`);
  t.equal(staffView.status, 200);
  t.ok(
    staffView.body.events.some(
      (e: { internal: boolean; reason: string }) => e.internal && e.reason === '내부 전용 메모',
    ),
  );
  const applicantView = await applicant.get(`/api/v1/applications/${id}/audit`);
  t.equal(applicantView.status, 200);
  t.notOk(applicantView.body.events.some((e: { internal: boolean }) => e.internal));
  t.notMatch(JSON.stringify(applicantView.body), '내부 전용 메모');
  t.ok(
    applicantView.body.events.some(
      (e: { event: string; reason: string }) => e.event === 'application.changes_requested' && e.reason === '보완 요청',
    ),
  );
});

t.test('staff list their review queue and may filter it by stage and status', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  const inspector = await staffApi(app, 'inspector');
  const queue = await reviewer.get('/api/v1/applications');
  t.equal(queue.status, 200);
  t.ok(queue.body.applications.some((a: { id: string }) => a.id === id));
  const testing = await reviewer.get('/api/v1/applications?stage=testing');
  t.notOk(testing.body.applications.some((a: { id: string }) => a.id === id));
  const filtered = await reviewer.get('/api/v1/applications?stage=suitability&status=submitted');
  t.ok(filtered.body.applications.some((a: { id: string }) => a.id === id));
  t.notOk(
    (await inspector.get('/api/v1/applications')).body.applications.some((a: { id: string }) => a.id === id),
    'inspectors see the security queue',
  );
  const bad = await reviewer.get('/api/v1/applications?stage=moon');
  t.equal(bad.status, 422);
  t.same(
    bad.body.error.errors.map((e: { field: string }) => e.field),
    ['stage'],
  );
  const unknown = await reviewer.get('/api/v1/applications?stauts=submitted');
  t.equal(unknown.status, 422, 'an unknown query parameter is refused too');
});

t.test("notifications are listed in the reader's language and marked read", async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'reject', reason: '요건 미충족' });
  const list = await applicant.get('/api/v1/notifications');
  t.equal(list.status, 200);
  t.equal(list.body.unread, 1);
  const n = list.body.notifications[0];
  t.equal(n.read, false);
  t.notMatch(n.text, /⟦/);
  t.equal(
    (await reviewer.post(`/api/v1/notifications/${n.id}/read`, {})).status,
    404,
    "someone else's notification is not found",
  );
  t.equal((await applicant.post(`/api/v1/notifications/${n.id}/read`, {})).status, 204);
  t.equal((await applicant.get('/api/v1/notifications')).body.unread, 0);
  t.equal((await reviewer.post('/api/v1/notifications/read', {})).status, 204);
  t.equal((await reviewer.get('/api/v1/notifications')).body.unread, 0);
});

t.test('an owner withdraws; a withdrawn application cannot be submitted (409)', async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const w = await applicant.post(`/api/v1/applications/${id}/withdraw`, { reason: '사업 계획 변경' });
  t.equal(w.status, 200);
  t.equal(w.body.application.state, 'suitability:withdrawn');
  const s = await applicant.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS });
  t.equal(s.status, 409);
  t.equal(s.body.error.current_state, 'suitability:withdrawn');
});

t.test('staff of another stage cannot decide (403); a reviewer claims once (then 409)', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const inspector = await staffApi(app, 'inspector');
  const wrongRole = await inspector.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'reject',
    reason: '반려',
  });
  t.equal(wrongRole.status, 403, 'an inspector cannot decide on suitability');
  t.equal(
    (await inspector.put(`/api/v1/applications/${id}/checklist`, { checklist: PASSING_CHECKLIST })).status,
    403,
    'nor fill in its checklist',
  );
  const reviewer = await staffApi(app, 'reviewer');
  const claimed = await reviewer.post(`/api/v1/applications/${id}/claim`, {});
  t.equal(claimed.status, 200);
  t.equal(claimed.body.application.state, 'suitability:in_review');
  t.ok(claimed.body.application.claimed_by);
  const twice = await reviewer.post(`/api/v1/applications/${id}/claim`, {});
  t.equal(twice.status, 409);
  t.equal(twice.body.error.current_state, 'suitability:in_review');
});
