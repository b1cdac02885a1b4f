// Staff management on /admin/staff: an admin changes a member's role (not their own; the last active admin
// keeps the role), deactivates and reactivates members and sends them a password reset link. A change of
// role or a deactivation ends the member's sessions and returns their claimed applications to the queue.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { Browser, build } from '../helpers/build';
import { staffUser, STAFF_PASSWORD } from '../helpers/workflow';
import { applicationAt } from '../helpers/stage-shortcut';

const count = async (q: PromiseLike<any>): Promise<number> => {
  const r = await q;
  return Number((Array.isArray(r) ? r[0] : r)?.n ?? 0);
};
const sessionsOf = (app: FastifyInstance, userId: string) =>
  count(app.db('sessions').where({ user_id: userId }).count({ n: '*' }).first());

/** A submitted application claimed by `reviewer` through the queue's claim button. */
async function claimedApplication(app: FastifyInstance, reviewer: Browser, ownerEmail: string): Promise<string> {
  const { id } = await applicationAt(app, 'suitability', { email: ownerEmail });
  const res = await reviewer.post(`/staff/applications/${id}/claim`, {}, { formUrl: '/staff' });
  if (res.statusCode !== 303) throw new Error(`claim failed: ${res.statusCode}`);
  const row = await app.db('applications').where({ id }).first();
  if (row.status !== 'in_review' || !row.claimed_by) throw new Error('not claimed');
  return id;
}

/** The queue row of an application as `who` sees it on /staff (the row's HTML). */
async function queueRow(who: Browser, applicationId: string): Promise<string> {
  const page = await who.get('/staff');
  const row = page.body.split('<tr').find((r) => r.includes(`/staff/applications/${applicationId}"`));
  return row ?? '';
}

