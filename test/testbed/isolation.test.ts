// Sandbox isolation (src/testbed/ledger/sandbox-worlds.ts): every organization has its own sandbox world —
// the same documented fixtures (홍길동 1100000001, 097 1101230000678 with 3,000,000 …) but its own balances,
// history, registrations, limits usage and resets; another organization's fintech numbers and tokens
// never resolve in it (A0304, as for an unknown number).
import crypto from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, signUp } from '../helpers/build';
import {
  DEMO_SANDBOX,
  HONG,
  bankTranId,
  fintechNumbers,
  oobToken,
  userToken,
  type SandboxCredentials,
} from '../helpers/testbed';
import { kstToday, tranDtime } from '../helpers/testbed-services';
import { createLedgerService } from '../../src/testbed/ledger/service';
import { readerOf } from '../../src/db/knex';

const MAIN = HONG.accounts[0]!; // 097 1101230000678, 3,000,000
const SMALL = HONG.accounts[1]!; // 097 1101230000685, 3,000
const ACTOR = { userId: null, label: 'isolation test' };

interface Org {
  id: string;
  creds: SandboxCredentials & { clientUseCode: string };
  collecting: string;
  paying: string;
}
type Body = Record<string, any>;

const demoOrg: Org = {
  id: DEMO_SANDBOX.organizationId,
  creds: DEMO_SANDBOX,
  collecting: DEMO_SANDBOX.contractAccounts.withdrawCollecting.accountNum,
  paying: DEMO_SANDBOX.contractAccounts.depositPaying.accountNum,
};

/** A second fintech with its own sandbox credentials and contract accounts, set up through the services. */
async function newOrganization(app: FastifyInstance, email: string, name: string): Promise<Org> {
  await signUp(app, { email, organization: name });
  const id = (
    await app
      .db('memberships')
      .join('users', 'users.id', 'memberships.user_id')
      .where('users.email', email)
      .first('organization_id')
  ).organization_id as string;
  await app.services.credentials.reissueSandboxSet(ACTOR, id);
  const secret = await app.services.credentials.createSecret(ACTOR, id);
  const callbackUrl = `https://${email.split('@')[1]}/cb`;
  await app.services.credentials.addCallbackUrl(ACTOR, id, { url: callbackUrl });
  const set = (await app.services.credentials.activeSet(id))!;
  const contract = await app
    .db('bank_accounts')
    .where({ organization_id: id })
    .whereIn('purpose', ['withdraw_collecting', 'deposit_paying'])
    .select('purpose', 'account_num');
  const numOf = (purpose: string) =>
    contract.find((c: { purpose: string }) => c.purpose === purpose)!.account_num as string;
  return {
    id,
    creds: { clientId: set.clientId, clientSecret: secret.secret, clientUseCode: set.clientUseCode, callbackUrl },
    collecting: numOf('withdraw_collecting'),
    paying: numOf('deposit_paying'),
  };
}

async function api(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  fields: Record<string, unknown>,
): Promise<Body> {
  const res =
    method === 'GET'
      ? await app.inject({
          method,
          url: `${url}?${new URLSearchParams(fields as Record<string, string>).toString()}`,
          headers: { authorization: `Bearer ${token}` },
        })
      : await app.inject({
          method,
          url,
          payload: JSON.stringify(fields),
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
        });
  return res.json() as Body;
}

function balance(app: FastifyInstance, org: Org, token: string, fin: string): Promise<Body> {
  return api(app, 'GET', '/v2.0/account/balance/fin_num', token, {
    bank_tran_id: bankTranId(org.creds.clientUseCode),
    fintech_use_num: fin,
    tran_dtime: tranDtime(),
  });
}

function todaysList(app: FastifyInstance, org: Org, token: string, fin: string): Promise<Body> {
  return api(app, 'GET', '/v2.0/account/transaction_list/fin_num', token, {
    bank_tran_id: bankTranId(org.creds.clientUseCode),
    fintech_use_num: fin,
    inquiry_type: 'A',
    inquiry_base: 'D',
    from_date: kstToday(),
    to_date: kstToday(),
    sort_order: 'D',
    tran_dtime: tranDtime(),
  });
}

