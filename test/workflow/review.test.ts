import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';
import { ALL_DECLARATIONS, VALID_ANSWERS, submittedApplication } from '../helpers/onboarding';
import { manualClock, passChecklist, staffUser } from '../helpers/workflow';
import { AppError } from '../../src/http/errors';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app.db('applications').where({ id }).first('stage', 'status', 'changes_requested_sections', 'claimed_by');
  return row as { stage: string; status: string; changes_requested_sections: string | null; claimed_by: string | null };
}

t.test('two reviewers deciding at once: exactly one wins and the other gets 409 naming the current state', async (t) => {
  const app = await build(t);
  const a = await staffUser(app, 'reviewer', 'a@staff.example');
  const b = await staffUser(app, 'reviewer', 'b@staff.example');
  const { id } = await submittedApplication(app);

  // Service level: both load the same state, exactly one compare-and-set wins.
  const results = await Promise.allSettled([
    app.services.workflow.transition(id, 'request_changes', a.user, { reason: '회사 정보를 보완하세요.', sections: ['company'] }),
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
  const decisions = await app.db('audit_events').where({ application_id: id }).whereIn('event', ['application.changes_requested', 'application.rejected']);
  t.equal(decisions.length, 1, 'only the winner is audited');

  // HTTP level: the page answers 409 and names the state.
  const res = await b.browser.post(`/staff/applications/${id}/decision`, { event: 'approve', reason: '승인' }, { formUrl: `/staff/applications/${id}` });
  t.equal(res.statusCode, 409);
  t.match(res.body, now.status === 'rejected' ? '반려' : '보완 요청');
  t.match(res.body, '저장되지 않았습니다');
});

t.test('approval needs every checklist item pass or not applicable', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await submittedApplication(app);
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
  res = await reviewer.browser.post(`${url}/decision`, { event: 'approve', reason: '모든 요건 충족' }, { formUrl: url });
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
  const { id } = await submittedApplication(app);
  const url = `/staff/applications/${id}`;
  await passChecklist(reviewer.browser, id);
  for (const [event, extra] of [['approve', {}], ['request_changes', { sections: 'company' }], ['reject', {}]] as const) {
    const res = await reviewer.browser.post(`${url}/decision`, { event, reason: '   ', ...extra }, { formUrl: url });
    t.equal(res.statusCode, 422, `${event} without a reason is refused`);
    t.match(res.body, `href="#reason_${event}"`, 'the error links to the reason box of that form');
    t.match(res.body, '결정 사유를 입력하세요');
  }
  const s = await stateOf(app, id);
  t.same([s.stage, s.status], ['suitability', 'submitted'], 'nothing changed');
  await t.rejects(app.services.workflow.transition(id, 'reject', reviewer.user, {}), { code: 'validation' });
  const decisions = await app.db('audit_events').where({ application_id: id }).whereIn('event', ['application.approved', 'application.changes_requested', 'application.rejected']);
  t.equal(decisions.length, 0, 'no decision was recorded');
});

t.test('an applicant cannot open staff pages (403)', async (t) => {
  const app = await build(t);
  const { browser, id } = await submittedApplication(app);
  for (const url of ['/staff', `/staff/applications/${id}`, `/staff/applications/${id}/audit.csv`, '/admin/outbox']) {
    t.equal((await browser.get(url)).statusCode, 403, url);
  }
  const res = await browser.post(`/staff/applications/${id}/decision`, { event: 'approve', reason: 'x' }, { formUrl: '/applications' });
  t.equal(res.statusCode, 403);
  const anonymous = await new Browser(app).get('/staff');
  t.equal(anonymous.statusCode, 303, 'signed-out visitors are sent to sign in');
  t.match(String(anonymous.headers.location), '/login');
});

t.test('request changes names sections and the applicant is notified', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await submittedApplication(app);
  const url = `/staff/applications/${id}`;

  let res = await reviewer.browser.post(`${url}/decision`, { event: 'request_changes', reason: '등기부등본과 주소가 다릅니다.' }, { formUrl: url });
  t.equal(res.statusCode, 422, 'at least one section must be named');
  t.match(res.body, 'href="#sections"');
  t.match(res.body, '등기부등본과 주소가 다릅니다.', 'the reason is kept');
  res = await reviewer.browser.post(`${url}/decision`, { event: 'request_changes', reason: 'x', sections: ['company', 'not_a_section'] }, { formUrl: url });
  t.equal(res.statusCode, 422, 'unknown sections are refused');

  res = await reviewer.browser.post(`${url}/decision`, { event: 'request_changes', reason: '등기부등본과 주소가 다릅니다.', sections: ['company', 'contacts'], internal_note: '전화로 확인 필요' }, { formUrl: url });
  t.equal(res.statusCode, 303);
  const s = await stateOf(app, id);
  t.same([s.stage, s.status], ['suitability', 'changes_requested']);
  t.same(JSON.parse(s.changes_requested_sections!), ['company', 'contacts']);

  const home = await browser.get('/applications');
  t.match(home.body, /class="badge">1</, 'the header shows one unread notification');
  const list = await browser.get('/notifications');
  t.match(list.body, '보완이 요청되었습니다');
  t.match(list.body, '회사 정보, 담당자');
  t.match(list.body, '등기부등본과 주소가 다릅니다.');
  const mail = await app.db('email_outbox').where({ to_address: 'owner@test-fintech.example' });
  t.equal(mail.length, 1, 'an e-mail is queued for the owner');
  t.match(mail[0].body, `/applications`);
  t.equal(mail[0].status, 'not_sent: SMTP not configured');

  const visible = await app.services.audit.forApplication(id, { includeInternal: false });
  t.notOk(visible.some((e) => e.reason === '전화로 확인 필요'), 'the internal note is hidden from the applicant');
  const all = await app.services.audit.forApplication(id, { includeInternal: true });
  t.ok(all.some((e) => e.reason === '전화로 확인 필요' && e.internal));

  // Mark read: the badge disappears.
  const n = await app.db('notifications').where({ application_id: id }).first('id');
  res = await browser.post(`/notifications/${n.id}/read`, {}, { formUrl: '/notifications' });
  t.equal(res.statusCode, 303);
  t.notMatch((await browser.get('/notifications')).body, /class="badge">/);
});

