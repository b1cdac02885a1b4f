import t from 'tap';
import { build } from '../helpers/build';
import { ApiClient, apiAs, apiSignUp } from './fixtures/api-client';
import { DECLARATIONS, PASSING_CHECKLIST, VALID_ANSWERS } from './fixtures/answers';
import { staff, submittedApplication } from './fixtures/journey';

t.test('an applicant creates a draft, saves every section and submits it', async (t) => {
  const app = await build(t, { demo: true });
  const api = await apiSignUp(app, { email: 'flow@fin.example' });
  const created = await api.post('/api/v1/applications', {});
  t.equal(created.status, 201);
  const a = created.body.application;
  t.equal(a.stage, 'application');
  t.equal(a.status, 'draft');
  t.equal(a.reference, null);
  t.same(a.editable_sections, ['company', 'service', 'apis', 'technical', 'contacts']);
  const again = await api.post('/api/v1/applications', {});
  t.equal(again.status, 200, 'a second create answers the active application');
  t.equal(again.body.application.id, a.id);

  const saved = await api.patch(`/api/v1/applications/${a.id}/answers`, { company: VALID_ANSWERS.company });
  t.equal(saved.status, 200);
  t.equal(saved.body.application.answers.company.legal_name, VALID_ANSWERS.company.legal_name);
  const rest = { ...VALID_ANSWERS } as Record<string, unknown>;
  delete rest.company;
  t.equal((await api.patch(`/api/v1/applications/${a.id}/answers`, rest)).status, 200);

  const list = await api.get('/api/v1/applications');
  t.equal(list.status, 200);
  t.same(list.body.applications.map((x: { id: string }) => x.id), [a.id]);

  const submitted = await api.post(`/api/v1/applications/${a.id}/submit`, { declarations: DECLARATIONS });
  t.equal(submitted.status, 200);
  t.match(submitted.body.reference, /^OB-\d{4}-\d+$/);
  t.equal(submitted.body.application.state, 'suitability:submitted');
  t.equal(submitted.body.application.versions.length, 1);
  t.same(submitted.body.application.checklist.items.length, 8, 'the suitability checklist item keys are listed');
  t.notOk(submitted.body.application.checklist.results, 'but not the reviewer\'s results');
  t.same(submitted.body.application.editable_sections, []);
});

t.test('answers are validated by the same section validators as the pages (422 with {field, message})', async (t) => {
  const app = await build(t, { demo: true });
  const api = await apiSignUp(app, { email: 'v@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  const res = await api.patch(`/api/v1/applications/${id}/answers`, {
    company: { ...VALID_ANSWERS.company, business_registration_number: '123-45-67890' },
    contacts: VALID_ANSWERS.contacts,
  }, { 'accept-language': 'en' });
  t.equal(res.status, 422);
  t.equal(res.body.error.code, 'validation');
  t.same(res.body.error.errors.map((e: { field: string }) => e.field), ['company.business_registration_number']);
  t.notMatch(res.body.error.errors[0].message, /⟦|onboarding\./, 'the message is translated');
  const after = await api.get(`/api/v1/applications/${id}`);
  t.same(after.body.application.answers, {}, 'nothing was saved, not even the valid section');
});

t.test('an unknown field in an answers section is a 422 naming it', async (t) => {
  const app = await build(t, { demo: true });
  const api = await apiSignUp(app, { email: 'u@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  const res = await api.patch(`/api/v1/applications/${id}/answers`, { company: { ...VALID_ANSWERS.company, legal_nam: 'typo' } });
  t.equal(res.status, 422);
  t.same(res.body.error.errors.map((e: { field: string }) => e.field), ['company.legal_nam']);
  const section = await api.patch(`/api/v1/applications/${id}/answers`, { compnay: VALID_ANSWERS.company });
  t.equal(section.status, 422);
  t.same(section.body.error.errors.map((e: { field: string }) => e.field), ['compnay']);
});

t.test('submitting without the declarations is a 422 that names each missing one', async (t) => {
  const app = await build(t, { demo: true });
  const api = await apiSignUp(app, { email: 'd@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  await api.patch(`/api/v1/applications/${id}/answers`, VALID_ANSWERS);
  const res = await api.post(`/api/v1/applications/${id}/submit`, { declarations: ['accuracy'] });
  t.equal(res.status, 422);
  t.same(res.body.error.errors.map((e: { field: string }) => e.field).sort(), ['declarations.inquiry_consent', 'declarations.withdrawal_consent']);
  const incomplete = await apiSignUp(app, { email: 'i@fin.example' });
  const id2 = (await incomplete.post('/api/v1/applications', {})).body.application.id;
  const res2 = await incomplete.post(`/api/v1/applications/${id2}/submit`, { declarations: DECLARATIONS });
  t.equal(res2.status, 422);
  t.ok(res2.body.error.errors.some((e: { field: string }) => e.field === 'answers.company'), 'missing sections are named');
});

t.test('an applicant cannot list another organization\'s application (404)', async (t) => {
  const app = await build(t, { demo: true });
  const { id } = await submittedApplication(app);
  const other = await apiAs(app, 'owner@demo-fintech.example');
  const list = await other.get('/api/v1/applications');
  t.equal(list.status, 200);
  t.notOk(list.body.applications.some((a: { id: string }) => a.id === id), 'not in their list');
  t.equal((await other.get(`/api/v1/applications/${id}`)).status, 404);
  t.equal((await other.get(`/api/v1/applications/${id}/audit`)).status, 404);
  t.equal((await other.patch(`/api/v1/applications/${id}/answers`, { company: VALID_ANSWERS.company })).status, 404);
  t.equal((await other.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS })).status, 404);
  t.equal((await other.get('/api/v1/applications/not-a-uuid')).status, 404, 'a malformed id is a 404 too');
});

t.test('an applicant cannot decide (403)', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const res = await applicant.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '스스로 승인' });
  t.equal(res.status, 403);
  t.equal(res.body.error.code, 'forbidden');
  t.equal((await applicant.put(`/api/v1/applications/${id}/checklist`, { checklist: PASSING_CHECKLIST })).status, 403);
  t.equal((await applicant.post(`/api/v1/applications/${id}/claim`, {})).status, 403);
  const state = (await applicant.get(`/api/v1/applications/${id}`)).body.application.state;
  t.equal(state, 'suitability:submitted', 'nothing changed');
});

