// Who may see the application pages.
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';
import { VALID_ANSWERS, startApplication } from '../helpers/onboarding';

const clock = () => new Date('2026-11-26T06:00:00.000Z');

// One app per file (building one per test is slow on PostgreSQL); each test signs up its own organization.
let shared: FastifyInstance;
t.before(async () => {
  shared = await build(t, { clock, demo: true });
});
let people = 0;
const newEmail = () => `owner${++people}@fin.example`;

t.test("another organization's application is a 404", async (t) => {
  const app = shared;
  const owner = await signUp(app, { email: newEmail(), organization: 'A핀테크' });
  const id = await startApplication(owner);
  const other = await signUp(app, { email: newEmail(), organization: 'B핀테크' });
  for (const path of ['company', 'apis', 'check', 'confirmation']) {
    const res = await other.get(`/applications/${id}/${path}`);
    t.equal(res.statusCode, 404, `GET ${path}`);
  }
  const post = await other.post(
    `/applications/${id}/company`,
    { ...VALID_ANSWERS.company, action: 'continue' },
    { formUrl: '/applications' },
  );
  t.equal(post.statusCode, 404, 'POST a section');
  const submit = await other.post(
    `/applications/${id}/submit`,
    { declare_accuracy: 'yes' },
    { formUrl: '/applications' },
  );
  t.equal(submit.statusCode, 404, 'POST submit');
  t.equal(
    await app
      .db('application_answers')
      .where({ application_id: id })
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    0,
    'nothing was written',
  );
  const home = await other.get('/applications');
  t.notMatch(home.body, id, "the other organization's home does not show it");
});

t.test('a malformed application id is a 404, not an error', async (t) => {
  const app = shared;
  const b = await signUp(app, { email: newEmail() });
  t.equal((await b.get('/applications/not-a-uuid/company')).statusCode, 404);
  t.equal((await b.get("/applications/1' or 1=1/check")).statusCode, 404);
});

t.test('staff get 403 on applicant pages', async (t) => {
  const app = shared;
  const staff = new Browser(app);
  await staff.login('reviewer@portal.example');
  const demoApp = await app.db('applications').whereNotNull('reference').first();
  t.equal((await staff.get('/applications')).statusCode, 403);
  t.equal((await staff.get(`/applications/${demoApp.id}/check`)).statusCode, 403);
  t.equal((await staff.get(`/applications/${demoApp.id}/company`)).statusCode, 403);
  const post = await staff.post('/applications', {}, { formUrl: '/account' });
  t.equal(post.statusCode, 403);
  t.equal(
    (await app.db('audit_events').where({ event: 'application.created', actor_label: 'reviewer@portal.example' }))
      .length,
    0,
    'staff cannot create an application',
  );
});

t.test('signed-out visitors are sent to sign in', async (t) => {
  const app = shared;
  const res = await new Browser(app).get('/applications');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/login?next=%2Fapplications');
});

t.test('an organization member (not only the owner) can work on the application', async (t) => {
  const app = shared;
  const owner = await signUp(app, { email: newEmail() });
  const id = await startApplication(owner);
  const invite = await owner.post('/account/invites', {}, { formUrl: '/account' });
  const url = /(\/invite\/[A-Za-z0-9_-]+)/.exec(invite.body)![1]!;
  const member = new Browser(app);
  const joined = await member.post(url, {
    name: '구성원',
    email: 'm@fin.example',
    password: 'member-password-1',
    password_confirm: 'member-password-1',
  });
  t.equal(joined.statusCode, 303);
  const res = await member.post(`/applications/${id}/company`, { ...VALID_ANSWERS.company, action: 'continue' });
  t.equal(res.statusCode, 303);
});