t.test('the reviewer sees a diff against the previous version', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await submittedApplication(app);
  const url = `/staff/applications/${id}`;
  let page = await reviewer.browser.get(url);
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, '<ins>', 'a first submission has nothing to compare');
  t.match(page.body, '주식회사 테스트핀테크');

  await reviewer.browser.post(`${url}/decision`, { event: 'request_changes', reason: '주소를 고치세요', sections: ['company'] }, { formUrl: url });
  const company = { ...VALID_ANSWERS.company, address: '서울특별시 중구 을지로 100' };
  let res = await browser.post(`/applications/${id}/company`, { ...company, action: 'continue' });
  t.equal(res.statusCode, 303, 'the applicant changes the company section');
  res = await browser.post(`/applications/${id}/submit`, ALL_DECLARATIONS, { formUrl: `/applications/${id}/check` });
  t.equal(res.statusCode, 303, 'and resubmits');

  page = await reviewer.browser.get(url);
  t.match(page.body, '<del>세종대로 110</del>');
  t.match(page.body, '<ins>을지로 100</ins>');
  t.match(page.body, '서울특별시 중구 ', 'unchanged words are shown plainly');
  t.match(page.body, '보완 요청', 'earlier decisions are listed');
});

t.test('the audit trail exports as CSV for staff only', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const inspector = await staffUser(app, 'inspector');
  const { browser, id } = await submittedApplication(app);
  const url = `/staff/applications/${id}`;
  await reviewer.browser.post(`${url}/decision`, { event: 'request_changes', reason: '주소, "도로명"으로\n다시 적어 주세요', sections: ['company'] }, { formUrl: url });

  const res = await reviewer.browser.get(`${url}/audit.csv`);
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), 'text/csv; charset=utf-8');
  t.match(String(res.headers['content-disposition']), /attachment; filename="audit-OB-\d{4}-\d{6}\.csv"/);
  t.equal(res.body.charCodeAt(0), 0xfeff, 'UTF-8 BOM for Excel');
  const lines = res.body.slice(1).split('\r\n');
  t.equal(lines[0], 'created_at,event,actor,from_state,to_state,reason,internal,data');
  t.match(res.body, '"주소, ""도로명""으로\n다시 적어 주세요"', 'commas, quotes and new lines are escaped');
  t.match(res.body, 'application.submitted');
  t.equal((await inspector.browser.get(`${url}/audit.csv`)).statusCode, 200, 'any staff role may export');
  t.equal((await browser.get(`${url}/audit.csv`)).statusCode, 403, 'the applicant may not');
  t.equal((await new Browser(app).get(`${url}/audit.csv`)).statusCode, 303, 'nor may a signed-out visitor');
  t.equal((await reviewer.browser.get('/staff/applications/00000000-0000-4000-8000-000000000000/audit.csv')).statusCode, 404);
});

