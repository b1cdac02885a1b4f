// Resubmission after a change request, and submits racing each other or the reviewer.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { build, signUp, type Browser } from '../helpers/build';
import {
  ALL_DECLARATIONS,
  VALID_ANSWERS,
  fillAllSections,
  startApplication,
  submittedApplication,
} from '../helpers/onboarding';

let now = new Date('2026-11-26T06:00:00.000Z');
const clock = () => now;

// One app per file (building one per test is slow on PostgreSQL); each test signs up its own organization.
let shared: FastifyInstance;
t.before(async () => {
  shared = await build(t, { clock });
});
let people = 0;
const newEmail = () => `owner${++people}@fin.example`;

async function expectFrozen(t: Test, b: Browser, id: string) {
  const get = await b.get(`/applications/${id}/company`);
  t.equal(get.statusCode, 303, 'GET a section redirects to the summary');
  t.equal(get.headers.location, `/applications/${id}/check`);
  const post = await b.post(
    `/applications/${id}/company`,
    { ...VALID_ANSWERS.company, legal_name: '바꾼 이름', action: 'continue' },
    { formUrl: `/applications/${id}/check` },
  );
  t.equal(post.statusCode, 409);
  t.match(post.body, '제출한 이용신청은 고칠 수 없습니다');
  const draft = await b.post(
    `/applications/${id}/company`,
    { legal_name: '바꾼 이름', action: 'draft' },
    { formUrl: `/applications/${id}/check` },
  );
  t.equal(draft.statusCode, 409, 'not even as a draft');
}

t.test('only the sections named in a change request can be edited and resubmission creates version 2', async (t) => {
  const app = shared;
  const { browser: b, id } = await submittedApplication(app, newEmail());
  const countersBefore = Number((await app.db('reference_counters').first()).last_value);
  const reference = (await app.db('applications').where({ id }).first()).reference;
  // The reviewer (workflow module) asks for changes to the technical details.
  await app
    .db('applications')
    .where({ id })
    .update({ status: 'changes_requested', changes_requested_sections: JSON.stringify(['technical']) });
  await app.db('audit_events').insert({
    id: '5f0c2a9e-7b1d-4e3a-9c8f-000000000001',
    application_id: id,
    actor_label: 'reviewer@portal.example',
    event: 'application.changes_requested',
    from_state: 'suitability:submitted',
    to_state: 'suitability:changes_requested',
    reason: '운영 콜백 URL의 경로를 확인해 주세요.',
    internal: false,
    created_at: '2026-11-26T06:00:00.000Z',
  });
  const home = await b.get('/applications');
  t.match(home.body, '운영 콜백 URL의 경로를 확인해 주세요.', "the reviewer's reason is shown");
  t.match(home.body, '심사자가 보완을 요청했습니다');
  t.match(home.body, `href="/applications/${id}/technical"`);
  t.match(home.body, /task-technical-status">보완 요청/);
  await expectFrozen(t, b, id);
  const page = await b.get(`/applications/${id}/technical`);
  t.equal(page.statusCode, 200);
  const save = await b.post(`/applications/${id}/technical?return=check`, {
    callback_urls: 'https://pay.test-fintech.example/oauth/v2/callback',
    server_ips: '203.0.113.10',
    security_staff_count: '3',
    ciso_name: '정보안',
    action: 'continue',
  });
  t.equal(save.statusCode, 303);
  t.equal(save.headers.location, `/applications/${id}/check`);
  const check = await b.get(`/applications/${id}/check`);
  t.match(check.body, '동의하고 다시 제출');
  t.match(
    check.body,
    `href="/applications/${id}/technical?return&#x3D;check#callback_urls"`,
    'Change links for the requested section',
  );
  t.notMatch(check.body, `href="/applications/${id}/company?return&#x3D;check#`, 'no Change links elsewhere');
  const resubmit = await b.post(`/applications/${id}/submit`, ALL_DECLARATIONS, {
    formUrl: `/applications/${id}/check`,
  });
  t.equal(resubmit.statusCode, 303);
  const row = await app.db('applications').where({ id }).first();
  t.same(
    [row.stage, row.status, Number(row.current_version), row.reference, row.changes_requested_sections],
    ['suitability', 'submitted', 2, reference, null],
  );
  const versions = await app.db('application_versions').where({ application_id: id }).orderBy('version');
  t.same(
    versions.map((v) => Number(v.version)),
    [1, 2],
  );
  t.equal(
    JSON.parse(versions[0].answers).technical.callback_urls,
    'https://pay.test-fintech.example/oauth/callback\nhttp://localhost:8080/callback',
    'version 1 is unchanged',
  );
  t.equal(
    JSON.parse(versions[1].answers).technical.callback_urls,
    'https://pay.test-fintech.example/oauth/v2/callback',
  );
  const event = await app
    .db('audit_events')
    .where({ application_id: id, event: 'application.submitted' })
    .orderBy('seq', 'desc')
    .first();
  t.equal(event.from_state, 'suitability:changes_requested');
  t.equal(event.to_state, 'suitability:submitted');
  const conf = await b.get(`/applications/${id}/confirmation`);
  t.match(conf.body, '보완한 이용신청을 다시 제출했습니다');
  t.equal(
    Number((await app.db('reference_counters').first()).last_value),
    countersBefore,
    'the reference is kept, no new number used',
  );
});

t.test('two submits at once create one version; the other gets a conflict page', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: newEmail() });
  const id = await startApplication(b);
  await fillAllSections(b, id);
  const countersBefore = Number((await app.db('reference_counters').first())?.last_value ?? 0);
  const csrf = await b.csrfToken(`/applications/${id}/check`);
  const send = () =>
    b.app.inject({
      method: 'POST',
      url: `/applications/${id}/submit`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: new URLSearchParams({ ...ALL_DECLARATIONS, _csrf: csrf }).toString(),
    });
  const results = await Promise.all([send(), send()]);
  t.same(results.map((r) => r.statusCode).sort(), [303, 409]);
  t.match(results.find((r) => r.statusCode === 409)!.body, '다른 곳에서 먼저 변경되었습니다');
  t.equal((await app.db('application_versions').where({ application_id: id })).length, 1);
  t.equal((await app.db('audit_events').where({ application_id: id, event: 'application.submitted' })).length, 1);
  t.equal(
    Number((await app.db('reference_counters').first())?.last_value ?? 0),
    countersBefore + 1,
    'one reference number used',
  );
});

