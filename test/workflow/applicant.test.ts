import t from 'tap';
import { build, signUp } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

t.test("an applicant sees only their own organization's testing page (other organizations get 404)", async (t) => {
  const app = await build(t);
  const { id } = await applicationAt(app, 'suitability');
  const other = await signUp(app, { email: 'other@else.example', organization: '다른회사' });
  t.equal((await other.get(`/applications/${id}/testing`)).statusCode, 404);
  t.equal((await other.get('/applications/not-a-uuid/testing')).statusCode, 404);
});

t.test("a submission persisted by another module can be announced to the stage's staff", async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const inspector = await staffUser(app, 'inspector');
  const { id } = await applicationAt(app, 'suitability');
  const count = async () =>
    (await app.db('notifications').where({ user_id: reviewer.user.id, application_id: id })).length;
  const before = await count();
  await app.services.workflow.announceSubmission(id);
  t.equal(await count(), before + 1, 'each reviewer is told once more');
  t.equal((await app.db('notifications').where({ user_id: inspector.user.id })).length, 0, 'other roles are not');
  const page = await reviewer.browser.get('/notifications');
  t.match(page.body, `/staff/applications/${id}`);
});
