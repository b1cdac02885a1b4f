// Rule (src/http/route-schemas.ts): a page's schema refuses only what no page of ours sends. A malformed id
// in a path is the portal's 404 page (in the visitor's language, signed in), never a 400 or JSON; a person's
// mistakes in a form (a field sent twice included) still get the form back with messages (422); a field no
// page sends is a 400 page and nothing is done.
import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';

t.test(
  "a malformed id in a page's path is the portal's 404 page, in the visitor's language and signed in",
  async (t) => {
    const app = await build(t);
    const owner = await signUp(app, { email: 'paths@fin.example' });
    await owner.get('/account?lang=en'); // remembered in a cookie
    const csrf = await owner.csrfToken('/notifications');
    for (const { method, url } of [
      { method: 'GET', url: '/sandbox/requests/not-a-number' },
      { method: 'GET', url: '/applications/not-a-uuid/documents' },
      { method: 'GET', url: '/applications/00000000-0000-0000-0000-00000000000g/documents/x' },
      { method: 'POST', url: '/notifications/not-a-uuid/read' },
      { method: 'POST', url: '/sandbox/secrets/1/revoke' },
      { method: 'POST', url: '/account/invites/%20/revoke' },
    ] as const) {
      const res =
        method === 'GET'
          ? await owner.get(url)
          : await app.inject({
              method,
              url,
              payload: new URLSearchParams({ _csrf: csrf }).toString(),
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
              },
            });
      t.equal(res.statusCode, 404, `${method} ${url}`);
      t.match(res.headers['content-type'], /text\/html/, `${url}: a page, not JSON`);
      t.match(res.body, 'Page not found', `${url}: in English, the visitor's language`);
      t.match(res.body, 'action="/logout"', `${url}: the header shows the visitor signed in`);
    }
  },
);

t.test('a form field sent twice still gets the form back with a message (422), not a schema error', async (t) => {
  const app = await build(t);
  const owner = await signUp(app, { email: 'twice@fin.example' });
  const res = await owner.post('/sandbox/callbacks', { url: ['https://a.example/cb', 'https://b.example/cb'] });
  t.equal(res.statusCode, 422);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, 'Callback URL을 입력하세요.', "the service's message for the field");
  const signup = await new Browser(app).post('/signup', {
    organization_name: '중복핀테크',
    name: '김중복',
    email: ['a@fin.example', 'b@fin.example'],
    password: 'correct-horse-1',
    password_confirm: 'correct-horse-1',
  });
  t.equal(signup.statusCode, 422, 'the sign-up form too');
  t.match(signup.body, '이메일 주소를 입력하세요.');
});

t.test('a field no page sends is refused with the 400 page, and nothing is done', async (t) => {
  const app = await build(t);
  const owner = await signUp(app, { email: 'extra@fin.example' });
  const before = await app.db('callback_urls').count({ n: '*' }).first();
  const res = await owner.post('/sandbox/callbacks', { url: 'https://a.example/cb', role: 'admin' });
  t.equal(res.statusCode, 400);
  t.match(res.headers['content-type'], /text\/html/, 'the error page, not JSON');
  t.same(await app.db('callback_urls').count({ n: '*' }).first(), before, 'no callback URL was added');
  const ok = await owner.post('/sandbox/callbacks', { url: 'https://a.example/cb' });
  t.not(ok.statusCode, 400, 'the same form without the extra field is handled');
});

t.test('a form posted without a body (its CSRF token in the header) is taken as an empty form', async (t) => {
  const app = await build(t);
  const owner = await signUp(app, { email: 'nobody@fin.example' });
  const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const token = await owner.csrfToken('/notifications');
  const res = await app.inject({
    method: 'POST',
    url: '/notifications/read-all',
    headers: { cookie, 'x-csrf-token': token },
  });
  t.equal(res.statusCode, 303, 'handled like the button with no fields');
  const revoke = await app.inject({
    method: 'POST',
    url: '/sandbox/revoke',
    headers: { cookie, 'x-csrf-token': token },
  });
  t.equal(revoke.statusCode, 422, "a form that needs a field gets the page's message, not a schema error");
});