function withdraw(app: FastifyInstance, org: Org, token: string, fin: string, amount: number): Promise<Body> {
  return api(app, 'POST', '/v2.0/transfer/withdraw/fin_num', token, {
    bank_tran_id: bankTranId(org.creds.clientUseCode),
    cntr_account_type: 'N',
    cntr_account_num: org.collecting,
    dps_print_content: '격리시험',
    fintech_use_num: fin,
    wd_print_content: '격리시험',
    tran_amt: String(amount),
    tran_dtime: tranDtime(),
    req_client_name: '홍길동',
    req_client_fintech_use_num: fin,
    req_client_num: 'HONGGILDONG1',
    transfer_purpose: 'TR',
  });
}

/** A deposit by account number into 홍길동's second account: resolved in the caller's world. */
function depositToSmall(app: FastifyInstance, org: Org, oob: string, amount: number): Promise<Body> {
  return api(app, 'POST', '/v2.0/transfer/deposit/acnt_num', oob, {
    cntr_account_type: 'N',
    cntr_account_num: org.paying,
    wd_pass_phrase: 'NONE',
    wd_print_content: '격리시험',
    name_check_option: 'on',
    tran_dtime: tranDtime(),
    req_cnt: '1',
    req_list: [
      {
        tran_no: '1',
        bank_tran_id: bankTranId(org.creds.clientUseCode),
        bank_code_std: SMALL.bankCode,
        account_num: SMALL.accountNum,
        account_holder_name: HONG.name,
        print_content: '환불',
        tran_amt: String(amount),
        req_client_name: '홍길동',
        req_client_num: 'HONGGILDONG1',
        transfer_purpose: 'TR',
      },
    ],
  });
}

interface ScriptResult {
  token: string;
  oob: string;
  fins: Record<string, string>;
  before: number;
  after: number;
  small: number;
  today: Body[];
  remain: Body;
}

/** What one fintech does: authorize 홍길동, balance, withdraw, deposit, balances again, today's list, remaining limit. */
async function script(
  app: FastifyInstance,
  org: Org,
  amounts: { withdraw: number; deposit: number },
): Promise<ScriptResult> {
  const token = await userToken(app, { userSeqNo: HONG.userSeqNo, creds: org.creds });
  const oob = await oobToken(app, org.creds);
  const fins = await fintechNumbers(app, HONG.userSeqNo, org.id);
  const before = Number((await balance(app, org, token, fins[MAIN.accountNum]!)).balance_amt);
  const w = await withdraw(app, org, token, fins[MAIN.accountNum]!, amounts.withdraw);
  if (w.rsp_code !== 'A0000') throw new Error(`withdraw: ${JSON.stringify(w)}`);
  const d = await depositToSmall(app, org, oob, amounts.deposit);
  if (d.rsp_code !== 'A0000') throw new Error(`deposit: ${JSON.stringify(d)}`);
  const after = Number((await balance(app, org, token, fins[MAIN.accountNum]!)).balance_amt);
  const small = Number((await balance(app, org, token, fins[SMALL.accountNum]!)).balance_amt);
  const today = (await todaysList(app, org, token, fins[MAIN.accountNum]!)).res_list as Body[];
  const remain = await api(app, 'GET', '/v2.0/transfer/user_remain_amt', token, { user_seq_no: HONG.userSeqNo });
  return { token, oob, fins, before, after, small, today, remain };
}