t.test(
  "an admin changes a staff member's role: audited, their sessions end, their claims return to the queue",
  async (t) => {
    t.setTimeout(120_000);
    const app = await build(t);
    const admin = await staffUser(app, 'admin');
    const reviewer = await staffUser(app, 'reviewer');
    const colleague = await staffUser(app, 'reviewer', 'colleague@staff.example');
    const id = await claimedApplication(app, reviewer.browser, 'owner@role.example');
    t.match(await queueRow(colleague.browser, id), 'reviewer 직원', 'the queue shows who claimed it');

    const page = await admin.browser.get('/admin/staff');
    t.equal(page.statusCode, 200);
    t.match(page.body, `action="/admin/staff/${reviewer.user.id}/role"`);
    t.match(page.body, new RegExp(`<select id="role_${reviewer.user.id}" name="staff_role">`));
    t.match(page.body, '>변경<');
    t.match(page.body, '활성');
    t.notMatch(page.body, `action="/admin/staff/${admin.user.id}/role"`, 'no role form for oneself');
    t.match(page.body, 'class="table-wrap"', 'the table sits in the scrolling region (375 px)');

    const res = await admin.browser.post(
      `/admin/staff/${reviewer.user.id}/role`,
      { staff_role: 'inspector' },
      { formUrl: '/admin/staff' },
    );
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/admin/staff');
    const after = await admin.browser.get('/admin/staff');
    t.match(
      after.body,
      'reviewer 직원의 직무를 보안 점검자로 바꿨습니다',
      'the flash names the new role with the right particle',
    );
    t.notMatch(after.body, /\(으\)로|을\(를\)/);
    t.equal((await app.db('users').where({ id: reviewer.user.id }).first()).staff_role, 'inspector');

    t.equal((await reviewer.browser.get('/staff')).statusCode, 303, 'the member is signed out: their rights changed');
    t.equal(await sessionsOf(app, reviewer.user.id), 0);
    const audit = await app.db('audit_events').where({ event: 'staff.role_changed' }).first();
    t.equal(audit.actor_user_id, admin.user.id);
    t.same(JSON.parse(audit.data), {
      email: 'reviewer@staff.example',
      from: 'reviewer',
      to: 'inspector',
      sessionsEnded: 1,
      tokensRevoked: 0,
      claimsReleased: 1,
    });

    const row = await app.db('applications').where({ id }).first();
    t.equal(row.claimed_by, null, 'the claim is released');
    t.equal(row.status, 'submitted', 'and the application waits to be claimed again');
    const queued = await queueRow(colleague.browser, id);
    t.match(queued, '배정 전', 'the queue shows it unclaimed');
    t.match(queued, `action="/staff/applications/${id}/claim"`, 'with the claim button');
    const released = await app
      .db('audit_events')
      .where({ event: 'application.claim_released', application_id: id })
      .first();
    t.ok(released, "the release is on the application's trail");
    t.equal(released.from_state, 'suitability:in_review');
    t.equal(released.to_state, 'suitability:submitted');
    t.ok(Boolean(released.internal), 'internal: applicants do not see staff changes');

    const again = new Browser(app);
    await again.login('reviewer@staff.example', STAFF_PASSWORD);
    t.equal((await again.get('/staff')).statusCode, 200, 'they sign in again with the new role');
    t.equal((await again.get('/admin/staff')).statusCode, 403);

    const same = await admin.browser.post(
      `/admin/staff/${reviewer.user.id}/role`,
      { staff_role: 'inspector' },
      { formUrl: '/admin/staff' },
    );
    t.equal(same.statusCode, 303, 'choosing the role they have changes nothing');
    t.equal((await again.get('/staff')).statusCode, 200, 'and ends no session');
    t.equal(await count(app.db('audit_events').where({ event: 'staff.role_changed' }).count({ n: '*' })), 1);

    const bad = await admin.browser.post(
      `/admin/staff/${reviewer.user.id}/role`,
      { staff_role: 'boss' },
      { formUrl: '/admin/staff' },
    );
    t.equal(bad.statusCode, 422, 'an unknown role is re-rendered with a message');
    t.match(bad.body, `href="#role_${reviewer.user.id}"`);
    t.match(bad.body, '직무를 선택하세요');
    const applicant = await app.db('users').where({ email: 'owner@role.example' }).first();
    t.equal(
      (
        await admin.browser.post(
          `/admin/staff/${applicant.id}/role`,
          { staff_role: 'admin' },
          { formUrl: '/admin/staff' },
        )
      ).statusCode,
      404,
      'only staff accounts',
    );
    t.equal((await app.db('users').where({ id: applicant.id }).first()).staff_role, null);
  },
);

t.test('an admin cannot change their own role, and the last active admin never loses the admin role', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const other = await staffUser(app, 'admin', 'other-admin@staff.example');

  const self = await admin.browser.post(
    `/admin/staff/${admin.user.id}/role`,
    { staff_role: 'reviewer' },
    { formUrl: '/admin/staff' },
  );
  t.equal(self.statusCode, 422);
  t.match(self.body, '자신의 직무는 바꿀 수 없습니다');
  t.equal((await app.db('users').where({ id: admin.user.id }).first()).staff_role, 'admin');

  // Two admins demoting each other at the same moment: the second one, acting on what it read before, is refused.
  const staleOther = other.user;
  const first = await admin.browser.post(
    `/admin/staff/${other.user.id}/role`,
    { staff_role: 'reviewer' },
    { formUrl: '/admin/staff' },
  );
  t.equal(first.statusCode, 303, 'with two active admins, one may demote the other');
  await t.rejects(
    app.services.accounts.changeStaffRole(staleOther, admin.user.id, { staff_role: 'reviewer' }),
    { code: 'validation', details: { fieldErrors: [{ message: 'accounts.errors.last_admin' }] } },
    'the last active admin keeps the role',
  );
  await t.rejects(
    app.services.accounts.deactivateStaff(staleOther, admin.user.id),
    { code: 'validation', details: { fieldErrors: [{ message: 'accounts.errors.last_admin' }] } },
    'and cannot be deactivated',
  );
  t.equal((await app.db('users').where({ id: admin.user.id }).first()).staff_role, 'admin');
  t.equal(Boolean((await app.db('users').where({ id: admin.user.id }).first()).disabled), false);
});

