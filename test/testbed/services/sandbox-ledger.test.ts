// Organization members top up and reset their sandbox with compensating ledger entries; nobody else can.
import t from 'tap';
import { Browser } from '../../helpers/build';
import { HONG, PAYING, sandbox, withdrawBody } from '../../helpers/testbed-services';

const OWNER = 'owner@demo-fintech.example';
const OTHER_OWNER = 'owner@sample-pay.example';

t.test('sandbox ledger pages', async (t) => {
  const sb = await sandbox(t); // 홍길동 and 허균 registered their accounts with 데모핀테크
  const hongMain = HONG.accounts[0]!.accountNum;
  const owner = new Browser(sb.app);
  await owner.login(OWNER);
  const accountId = async (num: string) =>
    (await sb.app.services.ledger.findAccountByNumber(
      num === PAYING ? '097' : HONG.accounts.find((a) => a.accountNum === num)!.bankCode,
      num,
    ))!.id;

  await t.test(
    "a member sees the organization's contract accounts and registered test accounts with balances",
    async (t) => {
      const res = await owner.get('/sandbox/ledger');
      t.equal(res.statusCode, 200);
      t.match(res.body, PAYING);
      t.match(res.body, hongMain);
      t.match(res.body, '100,000,000');
    },
  );

  await t.test('a top-up with a bad amount re-renders the form with 422, the error and the values kept', async (t) => {
    const res = await owner.post(
      '/sandbox/ledger/top-up',
      { account_id: await accountId(hongMain), amount: '12abc' },
      { formUrl: '/sandbox/ledger' },
    );
    t.equal(res.statusCode, 422);
    t.match(res.body, /error-summary|error-message/);
    t.match(res.body, 'value="12abc"');
    const none = await owner.post(
      '/sandbox/ledger/top-up',
      { account_id: '', amount: '' },
      { formUrl: '/sandbox/ledger' },
    );
    t.equal(none.statusCode, 422);
  });

  await t.test('a top-up adds money through a ledger entry and redirects (303)', async (t) => {
    const before = await sb.balanceOf('097', hongMain);
    const res = await owner.post(
      '/sandbox/ledger/top-up',
      { account_id: await accountId(hongMain), amount: '1,000,000' },
      { formUrl: '/sandbox/ledger' },
    );
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/sandbox/ledger');
    t.equal(await sb.balanceOf('097', hongMain), before + 1_000_000);
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok);
    t.equal(v.customerTotal, v.mintedTotal, 'the top-up is a documented mint');
  });

  await t.test('a top-up needs the CSRF token', async (t) => {
    const res = await owner.post(
      '/sandbox/ledger/top-up',
      { account_id: await accountId(hongMain), amount: '1' },
      { csrf: false },
    );
    t.equal(res.statusCode, 403);
  });

  await t.test("another organization cannot top up or see this organization's accounts", async (t) => {
    const other = new Browser(sb.app);
    await other.login(OTHER_OWNER);
    const page = await other.get('/sandbox/ledger');
    t.equal(page.statusCode, 200);
    t.notMatch(page.body, PAYING);
    const before = await sb.balanceOf('097', hongMain);
    const res = await other.post(
      '/sandbox/ledger/top-up',
      { account_id: await accountId(hongMain), amount: '5000' },
      { formUrl: '/sandbox/ledger' },
    );
    t.equal(res.statusCode, 422);
    t.equal(await sb.balanceOf('097', hongMain), before);
  });

  await t.test('staff get 403 and visitors are sent to sign in', async (t) => {
    const staff = new Browser(sb.app);
    await staff.login('reviewer@portal.example');
    t.equal((await staff.get('/sandbox/ledger')).statusCode, 403);
    const anon = await new Browser(sb.app).get('/sandbox/ledger');
    t.equal(anon.statusCode, 303);
  });

  await t.test('a reset restores opening balances with new postings and never deletes one', async (t) => {
    const fin = await sb.fin(hongMain);
    t.equal(
      (await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin, { tran_amt: '50000' }))).rsp_code,
      'A0000',
    );
    const postings = Number((await sb.app.db('postings').count({ n: '*' }).first())!.n);
    const res = await owner.post('/sandbox/ledger/reset', {}, { formUrl: '/sandbox/ledger' });
    t.equal(res.statusCode, 303);
    t.equal(await sb.balanceOf('097', hongMain), HONG.accounts[0]!.openingBalance);
    t.equal(await sb.balanceOf('097', PAYING), 100_000_000);
    t.ok(
      Number((await sb.app.db('postings').count({ n: '*' }).first())!.n) > postings,
      'compensating postings were added',
    );
    const remain = await sb.get('/v2.0/transfer/user_remain_amt', sb.hong, { user_seq_no: HONG.userSeqNo });
    t.equal(remain.day_wd_amt, '0', "today's limit usage is cleared");
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
    t.equal(v.totalDrift, 0);
    const audit = await sb.app.db('audit_events').where({ event: 'testbed.sandbox_reset' }).first();
    t.ok(audit, 'the reset is audited');
  });
});

t.test(
  'the docs page renders the API reference and the scenario catalogue, and the OpenAPI document lists every service API',
  async (t) => {
    const sb = await sandbox(t);
    const page = await sb.app.inject({ method: 'GET', url: '/docs' });
    t.equal(page.statusCode, 200);
    t.match(page.body, '/v2.0/transfer/withdraw/fin_num');
    t.match(page.body, 'befor_inquiry_trace_info');
    t.match(page.body, '4530');
    t.match(page.body, '1109990000415');
    t.notMatch(page.body, /<script/);
    const en = await sb.app.inject({ method: 'GET', url: '/docs?lang=en' });
    t.match(en.body, 'Scenario triggers');
    const doc = (await sb.app.inject({ method: 'GET', url: '/docs/testbed/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>>;
    };
    t.match(doc.openapi, /^3\./);
    const { APIS } = await import('../../../src/testbed/services/api-catalogue');
    for (const api of APIS) {
      const op = doc.paths[api.path]?.[api.method.toLowerCase()];
      t.ok(op, `${api.method} ${api.path} documented`);
      if (api.method === 'POST') t.ok(op?.requestBody, `${api.path} has a request body schema`);
    }
    t.notOk(
      Object.keys(doc.paths).some((p) => !/^\/(v2\.0|oauth\/2\.0|testbed)\//.test(p)),
      'only emulator routes',
    );
  },
);