t.test(
  'two organizations running the same script on the same fixtures at once each see only their own effects',
  async (t) => {
    const app = await build(t, { demo: true });
    const other = await newOrganization(app, 'owner@isolated.example', '격리핀테크');
    const amounts = { a: { withdraw: 10_000, deposit: 1_000 }, b: { withdraw: 23_000, deposit: 7_000 } };
    const [a, b] = await Promise.all([script(app, demoOrg, amounts.a), script(app, other, amounts.b)]);

    for (const [name, r, amt] of [
      ['demo', a, amounts.a],
      ['other', b, amounts.b],
    ] as const) {
      t.equal(r.before, MAIN.openingBalance, `${name}: 홍길동's documented opening balance`);
      t.equal(r.after, MAIN.openingBalance - amt.withdraw, `${name}: only its own withdrawal`);
      t.equal(r.small, SMALL.openingBalance + amt.deposit, `${name}: only its own deposit (by account number)`);
      t.same(
        r.today.map((i) => [i.inout_type, i.tran_amt]),
        [['출금', String(amt.withdraw)]],
        `${name}: today's history holds its own withdrawal only`,
      );
      t.equal(r.remain.day_wd_amt, String(amt.withdraw), `${name}: its own limit usage`);
    }
    t.not(a.fins[MAIN.accountNum], b.fins[MAIN.accountNum], 'one fintech number per organization');

    // The same documented account exists once in each world, and once more as the untouched template.
    const copies = await app
      .db('bank_accounts')
      .where({ bank_code: MAIN.bankCode, account_num: MAIN.accountNum })
      .select('world', 'balance');
    t.same(copies.map((c: { world: string }) => c.world).sort(), ['', demoOrg.id, other.id].sort());
    t.equal(
      Number(copies.find((c: { world: string }) => c.world === '')!.balance),
      MAIN.openingBalance,
      'the template never moves',
    );
    t.ok((await app.services.ledger.verifyBalances()).ok, 'the ledger balances');
  },
);

t.test(
  "another organization's fintech_use_num and token never resolve in this organization's world (A0304)",
  async (t) => {
    const app = await build(t, { demo: true });
    const other = await newOrganization(app, 'owner@elsewhere.example', '다른세계핀테크');
    const [a, b] = await Promise.all([
      script(app, demoOrg, { withdraw: 1_000, deposit: 100 }),
      script(app, other, { withdraw: 2_000, deposit: 200 }),
    ]);
    const finA = a.fins[MAIN.accountNum]!;
    const finB = b.fins[MAIN.accountNum]!;
    t.equal((await balance(app, demoOrg, a.token, finB)).rsp_code, 'A0304', "B's number with A's token");
    t.equal((await balance(app, other, b.token, finA)).rsp_code, 'A0304', "A's number with B's token");
    t.equal(
      (await withdraw(app, other, b.token, finA, 1_000)).rsp_code,
      'A0304',
      "B cannot withdraw from A's registration",
    );
    t.equal(
      (await api(app, 'POST', '/v2.0/account/update_info', b.token, { fintech_use_num: finA, account_alias: 'mine' }))
        .rsp_code,
      'A0304',
    );
    t.equal(
      (
        await api(app, 'POST', '/v2.0/account/cancel', b.token, {
          bank_tran_id: bankTranId(other.creds.clientUseCode),
          scope: 'inquiry',
          fintech_use_num: finA,
        })
      ).rsp_code,
      'A0304',
    );
    const unknown = await balance(app, demoOrg, a.token, '199999999900000000000001');
    t.equal(unknown.rsp_code, 'A0304', 'the same answer as a number never issued');
    t.equal(
      (await balance(app, demoOrg, a.token, finA)).balance_amt,
      String(MAIN.openingBalance - 1_000),
      "A's balance is as A left it",
    );
    t.equal(
      (await balance(app, other, b.token, finB)).balance_amt,
      String(MAIN.openingBalance - 2_000),
      "B's balance is as B left it",
    );
  },
);