t.test('a reviewer cannot reach any /admin route', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const reviewer = await staffUser(app, 'reviewer');
  const adminRoutes = app.routeTable.filter((r) => r.url === '/admin' || r.url.startsWith('/admin/'));
  t.ok(
    adminRoutes.some((r) => r.url === '/admin/staff/:id/role'),
    'the new routes are among them',
  );
  for (const r of adminRoutes) {
    const url = r.url.replace(/:id\b/, admin.user.id).replace(/:orgId\b/, 'no-such-org');
    const res =
      r.method === 'GET'
        ? await reviewer.browser.get(url)
        : await reviewer.browser.post(url, { staff_role: 'reviewer' }, { formUrl: '/account' });
    t.ok([403, 404].includes(res.statusCode), `${r.method} ${r.url} → ${res.statusCode}`);
  }
  const row = await app.db('users').where({ id: admin.user.id }).first();
  t.equal(row.staff_role, 'admin', 'nothing changed');
  t.equal(Boolean(row.disabled), false);
  t.equal(await count(app.db('email_outbox').count({ n: '*' })), 0, 'no reset link was sent');
});

t.test("deactivation releases the member's claims: the application shows as unclaimed in the queue", async (t) => {
  t.setTimeout(120_000);
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const reviewer = await staffUser(app, 'reviewer');
  const colleague = await staffUser(app, 'reviewer', 'colleague@staff.example');
  const claimed = await claimedApplication(app, reviewer.browser, 'owner@one.example');
  // One returned with changes requested: the resubmission would come back to the reviewer who asked.
  const asked = await claimedApplication(app, reviewer.browser, 'owner@two.example');
  const rc = await reviewer.browser.post(
    `/staff/applications/${asked}/decision`,
    { event: 'request_changes', reason: '회사 정보를 보완하세요.', sections: 'company' },
    { formUrl: `/staff/applications/${asked}` },
  );
  t.equal(rc.statusCode, 303);
  t.equal((await app.db('applications').where({ id: asked }).first()).claimed_by, reviewer.user.id);

  const res = await admin.browser.post(`/admin/staff/${reviewer.user.id}/deactivate`, {}, { formUrl: '/admin/staff' });
  t.equal(res.statusCode, 303);
  t.match((await admin.browser.get('/admin/staff')).body, '맡고 있던 신청은 대기열로 돌아갔습니다');
  t.equal((await reviewer.browser.get('/staff')).statusCode, 303, 'signed out');

  const a = await app.db('applications').where({ id: claimed }).first();
  t.equal(a.claimed_by, null);
  t.equal(a.status, 'submitted');
  const queued = await queueRow(colleague.browser, claimed);
  t.match(queued, '배정 전', 'the queue shows it unclaimed');
  t.match(queued, `action="/staff/applications/${claimed}/claim"`, 'and anyone may claim it');
  const b = await app.db('applications').where({ id: asked }).first();
  t.equal(b.claimed_by, null, 'the application waiting for the applicant is unclaimed too');
  t.equal(b.status, 'changes_requested', 'and stays with the applicant');

  const audit = await app.db('audit_events').where({ event: 'staff.deactivated' }).first();
  t.equal(JSON.parse(audit.data).claimsReleased, 2);
  const releases = await app.db('audit_events').where({ event: 'application.claim_released' }).orderBy('seq');
  t.same(
    releases.map((r: { application_id: string }) => r.application_id).sort(),
    [claimed, asked].sort(),
    'one audit row per application',
  );
  t.same(JSON.parse(releases[0].data), { staff: 'reviewer@staff.example', because: 'deactivated' });

  const take = await colleague.browser.post(`/staff/applications/${claimed}/claim`, {}, { formUrl: '/staff' });
  t.equal(take.statusCode, 303);
  t.equal(
    (await app.db('applications').where({ id: claimed }).first()).claimed_by,
    colleague.user.id,
    'a colleague takes it over',
  );
});