t.test('staff cannot create or fill in an application (403)', async (t) => {
  const app = await build(t, { demo: true });
  const { id } = await submittedApplication(app);
  const { reviewer } = await staff(app);
  t.equal((await reviewer.post('/api/v1/applications', {})).status, 403);
  t.equal((await reviewer.patch(`/api/v1/applications/${id}/answers`, { company: VALID_ANSWERS.company })).status, 403);
  t.equal((await reviewer.post(`/api/v1/applications/${id}/submit`, {})).status, 403);
});

t.test('approving from a state that does not allow it is 409 and names the current state', async (t) => {
  const app = await build(t, { demo: true });
  const { id } = await submittedApplication(app);
  const { reviewer } = await staff(app);
  const first = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'reject', reason: '요건 미충족' });
  t.equal(first.status, 200);
  t.equal(first.body.application.state, 'suitability:rejected');
  const res = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '다시 승인' });
  t.equal(res.status, 409);
  t.equal(res.body.error.code, 'conflict');
  t.equal(res.body.error.current_state, 'suitability:rejected');
});

t.test('approving suitability needs a reason and a checklist of pass or na (422)', async (t) => {
  const app = await build(t, { demo: true });
  const { id } = await submittedApplication(app);
  const { reviewer } = await staff(app);
  const noReason = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '  ' });
  t.equal(noReason.status, 422);
  t.same(noReason.body.error.errors.map((e: { field: string }) => e.field), ['reason']);
  const noChecklist = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '적합' });
  t.equal(noChecklist.status, 422);
  t.same(noChecklist.body.error.errors.map((e: { field: string }) => e.field), ['checklist']);
  const failWithoutNote = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '적합', checklist: { ...PASSING_CHECKLIST, capital: 'fail' } });
  t.equal(failWithoutNote.status, 422);
  t.same(failWithoutNote.body.error.errors.map((e: { field: string }) => e.field), ['checklist_notes.capital']);
  const badItem = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '적합', checklist: { capitl: 'pass' } });
  t.equal(badItem.status, 422);
  t.same(badItem.body.error.errors.map((e: { field: string }) => e.field), ['checklist.capitl']);
  const ok = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '모든 항목 충족', checklist: PASSING_CHECKLIST });
  t.equal(ok.status, 200);
  t.equal(ok.body.application.state, 'testing:in_progress');
  t.same(ok.body.transition, { from: 'suitability:submitted', to: 'testing:in_progress', event: 'approve' });
});

t.test('a reviewer requests changes to named sections, the applicant edits only those and resubmits', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const { reviewer } = await staff(app);
  const res = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'request_changes', reason: '연락처 확인 필요', sections: ['contacts'], internal_note: '내부 메모: 전화 확인' });
  t.equal(res.status, 200);
  t.equal(res.body.application.state, 'suitability:changes_requested');
  const mine = (await applicant.get(`/api/v1/applications/${id}`)).body.application;
  t.same(mine.requested_sections, ['contacts']);
  t.same(mine.editable_sections, ['contacts']);
  const frozen = await applicant.patch(`/api/v1/applications/${id}/answers`, { company: VALID_ANSWERS.company });
  t.equal(frozen.status, 409, 'a section that was not sent back is frozen');
  t.equal(frozen.body.error.current_state, 'suitability:changes_requested');
  t.equal((await applicant.patch(`/api/v1/applications/${id}/answers`, { contacts: { ...VALID_ANSWERS.contacts, business_phone: '02-765-4321' } })).status, 200);
  const resubmitted = await applicant.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS });
  t.equal(resubmitted.status, 200);
  t.equal(resubmitted.body.application.state, 'suitability:submitted');
  t.equal(resubmitted.body.version, 2);
  const bad = await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: 'x', sections: ['contacts'], checklist: PASSING_CHECKLIST });
  t.equal(bad.status, 422, 'sections only go with request_changes');
});