t.test("a reset in one organization leaves the other organization's world untouched", async (t) => {
  const app = await build(t, { demo: true });
  const other = await newOrganization(app, 'owner@reset.example', '초기화핀테크');
  const [a, b] = await Promise.all([
    script(app, demoOrg, { withdraw: 50_000, deposit: 5_000 }),
    script(app, other, { withdraw: 70_000, deposit: 9_000 }),
  ]);
  await Promise.all([
    app.services.sandboxLedger.resetOrganization(ACTOR, demoOrg.id),
    withdraw(app, other, b.token, b.fins[MAIN.accountNum]!, 1_000),
  ]);
  t.equal(
    (await balance(app, demoOrg, a.token, a.fins[MAIN.accountNum]!)).balance_amt,
    String(MAIN.openingBalance),
    'A is back at the opening balance',
  );
  t.equal((await balance(app, demoOrg, a.token, a.fins[SMALL.accountNum]!)).balance_amt, String(SMALL.openingBalance));
  t.equal(
    (await api(app, 'GET', '/v2.0/transfer/user_remain_amt', a.token, { user_seq_no: HONG.userSeqNo })).day_wd_amt,
    '0',
    "A's limit usage is cleared",
  );
  t.equal(
    (await balance(app, other, b.token, b.fins[MAIN.accountNum]!)).balance_amt,
    String(MAIN.openingBalance - 71_000),
    'B keeps its own withdrawals',
  );
  t.equal(
    (await balance(app, other, b.token, b.fins[SMALL.accountNum]!)).balance_amt,
    String(SMALL.openingBalance + 9_000),
    'and its own deposit',
  );
  t.equal(
    (await api(app, 'GET', '/v2.0/transfer/user_remain_amt', b.token, { user_seq_no: HONG.userSeqNo })).day_wd_amt,
    '71000',
    'and its own limit usage',
  );
  t.equal(
    ((await todaysList(app, other, b.token, b.fins[MAIN.accountNum]!)).res_list as Body[]).length,
    2,
    'and its own history',
  );
  // B resets too: both worlds are back at the documented fixtures.
  await app.services.sandboxLedger.resetOrganization(ACTOR, other.id);
  t.equal((await balance(app, other, b.token, b.fins[MAIN.accountNum]!)).balance_amt, String(MAIN.openingBalance));
  const listed = await app.services.sandboxLedger.listAccounts(other.id);
  t.ok(
    listed.some((x) => x.accountNum === MAIN.accountNum),
    "the sandbox page lists the organization's copies of the fixtures",
  );
  t.ok(
    listed.every((x) => x.balance === x.openingBalance),
    'all at their opening balances',
  );
  t.ok((await app.services.ledger.verifyBalances()).ok, 'the ledger balances after the resets');
});

t.test('concurrent first touches of one organization materialise its world once', async (t) => {
  const app = await build(t, { demo: true });
  const other = await newOrganization(app, 'owner@race.example', '동시핀테크');
  // A second ledger (as another app instance has) skips this process's in-flight de-duplication.
  const secondInstance = createLedgerService({ db: app.db, clock: () => new Date(), ids: () => crypto.randomUUID() });
  await Promise.all([
    app.services.ledger.worlds.ensure(other.id),
    secondInstance.worlds.ensure(other.id),
    app.services.testbedUsers.pageForOrganization(other.id),
    app.services.sandboxLedger.listAccounts(other.id),
    userToken(app, { userSeqNo: HONG.userSeqNo, creds: other.creds }),
  ]);
  const templates = await app
    .db('bank_accounts')
    .where({ world: '', purpose: 'personal' })
    .select('bank_code', 'account_num');
  const copies = await app
    .db('bank_accounts')
    .where({ world: other.id, purpose: 'personal' })
    .select('bank_code', 'account_num');
  t.equal(copies.length, templates.length, 'one copy of every template account');
  t.equal(
    new Set(copies.map((c: { bank_code: string; account_num: string }) => `${c.bank_code} ${c.account_num}`)).size,
    copies.length,
    'no duplicates',
  );
  t.equal((await app.db('sandbox_worlds').where({ organization_id: other.id })).length, 1);
  const people = (await app.services.testbedUsers.pageForOrganization(other.id)).shared;
  t.same(
    people.find((p) => p.userSeqNo === HONG.userSeqNo)!.accounts.map((x) => [x.accountNum, x.balance]),
    HONG.accounts.map((x) => [x.accountNum, x.openingBalance]),
    "the sandbox page shows the documented fixtures in the organization's world",
  );
  t.ok((await app.services.ledger.verifyBalances()).ok, 'the copies were minted like any opening');
});

t.test('a balance inquiry in a materialised world asks nothing about worlds or templates', async (t) => {
  const app = await build(t, { demo: true });
  const token = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fin = (await fintechNumbers(app, HONG.userSeqNo))[MAIN.accountNum]!;
  t.equal((await balance(app, demoOrg, token, fin)).rsp_code, 'A0000', 'warm-up');
  const seen: string[] = [];
  const listen = (q: { sql: string }) => seen.push(q.sql);
  const reader = readerOf(app.db);
  app.db.on('query', listen);
  if (reader !== app.db) reader.on('query', listen);
  const body = await balance(app, demoOrg, token, fin);
  app.db.removeListener('query', listen);
  if (reader !== app.db) reader.removeListener('query', listen);
  t.equal(body.rsp_code, 'A0000');
  t.notOk(
    seen.some((sql) => /sandbox_worlds|world/.test(sql)),
    'no world lookups',
  );
  t.equal(seen.length, 2, 'one registered-account read and one bank_tran_id claim, as before sandbox worlds');
});