t.test('reactivation lets the member sign in again, with their password', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const reviewer = await staffUser(app, 'reviewer');
  await admin.browser.post(`/admin/staff/${reviewer.user.id}/deactivate`, {}, { formUrl: '/admin/staff' });
  const refused = await new Browser(app, {}, '198.51.100.7').post('/login', {
    email: 'reviewer@staff.example',
    password: STAFF_PASSWORD,
  });
  t.equal(refused.statusCode, 422, 'a deactivated member cannot sign in');
  const page = await admin.browser.get('/admin/staff');
  t.match(page.body, '비활성');
  t.match(page.body, `action="/admin/staff/${reviewer.user.id}/reactivate"`);
  t.notMatch(page.body, `action="/admin/staff/${reviewer.user.id}/deactivate"`);

  const res = await admin.browser.post(`/admin/staff/${reviewer.user.id}/reactivate`, {}, { formUrl: '/admin/staff' });
  t.equal(res.statusCode, 303);
  t.match((await admin.browser.get('/admin/staff')).body, 'reviewer 직원 계정을 다시 활성화했습니다');
  const back = new Browser(app, {}, '198.51.100.8');
  await back.login('reviewer@staff.example', STAFF_PASSWORD);
  t.equal((await back.get('/staff')).statusCode, 200, 'the member signs in again');
  const audit = await app.db('audit_events').where({ event: 'staff.reactivated' }).first();
  t.same(JSON.parse(audit.data), { email: 'reviewer@staff.example', role: 'reviewer' });
  t.equal(
    (await admin.browser.post(`/admin/staff/${reviewer.user.id}/reactivate`, {}, { formUrl: '/admin/staff' }))
      .statusCode,
    303,
    'reactivating an active member changes nothing',
  );
  t.equal(await count(app.db('audit_events').where({ event: 'staff.reactivated' }).count({ n: '*' })), 1);
});

t.test('an admin sends a staff member a password reset link; a deactivated member gets none', async (t) => {
  t.setTimeout(60_000);
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const reviewer = await staffUser(app, 'reviewer');
  const page = await admin.browser.get('/admin/staff');
  t.match(page.body, `action="/admin/staff/${reviewer.user.id}/password-reset"`);
  const res = await admin.browser.post(
    `/admin/staff/${reviewer.user.id}/password-reset`,
    {},
    { formUrl: '/admin/staff' },
  );
  t.equal(res.statusCode, 303);
  t.match(
    (await admin.browser.get('/admin/staff')).body,
    'reviewer 직원님에게 비밀번호 재설정 링크를 이메일로 보냈습니다',
  );
  const mail = await app.db('email_outbox').where({ to_address: 'reviewer@staff.example' }).first();
  t.match(mail.subject, '비밀번호 재설정');
  t.match(mail.body, '포털 관리자가 비밀번호 재설정 링크를 보냈습니다');
  t.match(mail.body, /http:\/\/localhost:3000\/password-reset\/[A-Za-z0-9_-]{40,}/);
  t.equal((await app.db('password_resets').where({ user_id: reviewer.user.id }).first()).requested_by, admin.user.id);
  t.ok(await app.db('audit_events').where({ event: 'staff.password_reset_sent' }).first());
  t.equal((await reviewer.browser.get('/staff')).statusCode, 200, 'sending a link ends nothing by itself');

  await admin.browser.post(`/admin/staff/${reviewer.user.id}/deactivate`, {}, { formUrl: '/admin/staff' });
  const refused = await admin.browser.post(
    `/admin/staff/${reviewer.user.id}/password-reset`,
    {},
    { formUrl: '/admin/staff' },
  );
  t.equal(refused.statusCode, 422);
  t.match(refused.body, '비활성 계정에는 비밀번호 재설정 링크를 보낼 수 없습니다');
  t.equal(
    await count(app.db('email_outbox').where({ to_address: 'reviewer@staff.example' }).count({ n: '*' })),
    1,
    'no second e-mail',
  );
});
