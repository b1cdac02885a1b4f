import { randomUUID } from 'node:crypto';
import t from 'tap';
import { Browser, build } from '../helpers/build';
import { ALL_DECLARATIONS, VALID_ANSWERS } from '../helpers/onboarding';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';
import { AUDIT_CSV_CHUNK, auditTrailCsv } from '../../src/workflow/audit-csv';

t.test('an applicant cannot open staff pages (403)', async (t) => {
  const app = await build(t);
  const { browser, id } = await applicationAt(app, 'suitability');
  for (const url of ['/staff', `/staff/applications/${id}`, `/staff/applications/${id}/audit.csv`, '/admin/outbox']) {
    t.equal((await browser.get(url)).statusCode, 403, url);
  }
  const res = await browser.post(
    `/staff/applications/${id}/decision`,
    { event: 'approve', reason: 'x' },
    { formUrl: '/applications' },
  );
  t.equal(res.statusCode, 403);
  const anonymous = await new Browser(app).get('/staff');
  t.equal(anonymous.statusCode, 303, 'signed-out visitors are sent to sign in');
  t.match(String(anonymous.headers.location), '/login');
});

t.test('the reviewer sees a diff against the previous version', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await applicationAt(app, 'suitability');
  const url = `/staff/applications/${id}`;
  let page = await reviewer.browser.get(url);
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, '<ins>', 'a first submission has nothing to compare');
  t.match(page.body, '주식회사 테스트핀테크');
  t.match(page.body, '신청 기관이 확인한 사항', 'the declarations are shown too');
  t.match(page.body, '정보의 정확성');

  await reviewer.browser.post(
    `${url}/decision`,
    { event: 'request_changes', reason: '주소를 고치세요', sections: ['company'] },
    { formUrl: url },
  );
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
  const { browser, id } = await applicationAt(app, 'suitability');
  const url = `/staff/applications/${id}`;
  await reviewer.browser.post(
    `${url}/decision`,
    { event: 'request_changes', reason: '주소, "도로명"으로\n다시 적어 주세요', sections: ['company'] },
    { formUrl: url },
  );

  const res = await reviewer.browser.get(`${url}/audit.csv`);
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), 'text/csv; charset=utf-8');
  t.match(String(res.headers['content-disposition']), /attachment; filename="audit-OB-\d{4}-\d{6}\.csv"/);
  t.equal(res.body.charCodeAt(0), 0xfeff, 'UTF-8 BOM for Excel');
  const lines = res.body.slice(1).split('\r\n');
  t.equal(
    lines[0],
    'created_at,event,event_name,actor,from_state,from_state_name,to_state,to_state_name,reason,internal,data',
  );
  t.match(res.body, '"주소, ""도로명""으로\n다시 적어 주세요"', 'commas, quotes and new lines are escaped');
  t.match(res.body, 'application.submitted,신청서 제출,', 'the key beside its Korean name');
  t.equal((await inspector.browser.get(`${url}/audit.csv`)).statusCode, 200, 'any staff role may export');
  t.equal((await browser.get(`${url}/audit.csv`)).statusCode, 403, 'the applicant may not');
  t.equal((await new Browser(app).get(`${url}/audit.csv`)).statusCode, 303, 'nor may a signed-out visitor');
  t.equal(
    (await reviewer.browser.get('/staff/applications/00000000-0000-4000-8000-000000000000/audit.csv')).statusCode,
    404,
  );
});

t.test(
  'a long audit trail streams in keyset chunks: every event once, in order, the same file as read whole',
  async (t) => {
    const app = await build(t);
    const reviewer = await staffUser(app, 'reviewer');
    const { id } = await applicationAt(app, 'suitability');
    const org = (await app.db('applications').where({ id }).first('organization_id')) as { organization_id: string };
    // Enough events for three chunks (AUDIT_CSV_CHUNK each) and a partial one.
    const extra = AUDIT_CSV_CHUNK * 2 + 37;
    const at = Date.parse('2026-12-01T00:00:00.000Z');
    for (let i = 0; i < extra; i += 200)
      await app.db('audit_events').insert(
        Array.from({ length: Math.min(200, extra - i) }, (_, k) => ({
          id: randomUUID(),
          organization_id: org.organization_id,
          application_id: id,
          actor_user_id: null,
          actor_label: `note-${i + k}`,
          event: 'application.checklist_saved',
          internal: (i + k) % 3 === 0,
          created_at: new Date(at + (i + k) * 1000).toISOString(),
        })),
      );
    const res = await reviewer.browser.get(`/staff/applications/${id}/audit.csv`);
    t.equal(res.statusCode, 200);
    const events = await app.services.audit.forApplication(id, { includeInternal: true });
    t.ok(events.length > AUDIT_CSV_CHUNK * 2, `a trail longer than two chunks (${events.length} events)`);
    t.equal(res.body, auditTrailCsv(events, 'ko'), 'the streamed file equals the whole trail written at once');
    const notes = res.body.match(/note-\d+/g) ?? [];
    t.equal(notes.length, extra, 'every event once');
    t.same(
      notes,
      Array.from({ length: extra }, (_, i) => `note-${i}`),
      'oldest first',
    );
  },
);