t.test('a template person added later reaches every existing world on first use', async (t) => {
  const app = await build(t, { demo: true });
  await app.services.sandboxLedger.listAccounts(demoOrg.id); // the demo world is complete and remembered
  const newcomer = {
    userSeqNo: '1100000099',
    loginId: 'newcomer',
    password: 'test1234!',
    name: '신입생',
    birthDate: '2000-01-01',
  };
  await app.db.transaction((trx) =>
    app.services.testbedUsers.seedPerson(
      null,
      newcomer,
      [{ bankCode: '097', accountNum: '1101230009999', openingBalance: 77_000, withHistory: false }],
      trx,
    ),
  );
  const token = await userToken(app, { userSeqNo: newcomer.userSeqNo });
  const fin = (await fintechNumbers(app, newcomer.userSeqNo))['1101230009999']!;
  t.equal((await balance(app, demoOrg, token, fin)).balance_amt, '77000');
  const registered = await app
    .db('testbed_fintech_accounts as f')
    .join('bank_accounts as b', 'b.id', 'f.bank_account_id')
    .where('f.fintech_use_num', fin)
    .first('b.world');
  t.equal(registered.world, demoOrg.id, "registered in the organization's world, not the template");
  t.ok((await app.services.ledger.verifyBalances()).ok);
});

t.test(
  "a registration made before sandbox worlds moves to the organization's copy when its world is materialised",
  async (t) => {
    const app = await build(t, { demo: true });
    const other = await newOrganization(app, 'owner@legacy.example', '예전핀테크');
    const template = await app
      .db('bank_accounts')
      .where({ world: '', bank_code: MAIN.bankCode, account_num: MAIN.accountNum })
      .first('id', 'balance');
    t.equal(
      await app.db('bank_accounts').where({ world: other.id, purpose: 'personal' }).first('id'),
      undefined,
      'no world yet',
    );
    const at = new Date().toISOString();
    const legacy = `1${other.creds.clientUseCode.slice(1)}00000000000001`;
    await app.db('testbed_fintech_accounts').insert({
      fintech_use_num: legacy,
      organization_id: other.id,
      user_seq_no: HONG.userSeqNo,
      bank_account_id: template.id,
      account_alias: null,
      inquiry_agree_yn: 'Y',
      inquiry_agree_dtime: null,
      transfer_agree_yn: 'Y',
      transfer_agree_dtime: null,
      inquiry_expires_at: null,
      transfer_expires_at: null,
      state: '01',
      created_at: at,
      updated_at: at,
    });
    const token = await oobToken(app, other.creds); // an institution token: no registration happens
    const body = await api(app, 'POST', '/v2.0/transfer/deposit/fin_num', token, {
      cntr_account_type: 'N',
      cntr_account_num: other.paying,
      wd_pass_phrase: 'NONE',
      wd_print_content: '예전',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [
        {
          tran_no: '1',
          bank_tran_id: bankTranId(other.creds.clientUseCode),
          fintech_use_num: legacy,
          print_content: '예전',
          tran_amt: '4000',
          req_client_name: '홍길동',
          req_client_num: 'HONG1',
          transfer_purpose: 'TR',
        },
      ],
    });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    const moved = await app
      .db('testbed_fintech_accounts as f')
      .join('bank_accounts as b', 'b.id', 'f.bank_account_id')
      .where('f.fintech_use_num', legacy)
      .first('b.world', 'b.balance');
    t.equal(moved.world, other.id, "the registration now names the organization's copy");
    t.equal(Number(moved.balance), MAIN.openingBalance + 4_000, 'and the deposit landed there');
    t.equal(
      Number((await app.db('bank_accounts').where({ id: template.id }).first('balance')).balance),
      Number(template.balance),
      'the template did not move',
    );
    t.ok((await app.services.ledger.verifyBalances()).ok);
  },
);