t.test('items waiting more than 5 working days are highlighted', async (t) => {
  const clock = manualClock('2026-11-02T01:00:00.000Z'); // Monday 10:00 in Seoul
  const app = await build(t, { clock });
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await submittedApplication(app);
  clock.set('2026-11-09T01:00:00.000Z'); // next Monday: 5 working days
  let page = await reviewer.browser.get('/staff');
  t.match(page.body, `/staff/applications/${id}`);
  t.notMatch(page.body, 'class="overdue"', 'five working days is still on target');
  t.match(page.body, '영업일 5일');
  clock.set('2026-11-10T01:00:00.000Z'); // Tuesday: 6
  page = await reviewer.browser.get('/staff');
  t.match(page.body, 'class="overdue"');
  t.match(page.body, '목표 초과');
});

t.test('each staff role sees the queue for its own stages; filters are validated', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const inspector = await staffUser(app, 'inspector');
  const admin = await staffUser(app, 'admin');
  const { id } = await submittedApplication(app);
  t.match((await reviewer.browser.get('/staff')).body, `/staff/applications/${id}`);
  t.notMatch((await inspector.browser.get('/staff')).body, `/staff/applications/${id}`, 'the inspector does not see suitability');
  t.match((await admin.browser.get('/staff')).body, `/staff/applications/${id}`, 'admin sees all stages');
  t.notMatch((await reviewer.browser.get('/staff?stage=testing')).body, `/staff/applications/${id}`, 'the stage filter applies');
  t.notMatch((await reviewer.browser.get('/staff?status=in_review')).body, `/staff/applications/${id}`, 'the status filter applies');
  t.equal((await reviewer.browser.get('/staff?stage=security')).statusCode, 422, 'another role\'s stage is refused');
  t.equal((await reviewer.browser.get('/staff?status=nonsense')).statusCode, 422);

  // Claim from the queue: in review, claimed by the reviewer; the applicant is told.
  const res = await reviewer.browser.post(`/staff/applications/${id}/claim`, {}, { formUrl: '/staff' });
  t.equal(res.statusCode, 303);
  const row = await stateOf(app, id);
  t.same([row.status, row.claimed_by], ['in_review', reviewer.user.id]);
  t.equal((await inspector.browser.post(`/staff/applications/${id}/claim`, {}, { formUrl: '/staff' })).statusCode, 409, 'a second claim conflicts');
});

t.test('an applicant sees only their own organization\'s testing page (other organizations get 404)', async (t) => {
  const app = await build(t);
  const { id } = await submittedApplication(app);
  const other = await signUp(app, { email: 'other@else.example', organization: '다른회사' });
  t.equal((await other.get(`/applications/${id}/testing`)).statusCode, 404);
  t.equal((await other.get('/applications/not-a-uuid/testing')).statusCode, 404);
});

t.test('only the owner can withdraw, once, and waiting reviewers are told', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await submittedApplication(app);
  const orgId = (await app.db('applications').where({ id }).first('organization_id')).organization_id;
  await app.services.accounts.createUserDirect({ email: 'member@test-fintech.example', name: '멤버', password: 'member-password-1', organizationId: orgId, orgRole: 'member' });
  const member = new Browser(app);
  await member.login('member@test-fintech.example', 'member-password-1');
  t.equal((await member.get(`/applications/${id}/withdraw`)).statusCode, 403, 'a member may not withdraw');

  let res = await browser.post(`/applications/${id}/withdraw`, { reason: '사업 계획 변경' });
  t.equal(res.statusCode, 422, 'the owner must confirm');
  t.match(res.body, 'href="#confirm"');
  t.match(res.body, '사업 계획 변경');
  res = await browser.post(`/applications/${id}/withdraw`, { reason: '사업 계획 변경', confirm: 'yes' });
  t.equal(res.statusCode, 303);
  t.equal((await stateOf(app, id)).status, 'withdrawn');
  const told = await app.db('notifications').where({ user_id: reviewer.user.id, message_key: 'notifications.messages.withdrawn' });
  t.equal(told.length, 1);
  t.match((await browser.get(`/applications/${id}/withdraw`)).body, '더 이상 철회할 수 없습니다');
  t.equal((await browser.post(`/applications/${id}/withdraw`, { confirm: 'yes' })).statusCode, 409, 'a terminal state allows nothing');
});

t.test('a submission persisted by another module can be announced to the stage\'s staff', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const inspector = await staffUser(app, 'inspector');
  const { id } = await submittedApplication(app);
  const count = async () => (await app.db('notifications').where({ user_id: reviewer.user.id, application_id: id })).length;
  const before = await count();
  await app.services.workflow.announceSubmission(id);
  t.equal(await count(), before + 1, 'each reviewer is told once more');
  t.equal((await app.db('notifications').where({ user_id: inspector.user.id })).length, 0, 'other roles are not');
  const page = await reviewer.browser.get('/notifications');
  t.match(page.body, `/staff/applications/${id}`);
});
