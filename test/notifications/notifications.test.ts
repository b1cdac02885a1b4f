import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';
import { staffUser } from '../helpers/workflow';

t.test('notifying an organization reaches every member, and a staff role only that role', async (t) => {
  const app = await build(t);
  const owner = await signUp(app, { email: 'owner@a.example', organization: '에이' });
  await signUp(app, { email: 'owner@b.example', organization: '비' });
  const org = await app
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('u.email', 'owner@a.example')
    .first('m.organization_id');
  await app.services.accounts.createUserDirect({
    email: 'member@a.example',
    name: '멤버',
    password: 'member-password-1',
    organizationId: org.organization_id,
    orgRole: 'member',
  });
  const reviewer = await staffUser(app, 'reviewer');
  await staffUser(app, 'inspector');

  const told = await app.services.notifications.notify(
    { organizationId: org.organization_id },
    { messageKey: 'notifications.messages.live', params: { reference: 'OB-2026-000009' }, link: '/applications' },
  );
  t.equal(told, 2, 'owner and member');
  const staffTold = await app.services.notifications.notify(
    { staffRole: 'reviewer' },
    {
      messageKey: 'notifications.messages.waiting_for_review',
      params: { reference: 'OB-2026-000009', organization: '에이', nextStage: 'suitability' },
    },
  );
  t.equal(staffTold, 1, 'only reviewers');
  const mails = await app.db('email_outbox').orderBy('to_address');
  t.same(
    mails.map((m) => m.to_address),
    ['member@a.example', 'owner@a.example', 'reviewer@staff.example'],
  );
  t.match(mails[0].subject, '[오픈뱅킹 포털]');
  t.match(mails[0].body, 'http://localhost:3000/applications');

  const page = await owner.get('/notifications');
  t.match(page.body, 'OB-2026-000009');
  t.match(page.body, /class="badge">1</, 'the header shows the unread count');
  const en = await reviewer.browser.get('/notifications?lang=en');
  t.match(en.body, 'is waiting for review: Suitability review', 'stage names are translated for each reader');
});

t.test("a user cannot mark someone else's notification read (404), and read-all clears the badge", async (t) => {
  const app = await build(t);
  const a = await signUp(app, { email: 'a@a.example', organization: '에이' });
  const b = await signUp(app, { email: 'b@b.example', organization: '비' });
  const orgA = await app
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('u.email', 'a@a.example')
    .first('m.organization_id');
  for (let i = 0; i < 2; i++)
    await app.services.notifications.notify(
      { organizationId: orgA.organization_id },
      { messageKey: 'notifications.messages.live', params: { reference: `R${i}` } },
    );
  const theirs = await app.db('notifications').first('id');
  t.equal((await b.post(`/notifications/${theirs.id}/read`, {}, { formUrl: '/notifications' })).statusCode, 404);
  t.equal((await app.db('notifications').whereNotNull('read_at')).length, 0, 'nothing was marked');
  t.equal((await b.post('/notifications/not-an-id/read', {}, { formUrl: '/notifications' })).statusCode, 404);
  t.match((await a.get('/account')).body, /class="badge">2</, 'the count shows on every page');
  t.equal((await a.post('/notifications/read-all', {}, { formUrl: '/notifications' })).statusCode, 303);
  t.notMatch((await a.get('/account')).body, /class="badge">/);
  t.equal((await new Browser(app).get('/notifications')).statusCode, 303, 'signed-out visitors are sent to sign in');
});

t.test('the e-mail outbox is listed for admins only and says honestly that nothing is sent without SMTP', async (t) => {
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const reviewer = await staffUser(app, 'reviewer');
  const applicant = await signUp(app, { email: 'a@a.example', organization: '에이' });
  await app.services.notifications.notify(
    { staffRole: 'reviewer' },
    { messageKey: 'notifications.messages.live', params: { reference: 'OB-1' } },
  );
  const page = await admin.browser.get('/admin/outbox');
  t.equal(page.statusCode, 200);
  t.match(page.body, 'reviewer@staff.example');
  t.match(page.body, 'not_sent: SMTP not configured');
  t.match(page.body, 'SMTP가 설정되지 않았습니다');
  t.equal((await reviewer.browser.get('/admin/outbox')).statusCode, 403);
  t.equal((await applicant.get('/admin/outbox')).statusCode, 403);
});
