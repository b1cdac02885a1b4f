// Rule: every emulator answer carries every field the public reference lists for it (§2 tokens, §3
// envelope and bank leg, §4 field details, §8 field-level facts from public client code). The lists are
// read from ../shared/reference/kftc-openbanking-v2.md (fixtures/reference-lists.ts): a missing reference,
// an entry the parser no longer finds, or a missing answer field fails this file.
import t from 'tap';
import { APIS } from '../../../src/testbed/services/api-catalogue';
import {
  DEMO_SANDBOX,
  HEO,
  HONG,
  PAYING,
  COLLECTING,
  bankTranId,
  balanceQuery,
  depositAcntBody,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
  type Body,
} from '../../helpers/testbed-services';
import { userTokenResponse } from '../../helpers/testbed';
import { missingFields, referenceLists, type FieldList } from './fixtures/reference-lists';

t.test('every answer carries every field of the reference lists', async (t) => {
  const ref = referenceLists();
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  const checked = new Set<string>();
  const table: string[] = []; // printed at the end: the closing note's table of fields answered per endpoint

  /** Fails for every listed field the answer lacks, and for a value that is not a string (lists aside). */
  const conforms = (
    name: string,
    body: Body | Record<string, unknown>,
    expected: FieldList,
    opts: { envelope?: boolean } = {},
  ) => {
    checked.add(name);
    t.equal(body.rsp_code ?? 'A0000', 'A0000', `${name}: ${String(body.rsp_message ?? '')}`);
    const want: FieldList = {
      top: [...(opts.envelope === false ? [] : ref.envelope), ...expected.top],
      lists: expected.lists,
    };
    const missing = missingFields(body, want);
    t.same(missing, [], `${name}: every field of the reference list is answered`);
    const listed = want.top.length + Object.values(want.lists).reduce((n, f) => n + f.length, 0);
    const extra = Object.keys(body).filter((k) => !want.top.includes(k) && !(k in want.lists)).length;
    table.push(
      `| ${name} | ${want.top.length} + ${
        Object.entries(want.lists)
          .map(([l, f]) => `${l}[${f.length}]`)
          .join(' + ') || '—'
      } | ${listed - missing.length} of ${listed} | ${extra} |`,
    );
    for (const f of want.top)
      if (f in body && !Array.isArray(body[f]) && f !== 'expires_in')
        t.type(body[f], 'string', `${name}.${f} is a string`);
    for (const [list, fields] of Object.entries(want.lists)) {
      const items = body[list];
      t.ok(Array.isArray(items) && items.length > 0, `${name}.${list} has items to check`);
      for (const item of (Array.isArray(items) ? items : []) as Record<string, unknown>[]) {
        for (const f of fields)
          if (f in item && !Array.isArray(item[f])) t.type(item[f], 'string', `${name}.${list}[].${f} is a string`);
      }
    }
  };

  // §2: token answers (no envelope on success).
  conforms(
    'token (user)',
    await userTokenResponse(sb.app, { userSeqNo: HONG.userSeqNo }),
    { top: ref.token('user'), lists: {} },
    { envelope: false },
  );
  const inst = (
    await sb.app.inject({
      method: 'POST',
      url: '/oauth/2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        client_id: DEMO_SANDBOX.clientId,
        client_secret: DEMO_SANDBOX.clientSecret,
        scope: 'oob',
        grant_type: 'client_credentials',
      }).toString(),
    })
  ).json();
  conforms('token (institution)', inst, { top: ref.token('institution'), lists: {} }, { envelope: false });

  // §4: management and account APIs.
  const me = ref.answer('4', 'user/me', '→');
  conforms('user/me', await sb.get('/v2.0/user/me', sb.hong, { user_seq_no: HONG.userSeqNo }), me);
  conforms(
    'account/list',
    await sb.get('/v2.0/account/list', sb.hong, {
      user_seq_no: HONG.userSeqNo,
      include_cancel_yn: 'Y',
      sort_order: 'D',
    }),
    ref.answer('4', 'account/list', '→', { inherit: me }),
  );
  conforms(
    'account/balance/fin_num',
    await sb.get('/v2.0/account/balance/fin_num', sb.hong, balanceQuery(fin)),
    ref.answer('4', 'balance', '→'),
  );

  // A withdrawal first, so the lists below have rows (the #FDS marker makes an fds_detect detection).
  const wd = withdrawBody(fin, { tran_amt: '1200', dps_print_content: '#FDS 결제' });
  conforms(
    'transfer/withdraw/fin_num',
    await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, wd),
    ref.answer('4', 'withdraw/fin_num', 'Response:'),
  );
  conforms(
    'account/transaction_list/fin_num',
    await sb.get('/v2.0/account/transaction_list/fin_num', sb.hong, {
      bank_tran_id: bankTranId(),
      fintech_use_num: fin,
      inquiry_type: 'A',
      inquiry_base: 'D',
      from_date: kstToday(),
      to_date: kstToday(),
      sort_order: 'D',
      tran_dtime: tranDtime(),
    }),
    ref.answer('4', 'transaction_list', 'Response:'),
  );
  conforms(
    'inquiry/real_name',
    await sb.post('/v2.0/inquiry/real_name', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: HONG.accounts[0]!.accountNum,
      account_holder_info_type: ' ',
      account_holder_info: '880101',
      tran_dtime: tranDtime(),
    }),
    ref.answer('4', 'real_name', 'Response:'),
  );
  conforms(
    'inquiry/receive',
    await sb.post('/v2.0/inquiry/receive', sb.oob, {
      bank_tran_id: bankTranId(),
      cntr_account_type: 'N',
      cntr_account_num: PAYING,
      bank_code_std: '097',
      account_num: HEO.accounts[0]!.accountNum,
      print_content: '환불',
      tran_amt: '1000',
    }),
    ref.answer('4', 'receive', 'Response:'),
  );

  const deposit = ref.answer('4', 'deposit/fin_num', 'Response:');
  const heoFin = await sb.fin(HEO.accounts[0]!.accountNum);
  const depFin = {
    cntr_account_type: 'N',
    cntr_account_num: PAYING,
    wd_pass_phrase: 'NONE',
    wd_print_content: '캐시백',
    name_check_option: 'on',
    tran_dtime: tranDtime(),
    req_cnt: '1',
    req_list: [
      {
        tran_no: '1',
        bank_tran_id: bankTranId(),
        fintech_use_num: heoFin,
        print_content: '캐시백',
        tran_amt: '2000',
        req_client_name: '허균',
        req_client_num: 'HEO1',
        transfer_purpose: 'TR',
      },
    ],
  };
  conforms('transfer/deposit/fin_num', await sb.post('/v2.0/transfer/deposit/fin_num', sb.oob, depFin), deposit);
  const depAcnt = depositAcntBody({ tran_amt: '3000' });
  conforms('transfer/deposit/acnt_num', await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depAcnt), deposit);

  // transfer/result: §4's items and §8's additions; a found item and a not-found one.
  const r4 = ref.answer('4', 'transfer/result', 'Items:', { itemsOf: 'res_list' });
  const r8 = ref.answer('8', 'transfer/result', 'items carry, besides the bank leg and `tran_amt`:', {
    itemsOf: 'res_list',
  });
  const result: FieldList = {
    top: [],
    lists: { res_list: [...new Set([...r4.lists.res_list!, ...r8.lists.res_list!])] },
  };
  const found = await sb.post('/v2.0/transfer/result', sb.oob, {
    check_type: '1',
    tran_dtime: tranDtime(),
    req_cnt: '2',
    req_list: [
      { tran_no: '1', org_bank_tran_id: wd.bank_tran_id, org_bank_tran_date: kstToday(), org_tran_amt: '1200' },
      { tran_no: '2', org_bank_tran_id: bankTranId(), org_bank_tran_date: kstToday(), org_tran_amt: '1' },
    ],
  });
  t.same(missingFields(found, result), [], 'transfer/result: a not-found item carries every field too');
  t.equal(found.res_list[0].bank_rsp_message, '', 'transfer/result: bank_rsp_message is "" on success');
  conforms(
    'transfer/result',
    await sb.post('/v2.0/transfer/result', sb.oob, {
      check_type: '2',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [
        {
          tran_no: '1',
          org_bank_tran_id: depFin.req_list[0]!.bank_tran_id,
          org_bank_tran_date: kstToday(),
          org_tran_amt: '2000',
        },
      ],
    }),
    result,
  );

  // §8: the APIs whose fields came from public client code.
  conforms(
    'inquiry/remit_list',
    await sb.post('/v2.0/inquiry/remit_list', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: COLLECTING,
      from_date: kstToday(),
      from_time: '000000',
      to_date: kstToday(),
      to_time: '235959',
      sort_order: 'D',
      befor_inquiry_trace_info: '',
      tran_dtime: tranDtime(),
    }),
    ref.answer('8', 'inquiry/remit_list', 'Response:'),
  );
  const claimId = bankTranId();
  conforms(
    'return/claim',
    await sb.post('/v2.0/return/claim', sb.oob, {
      bank_tran_id: claimId,
      org_bank_tran_date: kstToday(),
      org_bank_tran_id: depFin.req_list[0]!.bank_tran_id,
      org_dps_fintech_use_num: heoFin,
      org_tran_amt: '2000',
      org_wd_bank_code_std: '097',
      claim_code: '01',
      claim_message: '착오송금',
      total_return_yn: 'Y',
    }),
    ref.answer('8', 'return/claim', 'Response:'),
  );
  conforms(
    'return/result',
    await sb.post('/v2.0/return/result', sb.oob, { claim_bank_tran_date: kstToday(), claim_bank_tran_id: claimId }),
    ref.answer('8', 'return/result', 'response'),
  );
  conforms(
    'inquiry/fds_detect',
    await sb.get('/v2.0/inquiry/fds_detect', sb.oob, {
      inquiry_date: kstToday(),
      from_time: '000000',
      to_time: '235959',
    }),
    ref.answer('8', 'inquiry/fds_detect', 'response'),
  );
  conforms(
    'manage/wd_limit',
    await sb.get('/v2.0/manage/wd_limit', sb.oob, { bank_tran_id: bankTranId(), tran_dtime: tranDtime() }),
    ref.answer('8', 'manage/wd_limit', 'response'),
  );
  conforms(
    'manage/fee',
    await sb.get('/v2.0/manage/fee', sb.oob, { from_date: kstToday(), to_date: kstToday() }),
    ref.answer('8', 'manage/fee', '→'),
  );
  conforms(
    'manage/count',
    await sb.get('/v2.0/manage/count', sb.oob, { inquiry_date: kstToday() }),
    ref.answer('8', 'manage/count', '→'),
  );
  conforms(
    'bank/status',
    await sb.get('/v2.0/bank/status', sb.oob, {}),
    ref.answer('8', 'bank/status', 'items', { itemsOf: 'res_list' }),
  );

  // user_remain_amt: only the §4 endpoint table names its answer (path seen once, marked inferred there).
  conforms(
    'transfer/user_remain_amt',
    await sb.get('/v2.0/transfer/user_remain_amt', sb.hong, { user_seq_no: HONG.userSeqNo }),
    ref.tableRow('/v2.0/transfer/user_remain_amt'),
  );

  // A new service API must be added above.
  const unchecked = APIS.filter((a) => !checked.has(a.path.replace(/^\/v2\.0\//, ''))).map((a) => a.path);
  t.same(unchecked, [], 'every service API with a public field list is checked here');
  t.comment(
    [
      'fields answered against the reference lists (envelope and bank leg included):',
      '| endpoint | reference fields (top + lists) | answered | other top-level fields |',
      '|---|---|---|---|',
      ...table,
    ].join('\n'),
  );
  t.ok((await sb.app.services.ledger.verifyBalances()).ok, 'the ledger still balances');
});