t.test('staff see internal notes in the audit trail, applicants do not', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const { reviewer } = await staff(app);
  await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'request_changes', reason: '보완 요청', sections: ['company'], internal_note: '내부 전용 메모' });
  const staffView = await reviewer.get(`/api/v1/applications/${id}/audit`);
  t.equal(staffView.status, 200);
  t.ok(staffView.body.events.some((e: { internal: boolean; reason: string }) => e.internal && e.reason === '내부 전용 메모'));
  const applicantView = await applicant.get(`/api/v1/applications/${id}/audit`);
  t.equal(applicantView.status, 200);
  t.notOk(applicantView.body.events.some((e: { internal: boolean }) => e.internal));
  t.notMatch(JSON.stringify(applicantView.body), '내부 전용 메모');
  t.ok(applicantView.body.events.some((e: { event: string; reason: string }) => e.event === 'application.changes_requested' && e.reason === '보완 요청'));
});

t.test('staff list their review queue and may filter it by stage and status', async (t) => {
  const app = await build(t, { demo: true });
  const { id } = await submittedApplication(app);
  const { reviewer, inspector } = await staff(app);
  const queue = await reviewer.get('/api/v1/applications');
  t.equal(queue.status, 200);
  t.ok(queue.body.applications.some((a: { id: string }) => a.id === id));
  const testing = await reviewer.get('/api/v1/applications?stage=testing');
  t.notOk(testing.body.applications.some((a: { id: string }) => a.id === id));
  const filtered = await reviewer.get('/api/v1/applications?stage=suitability&status=submitted');
  t.ok(filtered.body.applications.some((a: { id: string }) => a.id === id));
  t.notOk((await inspector.get('/api/v1/applications')).body.applications.some((a: { id: string }) => a.id === id), 'inspectors see the security queue');
  const bad = await reviewer.get('/api/v1/applications?stage=moon');
  t.equal(bad.status, 422);
  t.same(bad.body.error.errors.map((e: { field: string }) => e.field), ['stage']);
  const unknown = await reviewer.get('/api/v1/applications?stauts=submitted');
  t.equal(unknown.status, 422, 'an unknown query parameter is refused too');
});

t.test('notifications are listed in the reader\'s language and marked read', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const { reviewer } = await staff(app);
  await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'reject', reason: '요건 미충족' });
  const list = await applicant.get('/api/v1/notifications');
  t.equal(list.status, 200);
  t.equal(list.body.unread, 1);
  const n = list.body.notifications[0];
  t.equal(n.read, false);
  t.notMatch(n.text, /⟦/);
  t.equal((await reviewer.post(`/api/v1/notifications/${n.id}/read`, {})).status, 404, 'someone else\'s notification is not found');
  t.equal((await applicant.post(`/api/v1/notifications/${n.id}/read`, {})).status, 204);
  t.equal((await applicant.get('/api/v1/notifications')).body.unread, 0);
  t.equal((await reviewer.post('/api/v1/notifications/read', {})).status, 204);
  t.equal((await reviewer.get('/api/v1/notifications')).body.unread, 0);
});

t.test('an owner withdraws; a withdrawn application cannot be submitted (409)', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const w = await applicant.post(`/api/v1/applications/${id}/withdraw`, { reason: '사업 계획 변경' });
  t.equal(w.status, 200);
  t.equal(w.body.application.state, 'suitability:withdrawn');
  const s = await applicant.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS });
  t.equal(s.status, 409);
  t.equal(s.body.error.current_state, 'suitability:withdrawn');
});

t.test('an anonymous client cannot reach any application route (401)', async (t) => {
  const app = await build(t, { demo: true });
  const { id } = await submittedApplication(app);
  const anon = new ApiClient(app);
  for (const [method, url] of [['GET', '/api/v1/applications'], ['GET', `/api/v1/applications/${id}`], ['POST', `/api/v1/applications/${id}/decisions`], ['PATCH', `/api/v1/applications/${id}/answers`], ['GET', '/api/v1/notifications']] as const) {
    const res = await anon.request(method, url, method === 'GET' ? undefined : {});
    t.equal(res.status, 401, `${method} ${url}`);
  }
});

t.test('numbers in answers are read like typed text (harmless variation is accepted)', async (t) => {
  const app = await build(t, { demo: true });
  const api = await apiSignUp(app, { email: 'num@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  const res = await api.patch(`/api/v1/applications/${id}/answers`, { company: { ...VALID_ANSWERS.company, paid_in_capital: 500000000, employees: 25 }, apis: { apis: 'balance', calls_balance: '10,000' } });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal(res.body.application.answers.company.paid_in_capital, '500000000');
  t.same(res.body.application.answers.apis.apis, ['balance']);
});
