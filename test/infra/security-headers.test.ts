// Every response, page or not, error or not, tells the browser: no framing, no MIME sniffing, only our
// own scripts and styles.
import t from 'tap';
import { DEMO_ORGS } from '../../src/demo-accounts';
import { Browser, build } from '../helpers/build';

t.test("every response carries security headers (CSP with frame-ancestors 'none', nosniff)", async (t) => {
  const app = await build(t, { demo: true });
  const signedIn = new Browser(app);
  await signedIn.login(DEMO_ORGS.demoFintech.owner);
  const responses = {
    'the front page': await app.inject({ method: 'GET', url: '/' }),
    'the sign-in page': await app.inject({ method: 'GET', url: '/login' }),
    'a signed-in page': await signedIn.get('/account'),
    'a redirect to sign in': await app.inject({ method: 'GET', url: '/account' }),
    'a stylesheet': await app.inject({ method: 'GET', url: '/public/app.css' }),
    'the health check (JSON)': await app.inject({ method: 'GET', url: '/healthz' }),
    'a 404 page': await app.inject({ method: 'GET', url: '/no-such-page' }),
    'a JSON 404': await app.inject({ method: 'GET', url: '/api/no-such-endpoint' }),
    'a refused form (CSRF)': await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a',
    }),
    'a 413': await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }),
    }),
    'a 415': await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'text/xml' },
      payload: '<a/>',
    }),
  };
  for (const [what, res] of Object.entries(responses)) {
    const csp = String(res.headers['content-security-policy'] ?? '');
    t.match(csp, /frame-ancestors 'none'/, `${what} (${res.statusCode}): cannot be framed`);
    t.match(csp, /script-src 'self'(;|$)/, `${what}: scripts only from the portal itself`);
    t.notMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no inline script or style`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    t.equal(res.headers['referrer-policy'], 'same-origin', `${what}: no referrer to other sites`);
  }
  // The KFTC emulator's JSON (its own plugin context) is never rendered as a page, but never sniffed either.
  const emulator = {
    'the emulator token endpoint': await app.inject({
      method: 'POST',
      url: '/oauth/2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=x',
    }),
    'an emulator API without a token': await app.inject({ method: 'GET', url: '/v2.0/user/me' }),
  };
  for (const [what, res] of Object.entries(emulator)) {
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what} (${res.statusCode}): nosniff`);
    t.match(String(res.headers['content-type']), /^application\/json/, `${what}: declared as JSON`);
  }
  t.equal(responses['a signed-in page'].statusCode, 200, 'the signed-in page really was served');
  t.match(String(responses['a signed-in page'].headers['cache-control']), 'no-store', 'signed-in pages are not cached');
});
