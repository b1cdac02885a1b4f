import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';

t.test('sign-up creates an organization with its owner and signs them in', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'new@fin.example', organization: '새핀테크' });
  const res = await b.get('/account');
  t.equal(res.statusCode, 200);
  t.match(res.body, '새핀테크');
  t.match(res.body, '소유자');
});

t.test('a password shorter than 10 characters is refused with the form re-rendered (422)', async (t) => {
  const app = await build(t);
  const b = new Browser(app);
  const res = await b.post('/signup', {
    organization_name: 'X',
    name: 'Y',
    email: 'y@x.example',
    password: 'short',
    password_confirm: 'short',
  });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'error-summary');
  t.match(res.body, 'href="#password"');
  t.match(res.body, 'value="y@x.example"', 'values are kept');
  t.notMatch(res.body, 'value="short"', 'passwords are never echoed');
});

t.test('a form posted without a CSRF token is refused', async (t) => {
  const app = await build(t);
  const b = new Browser(app);
  await b.get('/signup');
  const res = await b.post(
    '/signup',
    {
      organization_name: 'X',
      name: 'Y',
      email: 'y@x.example',
      password: 'long-enough-1',
      password_confirm: 'long-enough-1',
    },
    { csrf: false },
  );
  t.equal(res.statusCode, 403);
  const count = await app.db('users').count({ n: '*' }).first();
  t.equal(Number(count?.n), 0, 'nothing was created');
});

t.test('signing in with a wrong password fails with the same message as an unknown e-mail', async (t) => {
  const app = await build(t);
  await signUp(app, { email: 'a@fin.example' });
  const b = new Browser(app);
  const wrong = await b.post('/login', { email: 'a@fin.example', password: 'wrong-password-1' });
  const unknown = await b.post('/login', { email: 'nobody@fin.example', password: 'wrong-password-1' });
  t.equal(wrong.statusCode, 422);
  t.equal(unknown.statusCode, 422);
  t.match(wrong.body, '이메일 주소 또는 비밀번호가 맞지 않습니다');
  t.match(unknown.body, '이메일 주소 또는 비밀번호가 맞지 않습니다');
});

t.test(
  'repeated failed sign-ins slow down the failing client, even with the right password, and no other client',
  async (t) => {
    const app = await build(t);
    await signUp(app, { email: 'a@fin.example', password: 'correct-horse-1' });
    const b = new Browser(app, {}, '203.0.113.5');
    for (let i = 0; i < 5; i++) await b.post('/login', { email: 'a@fin.example', password: 'wrong-password-1' });
    const res = await b.post('/login', { email: 'a@fin.example', password: 'correct-horse-1' });
    t.equal(res.statusCode, 429);
    const other = new Browser(app, {}, '198.51.100.7');
    t.equal(
      (await other.post('/login', { email: 'a@fin.example', password: 'correct-horse-1' })).statusCode,
      303,
      'the owner elsewhere signs in',
    );
  },
);

t.test('staff pages are 403 for applicants', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'a@fin.example' });
  const res = await b.get('/admin/staff');
  t.equal(res.statusCode, 403);
});

t.test('the portal answers in Korean by default and in English on request', async (t) => {
  const app = await build(t);
  const b = new Browser(app);
  const ko = await b.get('/login');
  t.match(ko.body, '<html lang="ko">');
  t.match(ko.body, '로그인');
  const en = await b.get('/login?lang=en');
  t.match(en.body, '<html lang="en">');
  t.match(en.body, 'Sign in');
  const remembered = await b.get('/signup');
  t.match(remembered.body, 'Create an account', 'the choice is remembered');
  const accept = await new Browser(app, { 'accept-language': 'en-US,en;q=0.9' }).get('/login');
  t.match(accept.body, 'Sign in', 'Accept-Language gives English');
});

t.test('the admin home links to staff accounts, sandbox credentials and the outbox, for admins only', async (t) => {
  const app = await build(t, { demo: true });
  const admin = new Browser(app);
  await admin.login('admin@portal.example');
  const res = await admin.get('/admin');
  t.equal(res.statusCode, 200);
  for (const href of ['/admin/staff', '/admin/sandbox', '/admin/outbox']) t.match(res.body, `href="${href}"`);
  const reviewer = new Browser(app);
  await reviewer.login('reviewer@portal.example');
  t.equal((await reviewer.get('/admin')).statusCode, 403);
});
