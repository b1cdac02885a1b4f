import t from 'tap';
import { Browser, build, signUp } from '../helpers/build';
import { delayAfterFailures, throttleVerdict, MAX_DELAY_MS } from '../../src/accounts/sign-in-throttle';

const ATTACKER = '203.0.113.66';
const OFFICE = '198.51.100.10';

function testClock(start = Date.parse('2026-12-01T00:00:00Z')) {
  let now = start;
  const clock = () => new Date(now);
  return {
    clock,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function tokenRequest(
  app: Awaited<ReturnType<typeof build>>,
  ip: string,
  password: string,
  email = 'reviewer@portal.example',
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    remoteAddress: ip,
    payload: { email, password },
    headers: { 'content-type': 'application/json' },
  });
}

t.test(
  'an anonymous client failing for an account never locks it: the right password from another client is accepted at once',
  async (t) => {
    const { clock } = testClock(); // time stands still: the attacker's delays never run out during the test
    const app = await build(t, { demo: true, clock });
    const attacker = new Browser(app, {}, ATTACKER);
    for (let i = 0; i < 8; i++)
      await attacker.post(
        '/login',
        { email: 'reviewer@portal.example', password: `wrong-password-${i}` },
        { formUrl: '/login' },
      );
    for (let i = 0; i < 8; i++) await tokenRequest(app, ATTACKER, `wrong-password-${i}`);
    for (let i = 0; i < 30; i++) await tokenRequest(app, `192.0.2.${i + 1}`, 'wrong-password-x'); // many addresses, one account
    const reviewer = new Browser(app, {}, OFFICE);
    const page = await reviewer.post(
      '/login',
      { email: 'reviewer@portal.example', password: 'demo-password-1' },
      { formUrl: '/login' },
    );
    t.equal(page.statusCode, 303, 'the reviewer signs in on the page');
    const api = await tokenRequest(app, OFFICE, 'demo-password-1');
    t.equal(api.statusCode, 201, 'and gets an API token');
    const refused = await tokenRequest(app, ATTACKER, 'demo-password-1');
    t.equal(refused.statusCode, 429, 'the failing client itself is slowed down, even with the right password');
    t.ok(Number(refused.headers['retry-after']) >= 1, 'with Retry-After');
  },
);

t.test('a failing client waits a growing delay per account: nothing for 3 failures, then 1 s, 2 s, 4 s', async (t) => {
  const { clock, advance } = testClock();
  const app = await build(t, { clock });
  await signUp(app, { email: 'a@fin.example', password: 'correct-horse-1' });
  const b = new Browser(app, {}, ATTACKER);
  for (let i = 0; i < 3; i++)
    t.equal(
      (await b.post('/login', { email: 'a@fin.example', password: 'wrong-password-1' })).statusCode,
      422,
      `failure ${i + 1} costs nothing`,
    );
  for (const wait of [1, 2, 4]) {
    const refused = await b.post('/login', { email: 'a@fin.example', password: 'correct-horse-1' });
    t.equal(refused.statusCode, 429, `refused within ${wait} s`);
    t.equal(refused.headers['retry-after'], String(wait));
    t.match(refused.body, '잠시 뒤에 다시 시도하세요');
    advance(wait * 1000);
    t.equal(
      (await b.post('/login', { email: 'a@fin.example', password: 'wrong-password-1' })).statusCode,
      422,
      `after ${wait} s the client may try again`,
    );
  }
  advance(8000);
  t.equal(
    (await b.post('/login', { email: 'a@fin.example', password: 'correct-horse-1' })).statusCode,
    303,
    'the right password after the delay signs in',
  );
  const again = new Browser(app, {}, ATTACKER);
  t.equal(
    (await again.post('/login', { email: 'a@fin.example', password: 'wrong-password-1' })).statusCode,
    422,
    'a success clears the pair: the next failure is free again',
  );
});

t.test('one client IP failing across accounts is refused for 15 minutes; other addresses are not', async (t) => {
  const { clock, advance } = testClock();
  const app = await build(t, { clock });
  await signUp(app, { email: 'real@fin.example', password: 'correct-horse-1' });
  const b = new Browser(app, {}, ATTACKER);
  for (let i = 0; i < 20; i++)
    await b.post('/login', { email: `nobody${i}@fin.example`, password: 'wrong-password-1' });
  t.equal((await b.post('/login', { email: 'real@fin.example', password: 'correct-horse-1' })).statusCode, 429);
  t.equal(
    (await tokenRequest(app, ATTACKER, 'correct-horse-1', 'real@fin.example')).statusCode,
    429,
    'the token endpoint too',
  );
  t.equal(
    (await tokenRequest(app, OFFICE, 'correct-horse-1', 'real@fin.example')).statusCode,
    201,
    'another address is unaffected',
  );
  advance(15 * 60 * 1000);
  t.equal(
    (await b.post('/login', { email: 'real@fin.example', password: 'correct-horse-1' })).statusCode,
    303,
    'after 15 minutes the address may sign in again',
  );
});

t.test('lockouts are recorded and shown to administrators only', async (t) => {
  const app = await build(t, { demo: true });
  for (let i = 0; i < 4; i++) await tokenRequest(app, ATTACKER, 'wrong-password-1', 'contract@portal.example');
  const rows = await app.db('login_lockouts').select();
  t.equal(rows.length, 1);
  t.match(rows[0], { scope: 'account_ip', email: 'contract@portal.example', ip: ATTACKER, failures: 3 });
  const admin = new Browser(app);
  await admin.login('admin@portal.example');
  const page = await admin.get('/admin/sign-in-lockouts');
  t.equal(page.statusCode, 200);
  t.match(page.body, 'contract@portal.example');
  t.match(page.body, ATTACKER);
  t.match((await admin.get('/admin')).body, 'href="/admin/sign-in-lockouts"');
  const reviewer = new Browser(app);
  await reviewer.login('reviewer@portal.example');
  t.equal((await reviewer.get('/admin/sign-in-lockouts')).statusCode, 403);
});

t.test('the delay doubles from 1 s and stops at 15 minutes', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6].map(delayAfterFailures), [0, 0, 0, 1000, 2000, 4000, 8000]);
  t.equal(delayAfterFailures(100), MAX_DELAY_MS);
  t.same(throttleVerdict({ pairFailures: 0, pairLastAt: null, ipFailures: 0, ipLastAt: null }, 0), {
    throttled: false,
  });
});
