import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';

t.setTimeout(300_000);

t.test('an owner invites a member with a one-time link that works once', async (t) => {
  const app = await build(t);
  const owner = await signUp(app, { email: 'owner@fin.example', organization: '초대핀테크' });
  const created = await owner.post('/account/invites', {}, { formUrl: '/account' });
  t.equal(created.statusCode, 201);
  const m = /(\/invite\/[A-Za-z0-9_-]+)/.exec(created.body);
  t.ok(m, 'the link is shown');
  const link = m![1]!;
  const stored = await app.db('invites').first();
  t.notMatch(JSON.stringify(stored), link.split('/').pop()!, 'only a hash of the token is stored');
  const again = await owner.get('/account');
  t.notMatch(again.body, link, 'the link is shown once');

  const invitee = new Browser(app);
  const join = await invitee.post(link, {
    name: '이구성',
    email: 'member@fin.example',
    password: 'member-pass-1',
    password_confirm: 'member-pass-1',
  });
  t.equal(join.statusCode, 303);
  const account = await invitee.get('/account');
  t.match(account.body, '초대핀테크');
  t.match(account.body, '구성원');
  const second = await new Browser(app).get(link);
  t.equal(second.statusCode, 404, 'a used invite link is gone');
});

t.test('a member cannot create invites (403)', async (t) => {
  const app = await build(t);
  const owner = await signUp(app, { email: 'owner@fin.example' });
  const created = await owner.post('/account/invites', {}, { formUrl: '/account' });
  const link = /(\/invite\/[A-Za-z0-9_-]+)/.exec(created.body)![1]!;
  const member = new Browser(app);
  await member.post(link, {
    name: '이구성',
    email: 'member@fin.example',
    password: 'member-pass-1',
    password_confirm: 'member-pass-1',
  });
  const res = await member.post('/account/invites', {}, { formUrl: '/account' });
  t.equal(res.statusCode, 403);
});

t.test('changing the password needs the current one, and the new one works at the next sign-in', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'pw@fin.example', password: 'first-password-1' });
  const wrong = await b.post(
    '/account/password',
    {
      current_password: 'not-my-password',
      new_password: 'second-password-2',
      new_password_confirm: 'second-password-2',
    },
    { formUrl: '/account' },
  );
  t.equal(wrong.statusCode, 422);
  t.match(wrong.body, 'href="#current_password"');
  const ok = await b.post(
    '/account/password',
    {
      current_password: 'first-password-1',
      new_password: 'second-password-2',
      new_password_confirm: 'second-password-2',
    },
    { formUrl: '/account' },
  );
  t.equal(ok.statusCode, 303);
  await b.post('/logout', {}, { formUrl: '/account' });
  t.equal((await b.get('/account')).statusCode, 303, 'signed out');
  const fresh = new Browser(app);
  t.equal(
    (await fresh.post('/login', { email: 'pw@fin.example', password: 'first-password-1' })).statusCode,
    422,
    'the old password no longer works',
  );
  t.equal((await fresh.post('/login', { email: 'pw@fin.example', password: 'second-password-2' })).statusCode, 303);
});

t.test('an admin creates a staff account that can sign in with its role', async (t) => {
  const app = await build(t, { demo: true });
  const admin = new Browser(app);
  await admin.login('admin@portal.example');
  const bad = await admin.post('/admin/staff', {
    name: '새심사',
    email: 'new-reviewer@portal.example',
    staff_role: 'boss',
    password: 'reviewer-pass-1',
  });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'href="#staff_role"');
  const ok = await admin.post('/admin/staff', {
    name: '새심사',
    email: 'new-reviewer@portal.example',
    staff_role: 'reviewer',
    password: 'reviewer-pass-1',
  });
  t.equal(ok.statusCode, 303);
  const staff = new Browser(app);
  await staff.login('new-reviewer@portal.example', 'reviewer-pass-1');
  t.equal((await staff.get('/staff')).statusCode, 200);
  t.equal((await staff.get('/admin/staff')).statusCode, 403, 'a reviewer is not an admin');
});

t.test('sign-in is throttled per IP address across accounts', async (t) => {
  const app = await build(t);
  const b = new Browser(app);
  for (let i = 0; i < 20; i++)
    await b.post('/login', { email: `nobody${i}@fin.example`, password: 'wrong-password-1' });
  await signUp(app, { email: 'real@fin.example', password: 'correct-horse-1' });
  const res = await b.post('/login', { email: 'real@fin.example', password: 'correct-horse-1' });
  t.equal(res.statusCode, 429);
});
