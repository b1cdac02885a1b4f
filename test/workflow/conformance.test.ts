// Stage 3 is decided on evidence: each required scenario turns green only through the real emulator calls
// that define it, judged from the request log; the shortcut, another organization's calls and calls made
// before the application entered testing never count; the report and the approval are refused while a
// scenario is open (409 conformance_incomplete naming them) and allowed once all have passed.
import t from 'tap';
import { apiAs } from '../api/fixtures/api-client';
import type { FastifyInstance } from 'fastify';
import {
  COLLECTING,
  DEMO_SANDBOX,
  HEO,
  HONG,
  bankTranId,
  depositAcntBody,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
  balanceQuery,
} from '../helpers/testbed-services';
import { TEST_PERSON_PASSWORD } from '../helpers/testbed';
import { authorizeThroughPages } from '../helpers/authorize-pages';
import { TIMEOUT_SETTLE_SECONDS } from '../../src/testbed/scenarios/catalogue';
import { requiredScenarios } from '../../src/workflow/conformance';
import { staffUser } from '../helpers/workflow';

let now = Date.now();
const clock = () => new Date(now);

async function demoApplicationId(app: FastifyInstance): Promise<string> {
  return (await app.db('applications').where({ organization_id: DEMO_SANDBOX.organizationId }).first('id'))
    .id as string;
}

/** A personal API token, through POST /api/v1/tokens (the API fixtures' sign-in). */
async function apiToken(app: FastifyInstance, email: string, password: string): Promise<string> {
  return (await apiAs(app, email, password)).token!;
}

const REPORT = {
  period_start: '2026-11-10',
  period_end: '2026-11-30',
  tested: Object.fromEntries(
    ['balance', 'transaction_list', 'real_name', 'remit_list', 'receive', 'withdraw', 'deposit', 'transfer_result'].map(
      (k) => [k, `${k} 정상과 오류 응답을 확인했습니다.`],
    ),
  ),
};

t.test('the scenarios an application needs follow from the APIs it requested', async (t) => {
  t.same(requiredScenarios(['balance']), ['auth.authorization_code', 'auth.refresh', 'balance.success']);
  t.same(requiredScenarios(['real_name']), ['auth.client_credentials', 'real_name.success']);
  t.same(requiredScenarios(['withdraw', 'transfer_result']), [
    'auth.client_credentials',
    'auth.authorization_code',
    'auth.refresh',
    'withdraw.success',
    'transfer_result.success',
    'withdraw.duplicate_refused',
    'withdraw.insufficient_funds',
    'transfer_result.settles_pending',
  ]);
  t.same(requiredScenarios([]), [], 'nothing requested, nothing required');
});