t.test('a submission is refused when the reviewer moved the application between page load and submit', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: newEmail() });
  const id = await startApplication(b);
  await fillAllSections(b, id);
  const csrf = await b.csrfToken(`/applications/${id}/check`);
  await app.db('applications').where({ id }).update({ status: 'withdrawn' });
  const res = await b.app.inject({
    method: 'POST',
    url: `/applications/${id}/submit`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    payload: new URLSearchParams({ ...ALL_DECLARATIONS, _csrf: csrf }).toString(),
  });
  t.equal(res.statusCode, 409);
  t.equal((await app.db('application_versions').where({ application_id: id })).length, 0);
});

t.test('a withdrawn application lets the organization start a new one', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: newEmail() });
  const first = await startApplication(b);
  await app.db('applications').where({ id: first }).update({ status: 'withdrawn' });
  const home = await b.get('/applications');
  t.match(home.body, '새 이용신청 시작');
  const second = await startApplication(b);
  t.not(second, first);
  const again = await b.post('/applications', {}, { formUrl: '/applications' });
  t.equal(again.headers.location, '/applications', 'still only one active application');
  const orgId = (await app.db('applications').where({ id: first }).first()).organization_id;
  t.equal((await app.db('applications').where({ organization_id: orgId })).length, 2);
});

t.test('a resubmission is not blocked by frozen sections that today would fail (a launch date now past)', async (t) => {
  const app = shared;
  const { browser: b, id } = await submittedApplication(app, newEmail());
  await app
    .db('applications')
    .where({ id })
    .update({ status: 'changes_requested', changes_requested_sections: JSON.stringify(['contacts']) });
  now = new Date('2027-07-01T00:00:00.000Z'); // after VALID_ANSWERS.service.launch_date
  t.teardown(() => {
    now = new Date('2026-11-26T06:00:00.000Z');
  });
  const check = await b.get(`/applications/${id}/check`);
  t.notMatch(check.body, '제출하려면 다음을 완료하세요', 'the frozen service section is not listed as incomplete');
  const res = await b.post(`/applications/${id}/submit`, ALL_DECLARATIONS, { formUrl: `/applications/${id}/check` });
  t.equal(res.statusCode, 303);
  const versions = await app.db('application_versions').where({ application_id: id }).orderBy('version');
  t.equal(
    JSON.parse(versions[1].answers).service.launch_date,
    '2027-06-01',
    'the frozen answer is carried over unchanged',
  );
  // But a section the reviewer reopened is checked against today.
  await app
    .db('applications')
    .where({ id })
    .update({ status: 'changes_requested', changes_requested_sections: JSON.stringify(['service']) });
  const blocked = await b.post(`/applications/${id}/submit`, ALL_DECLARATIONS, {
    formUrl: `/applications/${id}/check`,
  });
  t.equal(blocked.statusCode, 422);
  t.match(blocked.body, '‘서비스 정보’에 고칠 내용이 있습니다');
});
