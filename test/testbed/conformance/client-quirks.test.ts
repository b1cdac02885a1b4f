// Rule: the habits of public clients written for the real test bed work here unchanged — 'Bearer' with no
// space, misspelled optional fields (warned, never refused), empty strings for optional
// fields, a wd_pass_phrase of their own, the misspelled /oauth/v2.0/token (KFTC JSON, not HTML), a
// refresh token that is a JWT with its own exp — and where the emulator stays strict (a bank_tran_id
// that is not exactly 20 characters) the refusal says exactly what to send.
import t from 'tap';
import {
  DEMO_SANDBOX,
  HEO,
  HONG,
  PAYING,
  bankTranId,
  balanceQuery,
  depositAcntBody,
  sandbox,
  tranDtime,
  withdrawBody,
} from '../../helpers/testbed-services';
import { userTokenResponse } from '../../helpers/testbed';

t.test('public client habits', async (t) => {
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);

  await t.test('"Bearer" + token with no space is accepted on POST and GET calls', async (t) => {
    const res = await sb.raw({
      method: 'POST',
      url: '/v2.0/transfer/withdraw/fin_num',
      payload: withdrawBody(fin),
      headers: { authorization: `Bearer${sb.hong}` },
    });
    t.equal(res.json().rsp_code, 'A0000', res.json().rsp_message);
    const get = await sb.raw({
      method: 'GET',
      url: `/v2.0/account/balance/fin_num?${new URLSearchParams(balanceQuery(fin))}`,
      headers: { authorization: `Bearer${sb.hong}` },
    });
    t.equal(get.json().rsp_code, 'A0000');
  });

  await t.test(
    'misspelled optional fields (req_client_fintech_use, sub_frnc_bussiness_num) are warned about, never refused',
    async (t) => {
      const body = withdrawBody(fin, { req_client_fintech_use: fin, sub_frnc_bussiness_num: '1234567890' });
      const res = await sb.raw({
        method: 'POST',
        url: '/v2.0/transfer/withdraw/fin_num',
        token: sb.hong,
        payload: body,
      });
      t.equal(res.json().rsp_code, 'A0000', res.json().rsp_message);
      t.match(String(res.headers['x-testbed-warning']), /req_client_fintech_use/);
      t.match(String(res.headers['x-testbed-warning']), /sub_frnc_bussiness_num/);
    },
  );

  await t.test('empty strings for optional fields are as good as leaving them out', async (t) => {
    const body = await sb.post(
      '/v2.0/transfer/withdraw/fin_num',
      sb.hong,
      withdrawBody(fin, {
        req_client_bank_code: '',
        req_client_account_num: '',
        wd_print_content: '',
        sub_frnc_name: '',
        recv_client_name: '',
      }),
    );
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    const rn = await sb.post('/v2.0/inquiry/real_name', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: HONG.accounts[0]!.accountNum,
      account_seq: '',
      account_holder_info_type: ' ',
      account_holder_info: '880101',
      tran_dtime: tranDtime(),
    });
    t.equal(rn.rsp_code, 'A0000', rn.rsp_message);
  });

  await t.test("a deposit with a wd_pass_phrase of the client's own choosing goes through", async (t) => {
    for (const phrase of ['NONE', 'my-sandbox-phrase', '1234']) {
      t.equal(
        (await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depositAcntBody({}, { wd_pass_phrase: phrase })))
          .rsp_code,
        'A0000',
        phrase,
      );
    }
  });

  await t.test('a bank_tran_id of 19 or 21 characters is refused with exactly what to send', async (t) => {
    for (const id of [bankTranId().slice(0, 19), `${bankTranId()}7`]) {
      const body = await sb.get('/v2.0/account/balance/fin_num', sb.hong, balanceQuery(fin, { bank_tran_id: id }));
      t.equal(body.rsp_code, 'A0004');
      t.match(body.rsp_message, `받은 값 ${id.length}자리`);
      t.match(body.rsp_message, `${DEMO_SANDBOX.clientUseCode}U000000042`, "with an example of the caller's own form");
    }
  });

  await t.test("receive gives the paying account's wd_account_num in full, as the spec's sample", async (t) => {
    const body = await sb.post('/v2.0/inquiry/receive', sb.oob, {
      bank_tran_id: bankTranId(),
      cntr_account_type: 'N',
      cntr_account_num: PAYING,
      bank_code_std: '097',
      account_num: HEO.accounts[0]!.accountNum,
      print_content: '환불',
      tran_amt: '1000',
    });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(body.wd_account_num, PAYING);
  });

  await t.test(
    "an unknown /oauth/* path (the misspelled /oauth/v2.0/token) answers KFTC JSON, not the portal's HTML",
    async (t) => {
      for (const [method, url] of [
        ['POST', '/oauth/v2.0/token'],
        ['GET', '/oauth/token'],
      ] as const) {
        const res = await sb.app.inject({
          method,
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: method === 'POST' ? `client_id=${DEMO_SANDBOX.clientId}&grant_type=client_credentials` : undefined,
        });
        t.equal(res.statusCode, 200, url);
        t.match(String(res.headers['content-type']), /application\/json/);
        t.same(res.json(), { rsp_code: 'O0005', rsp_message: '허용되지 않은 API' });
      }
    },
  );

  await t.test(
    "the refresh token is a JWT with its own exp, later than the access token's, and is no access token",
    async (t) => {
      const token = await userTokenResponse(sb.app, { userSeqNo: HONG.userSeqNo });
      const claims = (jwt: string) =>
        JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; aud: string };
      const refresh = String(token.refresh_token);
      t.equal(refresh.split('.').length, 3);
      const r = claims(refresh);
      const a = claims(String(token.access_token));
      t.equal(r.aud, HONG.userSeqNo);
      t.equal(r.exp - a.exp, 10 * 24 * 3600, 'ten days after the access token');
      const asAccess = await sb.get('/v2.0/account/balance/fin_num', refresh, balanceQuery(fin));
      t.equal(asAccess.rsp_code, 'O0002');
    },
  );
});