t.test('every scenario turns green only through the real calls that define it, and the gate follows', async (t) => {
  const sb = await sandbox(t, { clock });
  const { app } = sb;
  const id = await demoApplicationId(app);
  const status = async () =>
    Object.fromEntries((await app.services.workflow.conformance(id))!.scenarios.map((s) => [s.key, s.status]));
  const evidenceOf = async (key: string) =>
    (await app.services.workflow.conformance(id))!.scenarios.find((s) => s.key === key)!.evidence;
  const owner = await apiToken(app, 'owner@demo-fintech.example', 'demo-password-1');
  const submit = () =>
    app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/submit`,
      headers: { authorization: `Bearer ${owner}` },
      payload: { report: REPORT },
    });

  // The sandbox helper took an oob token and user tokens through the shortcut: only the oob token counts.
  let s = await status();
  t.equal(s['auth.client_credentials'], 'passed', 'an oob token was issued');
  t.equal(s['auth.authorization_code'], 'open', 'codes from the sandbox shortcut are not the authorize pages');
  t.equal(Object.values(s).filter((v) => v === 'open').length, Object.keys(s).length - 1, 'everything else is open');
  t.equal(
    Object.keys(s).length,
    14,
    'eight APIs: three OAuth steps, eight successes, three error and settlement scenarios',
  );

  let res = await submit();
  t.equal(res.statusCode, 409, 'the report is refused while scenarios are open');
  t.equal(res.json().error.code, 'conformance_incomplete');
  t.ok(res.json().error.open.includes('withdraw.duplicate_refused'), 'the answer names the open scenarios');

  // The conformance API: staff and the organization's members only.
  const api = await app.inject({
    method: 'GET',
    url: `/api/v1/applications/${id}/conformance`,
    headers: { authorization: `Bearer ${owner}` },
  });
  t.equal(api.statusCode, 200);
  t.equal(api.json().complete, false);
  t.same(api.json().scenarios[0], {
    key: 'auth.client_credentials',
    status: 'passed',
    evidence: api.json().scenarios[0].evidence,
  });

  // The authorize pages, then the code exchanged.
  const { code } = await authorizeThroughPages(app, {
    clientId: DEMO_SANDBOX.clientId,
    redirectUri: DEMO_SANDBOX.callbackUrl,
    loginId: 'hong',
    password: TEST_PERSON_PASSWORD,
  });
  t.equal((await status())['auth.authorization_code'], 'open', 'completing the pages alone is not enough');
  const exchange = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: DEMO_SANDBOX.clientId,
      client_secret: DEMO_SANDBOX.clientSecret,
      redirect_uri: DEMO_SANDBOX.callbackUrl,
    }).toString(),
  });
  const tokens = exchange.json() as { access_token: string; refresh_token: string };
  t.ok(tokens.access_token, 'the code was exchanged');
  t.equal((await status())['auth.authorization_code'], 'passed');
  t.equal((await evidenceOf('auth.authorization_code')).length, 2, 'evidence: the consent step and the exchange');

  t.equal((await status())['auth.refresh'], 'open');
  const refreshed = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: DEMO_SANDBOX.clientId,
      client_secret: DEMO_SANDBOX.clientSecret,
      scope: 'login inquiry transfer',
    }).toString(),
  });
  t.ok(refreshed.json().access_token, refreshed.body);
  t.equal((await status())['auth.refresh'], 'passed');

  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  // A refused call is not a success.
  t.equal(
    (await sb.get('/v2.0/account/balance/fin_num', sb.hong, balanceQuery('199999999999999999999999'))).rsp_code ===
      'A0000',
    false,
  );
  t.equal((await status())['balance.success'], 'open', 'a refused balance inquiry does not pass');
  t.equal((await sb.get('/v2.0/account/balance/fin_num', sb.hong, balanceQuery(fin))).rsp_code, 'A0000');
  t.equal((await status())['balance.success'], 'passed');
  const txl = await sb.get('/v2.0/account/transaction_list/fin_num', sb.hong, {
    bank_tran_id: bankTranId(),
    fintech_use_num: fin,
    inquiry_type: 'A',
    inquiry_base: 'D',
    from_date: kstToday(clock()),
    to_date: kstToday(clock()),
    sort_order: 'D',
    tran_dtime: tranDtime(),
  });
  t.equal(txl.rsp_code, 'A0000', txl.rsp_message);
  const realName = await sb.post('/v2.0/inquiry/real_name', sb.oob, {
    bank_tran_id: bankTranId(),
    bank_code_std: '097',
    account_num: HONG.accounts[0]!.accountNum,
    account_holder_info_type: ' ',
    account_holder_info: '880101',
    tran_dtime: tranDtime(),
  });
  t.equal(realName.rsp_code, 'A0000', realName.rsp_message);
  const remit = await sb.post('/v2.0/inquiry/remit_list', sb.oob, {
    bank_tran_id: bankTranId(),
    bank_code_std: '097',
    account_num: COLLECTING,
    from_date: kstToday(clock()),
    to_date: kstToday(clock()),
    tran_dtime: tranDtime(),
  });
  t.equal(remit.rsp_code, 'A0000', remit.rsp_message);
  const receive = await sb.post('/v2.0/inquiry/receive', sb.oob, {
    bank_tran_id: bankTranId(),
    cntr_account_type: 'N',
    cntr_account_num: DEMO_SANDBOX.contractAccounts.depositPaying.accountNum,
    bank_code_std: '097',
    account_num: HEO.accounts[0]!.accountNum,
    print_content: '환불',
    tran_amt: '1000',
    req_client_name: '홍길동',
    req_client_num: 'HONG1',
    transfer_purpose: 'TR',
  });
  t.equal(receive.rsp_code, 'A0000', receive.rsp_message);
  const deposit = await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depositAcntBody());
  t.equal(deposit.rsp_code, 'A0000', deposit.rsp_message);

  // Withdrawals: success, the same bank_tran_id again (A0326), insufficient funds (4530 → 453).
  const w = withdrawBody(fin);
  t.equal((await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, w)).rsp_code, 'A0000');
  t.equal((await status())['withdraw.duplicate_refused'], 'open');
  t.equal((await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, w)).rsp_code, 'A0326');
  t.equal((await status())['withdraw.duplicate_refused'], 'passed', 'the same bank_tran_id refused after it succeeded');
  t.equal(
    (await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin, { tran_amt: '4530' }))).bank_rsp_code,
    '453',
  );
  t.equal((await status())['withdraw.insufficient_funds'], 'passed');

  // A pending transfer, asked about before and after it settles.
  const pending = withdrawBody(fin, { tran_amt: '7001' });
  t.equal((await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, pending)).rsp_code, 'A0001');
  const ask = () =>
    sb.post('/v2.0/transfer/result', sb.oob, {
      check_type: '1',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [
        {
          tran_no: '1',
          org_bank_tran_id: pending.bank_tran_id,
          org_bank_tran_date: kstToday(clock()),
          org_tran_amt: '7001',
        },
      ],
    });
  t.equal((await ask()).rsp_code, 'A0001');
  s = await status();
  t.equal(s['transfer_result.settles_pending'], 'open', 'asking while it is still processing is not the outcome');
  t.equal(s['transfer_result.success'], 'open', 'an A0001 answer is not a success');
  now += (TIMEOUT_SETTLE_SECONDS + 1) * 1000;
  t.equal((await ask()).rsp_code, 'A0000');

  s = await status();
  t.same(
    Object.entries(s).filter(([, v]) => v === 'open'),
    [],
    'every scenario has passed',
  );
  res = await submit();
  t.equal(res.statusCode, 200, 'the report is accepted once every scenario passed');

  // Calls made before the application entered testing do not count: move its entry after them.
  const entered = (await app.db('applications').where({ id }).first('stage_entered_at')).stage_entered_at as string;
  await app
    .db('applications')
    .where({ id })
    .update({ stage_entered_at: new Date(now + 60_000).toISOString() });
  const reviewer = await staffUser(app, 'reviewer');
  const refused = await reviewer.browser.post(
    `/staff/applications/${id}/decision`,
    { event: 'approve', reason: '테스트베드 기록을 확인했습니다.' },
    { formUrl: `/staff/applications/${id}` },
  );
  t.equal(refused.statusCode, 409, 'approval is refused when the calls predate the stage');
  t.match(refused.body, '시나리오를 아직 통과하지 못했습니다');
  t.equal((await app.db('applications').where({ id }).first('stage')).stage, 'testing');
  await app.db('applications').where({ id }).update({ stage_entered_at: entered });
  const approved = await reviewer.browser.post(
    `/staff/applications/${id}/decision`,
    { event: 'approve', reason: '테스트베드 기록을 확인했습니다.' },
    { formUrl: `/staff/applications/${id}` },
  );
  t.equal(approved.statusCode, 303, 'and allowed on the real evidence');
  t.equal((await app.db('applications').where({ id }).first('stage')).stage, 'security');
});

t.test("another organization's calls never count", async (t) => {
  const sb = await sandbox(t, { clock });
  const { app } = sb;
  // Every scenario of 데모핀테크 is recorded under its own organization…
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  t.equal((await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin))).rsp_code, 'A0000');
  // …and an application of another organization in testing sees none of it.
  const reviewer = await staffUser(app, 'reviewer');
  const { applicationInTesting } = await import('../helpers/workflow');
  const other = await applicationInTesting(app, reviewer.browser);
  const result = (await app.services.workflow.conformance(other.id))!;
  t.ok(result.scenarios.length > 0);
  t.same(
    result.scenarios.filter((x) => x.status === 'passed'),
    [],
    'nothing passed for the other organization',
  );
});
