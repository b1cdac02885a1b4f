import t from 'tap';
import { Browser, build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app
    .db('applications')
    .where({ id })
    .first('stage', 'status', 'changes_requested_sections', 'claimed_by');
  return row as { stage: string; status: string; changes_requested_sections: string | null; claimed_by: string | null };
}

t.test('only the owner can withdraw, once, and waiting reviewers are told', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await applicationAt(app, 'suitability');
  const orgId = (await app.db('applications').where({ id }).first('organization_id')).organization_id;
  await app.services.accounts.createUserDirect({
    email: 'member@test-fintech.example',
    name: '멤버',
    password: 'member-password-1',
    organizationId: orgId,
    orgRole: 'member',
  });
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
  const told = await app
    .db('notifications')
    .where({ user_id: reviewer.user.id, message_key: 'notifications.messages.withdrawn' });
  t.equal(told.length, 1);
  t.match((await browser.get(`/applications/${id}/withdraw`)).body, '더 이상 철회할 수 없습니다');
  t.equal(
    (await browser.post(`/applications/${id}/withdraw`, { confirm: 'yes' })).statusCode,
    409,
    'a terminal state allows nothing',
  );
});
