import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app
    .db('applications')
    .where({ id })
    .first('stage', 'status', 'changes_requested_sections', 'claimed_by');
  return row as { stage: string; status: string; changes_requested_sections: string | null; claimed_by: string | null };
}

t.test('request changes names sections and the applicant is notified', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await applicationAt(app, 'suitability');
  const url = `/staff/applications/${id}`;

  let res = await reviewer.browser.post(
    `${url}/decision`,
    { event: 'request_changes', reason: '등기부등본과 주소가 다릅니다.' },
    { formUrl: url },
  );
  t.equal(res.statusCode, 422, 'at least one section must be named');
  t.match(res.body, 'href="#sections"');
  t.match(res.body, '등기부등본과 주소가 다릅니다.', 'the reason is kept');
  res = await reviewer.browser.post(
    `${url}/decision`,
    { event: 'request_changes', reason: 'x', sections: ['company', 'not_a_section'] },
    { formUrl: url },
  );
  t.equal(res.statusCode, 422, 'unknown sections are refused');

  res = await reviewer.browser.post(
    `${url}/decision`,
    {
      event: 'request_changes',
      reason: '등기부등본과 주소가 다릅니다.',
      sections: ['company', 'contacts'],
      internal_note: '전화로 확인 필요',
    },
    { formUrl: url },
  );
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
  // The owner's other e-mail is the submission receipt (test/onboarding/receipt.test.ts).
  const mail = await app
    .db('email_outbox')
    .where({ to_address: 'owner@test-fintech.example' })
    .andWhere('subject', 'not like', '%접수증%');
  t.equal(mail.length, 1, 'an e-mail is queued for the owner');
  t.match(mail[0].body, `/applications`);
  t.equal(mail[0].status, 'not_sent: SMTP not configured');

  const visible = await app.services.audit.forApplication(id, { includeInternal: false });
  t.notOk(
    visible.some((e) => e.reason === '전화로 확인 필요'),
    'the internal note is hidden from the applicant',
  );
  const all = await app.services.audit.forApplication(id, { includeInternal: true });
  t.ok(all.some((e) => e.reason === '전화로 확인 필요' && e.internal));

  // Mark read: the badge disappears.
  // The applicant's notification (the reviewer was told about the submission too, in the same table).
  const n = await app
    .db('notifications')
    .where({ application_id: id })
    .whereNot({ user_id: reviewer.user.id })
    .first('id');
  res = await browser.post(`/notifications/${n.id}/read`, {}, { formUrl: '/notifications' });
  t.equal(res.statusCode, 303);
  t.notMatch((await browser.get('/notifications')).body, /class="badge">/);
});
