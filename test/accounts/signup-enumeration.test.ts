import t from 'tap';
import { Browser, build, takeSignupLink } from '../helpers/build';
import { SIGNUP_LINK_TTL_MS } from '../../src/accounts/sign-up-confirmation';

const FORM = {
  organization_name: '새핀테크',
  name: '김새롬',
  password: 'correct-horse-1',
  password_confirm: 'correct-horse-1',
};
const REGISTERED = 'owner@demo-fintech.example';

t.test(
  'sign-up answers the same way for a new and a registered address, and e-mails the existing owner instead',
  async (t) => {
    const app = await build(t, { demo: true });
    const outboxBefore = Number((await app.db('email_outbox').count({ n: '*' }).first())?.n);
    const answers = [];
    for (const email of ['new@fin.example', REGISTERED]) {
      const res = await new Browser(app).post('/signup', { ...FORM, email });
      answers.push({
        status: res.statusCode,
        location: res.headers.location,
        body: res.body,
        cookies: (res.cookies as unknown[]).length,
      });
    }
    t.same(answers[0], answers[1], 'the page answers identically');
    t.equal(answers[0]!.status, 303);
    t.equal(answers[0]!.location, '/signup/check-email');
    const sent = await new Browser(app).get('/signup/check-email');
    t.match(sent.body, '이미 가입된 주소라면 로그인 안내를 보냈습니다');
    t.notMatch(sent.body, '이미 가입된 이메일 주소입니다');

    const api = [];
    for (const email of ['api-new@fin.example', REGISTERED]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/signup',
        payload: { ...FORM, email, password_confirm: undefined },
      });
      api.push({ status: res.statusCode, body: res.json() });
    }
    t.same(api[0], api[1], 'the API answers identically');
    t.equal(api[0]!.status, 202);

    t.equal(
      Number((await app.db('users').where({ email: 'new@fin.example' }).count({ n: '*' }).first())?.n),
      0,
      'no account exists before the link is used',
    );
    const mails = await app.db('email_outbox').orderBy('created_at', 'asc').offset(outboxBefore);
    t.equal(mails.length, 4, 'one e-mail per sign-up');
    const toOwner = mails.filter((m: { to_address: string }) => m.to_address === REGISTERED);
    t.equal(toOwner.length, 2, "the registered address's owner is told, twice");
    for (const m of toOwner) {
      t.match(m.subject, '이미 가입된 주소입니다');
      t.match(m.body, 'http://localhost:3000/login');
      t.notMatch(m.body, '/signup/confirm/', 'with no way to create a second account');
    }
    const toNew = mails.find((m: { to_address: string }) => m.to_address === 'new@fin.example');
    t.match(toNew.body, /http:\/\/localhost:3000\/signup\/confirm\/\S+/);
    for (const m of mails)
      t.notMatch(`${m.subject}${m.body}`, /을\(를\)|이\(가\)|은\(는\)/, 'particles chosen, never 을(를)');
    t.equal(
      Number((await app.db('signup_requests').where({ email: REGISTERED }).count({ n: '*' }).first())?.n),
      0,
      'nothing is pending for a registered address',
    );
  },
);

t.test(
  'the e-mailed link creates the organization and its owner once, signs them in, and expires after 24 hours',
  async (t) => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const app = await build(t, { clock: () => new Date(now) });
    const b = new Browser(app);
    await b.post('/signup', { ...FORM, email: 'once@fin.example' });
    const { token } = await takeSignupLink(app, 'once@fin.example');
    const page = await b.get(`/signup/confirm/${token}`);
    t.equal(page.statusCode, 200);
    t.match(page.body, '새핀테크');
    t.equal(
      Number((await app.db('users').count({ n: '*' }).first())?.n),
      0,
      'opening the link creates nothing (mail scanners follow links)',
    );
    const confirmed = await b.post(`/signup/confirm/${token}`, {});
    t.equal(confirmed.statusCode, 303);
    const account = await b.get('/account');
    t.equal(account.statusCode, 200, 'signed in');
    t.match(account.body, '새핀테크');
    t.match(account.body, '소유자');
    const again = await new Browser(app).post(`/signup/confirm/${token}`, {}, { formUrl: '/login' });
    t.equal(again.statusCode, 404, 'the link works once');

    const late = new Browser(app);
    await late.post('/signup', { ...FORM, email: 'late@fin.example' });
    const expired = await takeSignupLink(app, 'late@fin.example');
    now += SIGNUP_LINK_TTL_MS + 1000;
    t.equal((await late.get(`/signup/confirm/${expired.token}`)).statusCode, 404, 'an expired link is not found');
    t.equal(Number((await app.db('users').where({ email: 'late@fin.example' }).count({ n: '*' }).first())?.n), 0);
  },
);
