// Requests the portal cannot serve get a clear answer in the portal's own error page (or the JSON
// envelope under /api/), with the right status: never a 500, never fastify's bare default.
import t from 'tap';
import { Browser, build } from '../helpers/build';

const TOO_BIG = 2 * 1024 * 1024; // over config.bodyLimit (1 MiB) and the form parser's 256 KiB

t.test(
  'unknown routes get a clear 404 page, oversized bodies a 413 and wrong content types a 415, never a 500',
  async (t) => {
    const app = await build(t);
    const page = (
      res: { statusCode: number; headers: Record<string, unknown>; body: string },
      status: number,
      title: string,
      why: string,
    ) => {
      t.equal(res.statusCode, status, why);
      t.match(String(res.headers['content-type']), /^text\/html/, `${why}: an HTML page`);
      t.match(res.body, `<h1>${title}</h1>`, `${why}: the page says what went wrong`);
      t.match(res.body, 'href="/"', `${why}: with a way back home`);
      t.notMatch(res.body, /FST_|stack|at .*\.ts:\d+/, `${why}: no internals`);
    };

    page(
      await app.inject({ method: 'GET', url: '/no-such-page' }),
      404,
      '페이지를 찾을 수 없습니다',
      'an unknown page',
    );
    page(
      await app.inject({ method: 'GET', url: '/no-such-page', headers: { 'accept-language': 'en' } }),
      404,
      'Page not found',
      'in English on request',
    );
    page(
      await app.inject({ method: 'GET', url: '/public/no-such-file.css' }),
      404,
      '페이지를 찾을 수 없습니다',
      'an unknown static file',
    );

    page(
      await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'x'.repeat(TOO_BIG) }),
      }),
      413,
      '요청이 너무 큽니다',
      'a JSON body over the body limit',
    );
    page(
      await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${'x'.repeat(300 * 1024)}`,
      }),
      413,
      '요청이 너무 큽니다',
      'a form over the form limit',
    );

    page(
      await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'text/xml' },
        payload: '<login><email>a@b.example</email></login>',
      }),
      415,
      '지원하지 않는 형식입니다',
      'XML posted to the sign-in form',
    );
    page(
      await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-unknown' },
        payload: 'x',
      }),
      415,
      '지원하지 않는 형식입니다',
      'an unknown content type',
    );

    const badJson = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    t.equal(badJson.statusCode, 400, 'malformed JSON is a 400');
    t.match(badJson.body, '<h1>잘못된 요청입니다</h1>');

    const api = await app.inject({ method: 'GET', url: '/api/no-such-endpoint' });
    t.equal(api.statusCode, 404, 'an unknown API address is a 404');
    t.match(api.json(), { error: { code: 'not_found' } }, 'in the JSON error envelope');
    const apiBig = await app.inject({
      method: 'POST',
      url: '/api/no-such-endpoint',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(TOO_BIG) }),
    });
    t.equal(apiBig.statusCode, 413);
    t.match(apiBig.json(), { error: { code: 'too_large' } });
  },
);

t.test(
  'text containing a NUL character is refused as bad input, never a 500 (PostgreSQL cannot store it)',
  async (t) => {
    const app = await build(t);
    const b = new Browser(app);
    const signup = await b.post('/signup', {
      organization_name: '널\u0000핀테크',
      name: '김널',
      email: 'nul@fin.example',
      password: 'long-enough-1',
      password_confirm: 'long-enough-1',
    });
    t.ok(signup.statusCode === 400 || signup.statusCode === 422, `sign-up: ${signup.statusCode}`);
    t.equal(Number((await app.db('users').count({ n: '*' }).first())?.n), 0, 'nothing was written');
    const login = await b.post('/login', { email: 'nul\u0000@fin.example', password: 'long-enough-1' });
    t.ok(login.statusCode === 400 || login.statusCode === 422, `sign-in: ${login.statusCode}`);
    const query = await app.inject({ method: 'GET', url: '/login?next=%2F%00' });
    t.ok(query.statusCode < 500, `a query string: ${query.statusCode}`);
  },
);
