// Management APIs: user/me, account/list, account/update_info, account/cancel, user/unlink, user/close.
import t from 'tap';
import { build, signUp } from '../../helpers/build';
import { DEMO_SANDBOX, HONG, HEO, bankTranId, fintechNumbers, oobToken, userToken } from '../../helpers/testbed';

type App = Awaited<ReturnType<typeof build>>;

function call(app: App, method: 'GET' | 'POST', url: string, token: string, body?: Record<string, unknown>) {
  return app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer${token}`,
      ...(body ? { 'content-type': 'application/json; charset=UTF-8' } : {}),
    },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

t.test('account/list sorts, hides cancelled registrations unless asked, and reports account_state', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fins = await fintechNumbers(app, HONG.userSeqNo);
  const fin = fins['1101230000685']!;
  const cancelInquiry = (
    await call(app, 'POST', '/v2.0/account/cancel', tok, {
      bank_tran_id: bankTranId(),
      scope: 'inquiry',
      fintech_use_num: fin,
    })
  ).json();
  t.equal(cancelInquiry.rsp_code, 'A0000');
  t.equal(cancelInquiry.bank_code_tran, '097');
  t.equal(cancelInquiry.bank_rsp_code, '000');
  t.match(cancelInquiry.bank_tran_date, /^\d{8}$/);
  let list = (
    await call(app, 'GET', `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}&include_cancel_yn=N&sort_order=A`, tok)
  ).json();
  t.equal(list.res_cnt, '3', 'transfer is still agreed: the registration stays in use');
  const item = list.res_list.find((a: { fintech_use_num: string }) => a.fintech_use_num === fin);
  t.equal(item.inquiry_agree_yn, 'N');
  t.equal(item.inquiry_agree_dtime, '');
  t.equal(item.transfer_agree_yn, 'Y');
  const again = (
    await call(app, 'POST', '/v2.0/account/cancel', tok, {
      bank_tran_id: bankTranId(),
      scope: 'inquiry',
      fintech_use_num: fin,
    })
  ).json();
  t.equal(again.rsp_code, 'A0305', 'cancelling inquiry twice');
  t.equal(
    (
      await call(app, 'POST', '/v2.0/account/cancel', tok, {
        bank_tran_id: bankTranId(),
        scope: 'transfer',
        fintech_use_num: fin,
      })
    ).json().rsp_code,
    'A0000',
  );
  list = (
    await call(app, 'GET', `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}&include_cancel_yn=N&sort_order=D`, tok)
  ).json();
  t.equal(list.res_cnt, '2');
  list = (
    await call(app, 'GET', `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}&include_cancel_yn=Y&sort_order=D`, tok)
  ).json();
  t.equal(list.res_cnt, '3');
  t.equal(list.res_list.find((a: { fintech_use_num: string }) => a.fintech_use_num === fin).account_state, '09');
  t.equal(
    (await call(app, 'GET', `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}&include_cancel_yn=X`, tok)).json()
      .rsp_code,
    'A0004',
  );
});

t.test('a duplicate bank_tran_id the same day is refused with A0326 and changes nothing', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fins = await fintechNumbers(app, HONG.userSeqNo);
  const id = bankTranId();
  t.equal(
    (
      await call(app, 'POST', '/v2.0/account/cancel', tok, {
        bank_tran_id: id,
        scope: 'inquiry',
        fintech_use_num: fins['1101230000678'],
      })
    ).json().rsp_code,
    'A0000',
  );
  const dup = (
    await call(app, 'POST', '/v2.0/account/cancel', tok, {
      bank_tran_id: id,
      scope: 'transfer',
      fintech_use_num: fins['1101230000678'],
    })
  ).json();
  t.equal(dup.rsp_code, 'A0326');
  t.equal(dup.rsp_message, '거래고유번호 중복');
  const row = await app.db('testbed_fintech_accounts').where({ fintech_use_num: fins['1101230000678'] }).first();
  t.equal(row.transfer_agree_yn, 'Y', 'the refused call changed nothing');
  // A refused request does not use up its bank_tran_id either.
  const refusedId = bankTranId();
  t.equal(
    (
      await call(app, 'POST', '/v2.0/account/cancel', tok, {
        bank_tran_id: refusedId,
        scope: 'inquiry',
        fintech_use_num: '199999999900000000000000',
      })
    ).json().rsp_code,
    'A0304',
  );
  t.equal(
    (
      await call(app, 'POST', '/v2.0/account/cancel', tok, {
        bank_tran_id: refusedId,
        scope: 'transfer',
        fintech_use_num: fins['1101230000678'],
      })
    ).json().rsp_code,
    'A0000',
  );
});

t.test('a bank_tran_id must start with the institution code and U (A0004 naming the field)', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const fin = (await fintechNumbers(app, HONG.userSeqNo))['1101230000678'];
  for (const id of ['M202600002U123456789', 'M202600001X123456789', 'M202600001U1234', 'M202600001U12345678!']) {
    const res = (
      await call(app, 'POST', '/v2.0/account/cancel', tok, { bank_tran_id: id, scope: 'inquiry', fintech_use_num: fin })
    ).json();
    t.equal(res.rsp_code, 'A0004', id);
    t.match(res.rsp_message, /bank_tran_id/);
    t.ok(res.api_tran_id, 'A-code errors carry the envelope');
  }
});

t.test(
  "another organization's fintech_use_num is unknown in this sandbox world (A0304) and another user's user_seq_no is refused (A0313)",
  async (t) => {
    const app = await build(t, { demo: true });
    await userToken(app, { userSeqNo: HONG.userSeqNo });
    const heoToken = await userToken(app, { userSeqNo: HEO.userSeqNo });
    const hongFin = (await fintechNumbers(app, HONG.userSeqNo))['1101230000678']!;
    t.equal((await call(app, 'GET', `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`, heoToken)).json().rsp_code, 'A0313');
    t.equal(
      (
        await call(app, 'POST', '/v2.0/account/update_info', heoToken, { fintech_use_num: hongFin, account_alias: 'x' })
      ).json().rsp_code,
      'A0313',
    );
    // A second organization with its own sandbox credentials registers nobody yet.
    const owner = await signUp(app, { email: 'owner@other.example', organization: '다른핀테크' });
    const orgId = (
      await app
        .db('memberships')
        .join('users', 'users.id', 'memberships.user_id')
        .where('users.email', 'owner@other.example')
        .first('organization_id')
    ).organization_id as string;
    await app.services.credentials.reissueSandboxSet({ userId: null, label: 'test' }, orgId);
    const created = await app.services.credentials.createSecret({ userId: null, label: 'test' }, orgId);
    await app.services.credentials.addCallbackUrl({ userId: null, label: 'test' }, orgId, {
      url: 'https://other.example/cb',
    });
    const set = (await app.services.credentials.activeSet(orgId))!;
    const otherToken = await userToken(app, {
      userSeqNo: HEO.userSeqNo,
      creds: { clientId: set.clientId, clientSecret: created.secret, callbackUrl: 'https://other.example/cb' },
    });
    const res = (
      await call(app, 'POST', '/v2.0/account/update_info', otherToken, {
        fintech_use_num: hongFin,
        account_alias: 'mine',
      })
    ).json();
    t.equal(res.rsp_code, 'A0304', "the demo fintech's number does not exist in the other organization's world");
    const cancel = (
      await call(app, 'POST', '/v2.0/account/cancel', otherToken, {
        bank_tran_id: `${set.clientUseCode}U000000001`,
        scope: 'inquiry',
        fintech_use_num: hongFin,
      })
    ).json();
    t.equal(cancel.rsp_code, 'A0304');
    const otherFin = (await fintechNumbers(app, HEO.userSeqNo, orgId))['1101230000692']!;
    t.match(
      otherFin,
      new RegExp(`^1${set.clientUseCode.slice(1)}\\d{14}$`),
      "the other organization's fintech number carries its own code",
    );
    t.not(
      otherFin,
      (await fintechNumbers(app, HEO.userSeqNo))['1101230000692'],
      'one account, one fintech number per organization',
    );
    t.ok(owner);
  },
);

t.test('account/update_info sets the alias shown by user/me', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HEO.userSeqNo });
  const fin = (await fintechNumbers(app, HEO.userSeqNo))['1101230000692']!;
  const res = (
    await call(app, 'POST', '/v2.0/account/update_info', tok, { fintech_use_num: fin, account_alias: '생활비 통장' })
  ).json();
  t.equal(res.rsp_code, 'A0000');
  t.equal(res.account_alias, '생활비 통장');
  const me = (await call(app, 'GET', `/v2.0/user/me?user_seq_no=${HEO.userSeqNo}`, tok)).json();
  t.equal(me.res_list[0].account_alias, '생활비 통장');
  t.equal(
    (
      await call(app, 'POST', '/v2.0/account/update_info', tok, { fintech_use_num: fin, account_alias: 'x'.repeat(51) })
    ).json().rsp_code,
    'A0004',
  );
  t.equal(
    (await call(app, 'POST', '/v2.0/account/update_info', tok, { fintech_use_num: '12345', account_alias: 'a' })).json()
      .rsp_code,
    'A0004',
  );
});

t.test('user/unlink ends the login connection: login tokens are refused, accounts stay registered', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const res = (
    await call(app, 'POST', '/v2.0/user/unlink', tok, {
      client_use_code: DEMO_SANDBOX.clientUseCode,
      user_seq_no: HONG.userSeqNo,
    })
  ).json();
  t.equal(res.rsp_code, 'A0000');
  t.equal(res.user_seq_no, HONG.userSeqNo);
  t.equal((await call(app, 'GET', `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`, tok)).json().rsp_code, 'O0002');
  const inUse = await app
    .db('testbed_fintech_accounts')
    .where({ user_seq_no: HONG.userSeqNo, organization_id: DEMO_SANDBOX.organizationId, state: '01' });
  t.equal(inUse.length, 3);
  const wrongCode = (
    await call(app, 'POST', '/v2.0/user/unlink', await userToken(app, { userSeqNo: HONG.userSeqNo }), {
      client_use_code: 'M202699999',
      user_seq_no: HONG.userSeqNo,
    })
  ).json();
  t.equal(wrongCode.rsp_code, 'A0004');
});

t.test('user/close cancels every registration and revokes every token of the user', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const other = await userToken(app, { userSeqNo: HONG.userSeqNo, scope: 'inquiry' });
  const res = (
    await call(app, 'POST', '/v2.0/user/close', tok, {
      client_use_code: DEMO_SANDBOX.clientUseCode,
      user_seq_no: HONG.userSeqNo,
    })
  ).json();
  t.equal(res.rsp_code, 'A0000');
  t.equal((await call(app, 'GET', `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`, other)).json().rsp_code, 'O0002');
  const inUse = await app.db('testbed_fintech_accounts').where({ user_seq_no: HONG.userSeqNo, state: '01' });
  t.equal(inUse.length, 0);
  // The person can connect again later: a fresh registration.
  const again = await userToken(app, { userSeqNo: HONG.userSeqNo });
  t.equal((await call(app, 'GET', `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`, again)).json().res_cnt, '3');
});

t.test(
  'an unknown or misspelled field never fails a call but is reported in a header and the request log',
  async (t) => {
    const app = await build(t, { demo: true });
    const tok = await userToken(app, { userSeqNo: HEO.userSeqNo });
    const fin = (await fintechNumbers(app, HEO.userSeqNo))['1101230000692']!;
    const res = await call(app, 'POST', '/v2.0/account/update_info', tok, {
      fintech_use_num: fin,
      account_alias: 'a',
      req_client_fintech_use: '1',
    });
    t.equal(res.json().rsp_code, 'A0000');
    t.equal(res.headers['x-testbed-warning'], 'unknown field req_client_fintech_use');
    const log = (await app.services.testbedRequests.page(DEMO_SANDBOX.organizationId)).requests;
    const entry = log.find((e) => e.path === '/v2.0/account/update_info');
    t.ok(entry);
    t.same(entry!.warnings, ['unknown field req_client_fintech_use']);
    t.equal(entry!.rspCode, 'A0000');
    t.equal(entry!.api, 'account_update_info');
    t.ok(
      log.some((e) => e.path === '/oauth/2.0/token'),
      'token calls are logged too',
    );
    await call(app, 'POST', '/v2.0/account/update_info', tok, {
      fintech_use_num: '199999999900000000000000',
      account_alias: 'a',
    });
    const updates = (
      await app.services.testbedRequests.page(DEMO_SANDBOX.organizationId, { api: 'account_update_info' })
    ).requests;
    t.same(
      updates.map((u) => u.success),
      [false, true],
      'both calls are logged under the API key, the refused one as not successful',
    );
  },
);

t.test('management APIs need the login scope (an oob token gets O0011)', async (t) => {
  const app = await build(t, { demo: true });
  const oob = await oobToken(app);
  for (const [method, url] of [
    ['GET', `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`],
    ['POST', '/v2.0/user/close'],
    ['POST', '/v2.0/account/cancel'],
  ] as const) {
    t.same(
      (await call(app, method, url, oob, method === 'POST' ? {} : undefined)).json(),
      { rsp_code: 'O0011', rsp_message: '허용되지 않은 Scope 입니다.' },
      url,
    );
  }
});
