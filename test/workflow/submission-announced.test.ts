import t from 'tap';
import { build, Browser } from '../helpers/build';
import { submittedApplication } from '../helpers/onboarding';

t.setTimeout(300_000);

t.test('submitting an application notifies the suitability reviewers and queues an e-mail', async (t) => {
  const app = await build(t, { demo: true });
  const { id, submit } = await submittedApplication(app);
  t.equal(submit.statusCode, 303);
  const reviewer = await app.db('users').where({ email: 'reviewer@portal.example' }).first();
  const notes = await app.db('notifications').where({ user_id: reviewer.id, application_id: id });
  t.ok(notes.length >= 1, 'the reviewer has a notification about this application');
  const mails = await app.db('email_outbox').where({ to_address: 'reviewer@portal.example' });
  t.ok(mails.length >= 1, 'an e-mail to the reviewer is in the outbox');
  const b = new Browser(app);
  await b.login('reviewer@portal.example');
  const page = await b.get('/notifications');
  t.equal(page.statusCode, 200);
  t.match(page.body, `/staff/applications/${id}`, 'the notification links to the review page');
  const inspector = await app.db('users').where({ email: 'inspector@portal.example' }).first();
  const inspectorNotes = await app.db('notifications').where({ user_id: inspector.id, application_id: id });
  t.equal(inspectorNotes.length, 0, 'staff of other stages are not notified');
});
