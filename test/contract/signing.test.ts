import t from 'tap';
import { Browser, build } from '../helpers/build';
import { stateOf } from '../helpers/security-stage';
import { applicationAt } from '../helpers/stage-shortcut';
import { manualClock } from '../helpers/workflow';

// Each test puts an application at its stage through the services (test/helpers/stage-shortcut.ts); the page
// journey through the earlier stages is tested once per stage. Allow for a busy machine.
t.setTimeout(360_000);

type App = Awaited<ReturnType<typeof build>>;
const page = (id: string) => `/applications/${id}/contract`;

async function sign(b: Browser, id: string, fields: Record<string, string> = { full_name: '김테스트', accept: 'yes' }) {
  return b.post(`${page(id)}/sign`, fields, { formUrl: page(id) });
}
async function currentUser(app: App, email: string) {
  const row = await app.db('users').where({ email }).first();
  return (await app.services.accounts.loadCurrentUser(row.id))!;
}

t.test(
  "the contract shows both parties, the requested APIs and their fees in the reader's language only",
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'contract');
    const res = await a.browser.get(page(a.id));
    t.equal(res.statusCode, 200);
    for (const text of [
      '사단법인 금융결제원',
      '주식회사 테스트핀테크',
      '214-87-12348',
      '김대표',
      '잔액조회',
      '출금이체',
      '이체결과조회',
      '건당 20원',
      '건당 수수료 없음',
      '계좌실명조회',
      '건당 30원',
      '2026-1',
      '오픈뱅킹 공동업무 이용계약서',
      '100,000',
    ])
      t.match(res.body, text, `the Korean page shows ${text}`);
    for (const english of [
      'Korea Financial Telecommunications &amp; Clearings Institute (KFTC)',
      'Balance inquiry',
      'Withdrawal transfer',
      'KRW 50 per call',
      'Open Banking Joint Service Agreement',
      'Article 1',
      'Party A',
    ])
      t.notMatch(res.body, english, `the Korean page has no English contract text: ${english}`);
    t.match(res.body, 'lang="ko"');
    t.notMatch(res.body, /<article[^>]*lang="en"/, 'no English article beside the Korean one');
    t.match(res.body, 'name="full_name"', 'the owner is offered the signature form');

    const en = await a.browser.get(`${page(a.id)}?lang=en`);
    t.equal(en.statusCode, 200);
    for (const text of [
      'Korea Financial Telecommunications &amp; Clearings Institute (KFTC)',
      'Balance inquiry',
      'Withdrawal transfer',
      'KRW 50 per call',
      'Open Banking Joint Service Agreement',
      '주식회사 테스트핀테크',
      '214-87-12348',
    ])
      t.match(en.body, text, `the English page shows ${text}`);
    for (const korean of ['오픈뱅킹 공동업무 이용계약서', '사단법인 금융결제원', '건당 20원', '제1조'])
      t.notMatch(en.body, korean, `the English page has no Korean contract text: ${korean}`);
    t.match(en.body, /<article[^>]*lang="en"/);
  },
);

t.test('the contract is signed by the owner with name, time and IP recorded', async (t) => {
  const clock = manualClock('2026-11-20T01:00:00.000Z');
  const app = await build(t, { clock });
  const a = await applicationAt(app, 'contract');
  clock.set('2026-11-26T05:30:00.000Z');
  const res = await sign(a.browser, a.id, { full_name: '  김테스트 ', accept: 'yes' });
  t.equal(res.statusCode, 303, res.body.slice(0, 500));
  const row = await app.db('contracts').where({ application_id: a.id }).first();
  t.equal(row.signer_name, '김테스트');
  t.equal(row.signed_at, '2026-11-26T05:30:00.000Z');
  t.equal(row.signer_ip, '127.0.0.1');
  t.equal(row.status, 'signed');
  t.equal(row.terms_version, '2026-1');
  t.equal(row.document_sha256.length, 64);
  t.equal(await stateOf(app, a.id), 'contract:submitted');
  const audit = await app.db('audit_events').where({ application_id: a.id, event: 'application.signed' }).first();
  const data = JSON.parse(audit.data);
  t.equal(data.signerName, '김테스트');
  t.equal(data.ip, '127.0.0.1');
  t.equal(data.documentSha256, row.document_sha256);
  const view = await a.browser.get(page(a.id));
  t.match(view.body, '127.0.0.1');
  t.notMatch(view.body, 'name="full_name"', 'no second signature');
});

t.test('a typed name that is not the account name, or no acceptance, is refused and nothing is signed', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'contract');
  const wrong = await sign(a.browser, a.id, { full_name: '홍길동', accept: 'yes' });
  t.equal(wrong.statusCode, 422);
  t.match(wrong.body, 'href="#full_name"');
  t.match(wrong.body, 'value="홍길동"', 'the value is kept');
  const unaccepted = await sign(a.browser, a.id, { full_name: '김테스트' });
  t.equal(unaccepted.statusCode, 422);
  t.match(unaccepted.body, 'href="#accept"');
  t.equal(Number((await app.db('contracts').count({ n: '*' }).first())?.n), 0);
  t.equal(await stateOf(app, a.id), 'contract:in_progress');
});

t.test('a member who is not the owner cannot sign', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'contract');
  const owner = await currentUser(app, 'owner@test-fintech.example');
  const { token } = await app.services.accounts.createInvite(owner);
  const member = new Browser(app);
  const joined = await member.post(`/invite/${token}`, {
    name: '이멤버',
    email: 'member@test-fintech.example',
    password: 'member-password-1',
    password_confirm: 'member-password-1',
  });
  t.equal(joined.statusCode, 303);
  const view = await member.get(page(a.id));
  t.equal(view.statusCode, 200, 'a member can read the contract');
  t.notMatch(view.body, 'name="full_name"');
  t.match(view.body, '기관 소유자만');
  const res = await member.post(`${page(a.id)}/sign`, { full_name: '이멤버', accept: 'yes' }, { formUrl: page(a.id) });
  t.equal(res.statusCode, 403);
  t.equal(Number((await app.db('contracts').count({ n: '*' }).first())?.n), 0);
});
