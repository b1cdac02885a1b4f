// Balance, transaction list (paging), real name, receiver check and remitter list on the ledger.
import t from 'tap';
import {
  COLLECTING,
  DEMO_SANDBOX,
  HEO,
  HONG,
  PAYING,
  bankTranId,
  balanceQuery,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
} from '../../helpers/testbed-services';
import { oobToken } from '../../helpers/testbed';

const BAL = '/v2.0/account/balance/fin_num';
const TXL = '/v2.0/account/transaction_list/fin_num';

t.test('inquiries on one demo sandbox', async (t) => {
  const sb = await sandbox(t);
  const hongMain = HONG.accounts[0]!.accountNum;
  const fin = await sb.fin(hongMain);
  const listQuery = (over: Record<string, string> = {}) => ({
    bank_tran_id: bankTranId(),
    fintech_use_num: fin,
    inquiry_type: 'A',
    inquiry_base: 'D',
    from_date: '20200101',
    to_date: '20991231',
    sort_order: 'D',
    tran_dtime: tranDtime(),
    ...over,
  });

  await t.test('a balance inquiry answers the ledger balance with every value a string', async (t) => {
    const body = await sb.get(BAL, sb.hong, balanceQuery(fin));
    t.equal(body.rsp_code, 'A0000');
    t.equal(body.rsp_message, '');
    t.equal(body.balance_amt, String(await sb.balanceOf('097', hongMain)));
    t.equal(body.available_amt, body.balance_amt);
    t.equal(body.bank_code_tran, '097');
    t.equal(body.bank_name, '오픈은행');
    t.equal(body.fintech_use_num, fin);
    t.match(body.api_tran_dtm, /^\d{17}$/);
    t.match(body.last_tran_date, /^\d{8}$/);
    for (const [k, v] of Object.entries(body)) if (k !== '_res') t.type(v, 'string', `${k} is a string`);
  });

  await t.test('a balance inquiry needs the inquiry scope: an oob token gets O0011', async (t) => {
    t.equal((await sb.get(BAL, sb.oob, balanceQuery(fin))).rsp_code, 'O0011');
  });

  await t.test(
    'a bank_tran_id is unique per organization per day, also for inquiries (A0326), and carries the own 이용기관코드 (A0004)',
    async (t) => {
      const q = balanceQuery(fin);
      t.equal((await sb.get(BAL, sb.hong, q)).rsp_code, 'A0000');
      t.equal((await sb.get(BAL, sb.hong, q)).rsp_code, 'A0326');
      const wrong = await sb.get(BAL, sb.hong, balanceQuery(fin, { bank_tran_id: 'M202699999U123456789' }));
      t.equal(wrong.rsp_code, 'A0004');
      t.match(wrong.rsp_message, /bank_tran_id/);
    },
  );

  await t.test(
    "a fintech number unknown to the emulator answers A0304, and so does another organization's (it lives in that organization's sandbox world)",
    async (t) => {
      t.equal((await sb.get(BAL, sb.hong, balanceQuery('199999999900000000000001'))).rsp_code, 'A0304');
      // Hand the registration to the other demo organization (샘플페이) for a moment.
      const mine = (await sb.app.db('testbed_fintech_accounts').where({ fintech_use_num: fin }).first())!
        .organization_id;
      const other = await sb.app.db('organizations').whereNot({ id: mine }).first('id');
      await sb.app
        .db('testbed_fintech_accounts')
        .where({ fintech_use_num: fin })
        .update({ organization_id: other!.id });
      t.equal((await sb.get(BAL, sb.hong, balanceQuery(fin))).rsp_code, 'A0304');
      await sb.app.db('testbed_fintech_accounts').where({ fintech_use_num: fin }).update({ organization_id: mine });
    },
  );

  await t.test('an inquiry without the third-party consent answers A0305 and writes nothing', async (t) => {
    const heoFin = await sb.fin(HEO.accounts[0]!.accountNum);
    await sb.app.db('testbed_fintech_accounts').where({ fintech_use_num: heoFin }).update({ inquiry_agree_yn: 'N' });
    const q = balanceQuery(heoFin);
    t.equal((await sb.get(BAL, sb.heo, q)).rsp_code, 'A0305');
    await sb.app.db('testbed_fintech_accounts').where({ fintech_use_num: heoFin }).update({ inquiry_agree_yn: 'Y' });
    t.equal((await sb.get(BAL, sb.heo, q)).rsp_code, 'A0000', 'the refused call did not use up its bank_tran_id');
  });

  await t.test(
    'the transaction list pages 25 rows at a time with next_page_yn and befor_inquiry_trace_info, newest first',
    async (t) => {
      const seen: string[] = [];
      let cursor = '';
      let pages = 0;
      let previous = '99999999999999';
      for (;;) {
        const body = await sb.get(TXL, sb.hong, listQuery(cursor ? { befor_inquiry_trace_info: cursor } : {}));
        t.equal(body.rsp_code, 'A0000', body.rsp_message);
        pages++;
        t.ok(body.res_list.length <= 25);
        t.equal(body.page_record_cnt, String(body.res_list.length));
        for (const r of body.res_list) {
          const stamp = r.tran_date + r.tran_time;
          t.ok(stamp <= previous, 'sorted newest first');
          previous = stamp;
          seen.push(`${stamp}|${r.tran_amt}|${r.after_balance_amt}`);
          t.ok(['입금', '출금'].includes(r.inout_type));
        }
        if (body.next_page_yn === 'N') {
          t.equal(body.befor_inquiry_trace_info, '');
          break;
        }
        t.equal(body.res_list.length, 25);
        cursor = body.befor_inquiry_trace_info;
        if (pages > 50) break;
      }
      const total = Number(
        (await sb.app
          .db('postings as p')
          .join('bank_accounts as a', 'a.id', 'p.account_id')
          .where({ 'a.account_num': hongMain, 'a.world': DEMO_SANDBOX.organizationId })
          .count({ n: '*' })
          .first())!.n,
      );
      t.ok(total > 25, 'the seeded history spans more than one page');
      t.equal(seen.length, total, 'every posting exactly once across pages');
      t.equal(new Set(seen).size, seen.length);
    },
  );

  await t.test('the transaction list filters by inquiry_type and time, and sorts ascending on request', async (t) => {
    await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin, { tran_amt: '777' }));
    const out = await sb.get(
      TXL,
      sb.hong,
      listQuery({ inquiry_type: 'O', from_date: kstToday(), to_date: kstToday() }),
    );
    t.ok(out.res_list.length >= 1);
    t.ok(out.res_list.every((r: { inout_type: string }) => r.inout_type === '출금'));
    t.equal(out.res_list[0].tran_amt, '777');
    const incoming = await sb.get(TXL, sb.hong, listQuery({ inquiry_type: 'I', sort_order: 'A' }));
    t.ok(incoming.res_list.every((r: { inout_type: string }) => r.inout_type === '입금'));
    const stamps = incoming.res_list.map((r: { tran_date: string; tran_time: string }) => r.tran_date + r.tran_time);
    t.same(stamps, [...stamps].sort());
    const timeBase = await sb.get(TXL, sb.hong, listQuery({ inquiry_base: 'T' }));
    t.equal(timeBase.rsp_code, 'A0004');
    t.match(timeBase.rsp_message, /from_time/);
    const foreignCursor = await sb.get(TXL, sb.hong, listQuery({ befor_inquiry_trace_info: 'nonsense' }));
    t.equal(foreignCursor.rsp_code, 'A0000', 'a cursor the emulator did not issue is the first page');
    t.same(foreignCursor.res_list, (await sb.get(TXL, sb.hong, listQuery())).res_list);
    const reversed = await sb.get(TXL, sb.hong, listQuery({ from_date: '20261231', to_date: '20260101' }));
    t.equal(reversed.rsp_code, 'A0004');
  });

  await t.test('a real-name inquiry returns the holder name when the birth date matches', async (t) => {
    const ok = await sb.post('/v2.0/inquiry/real_name', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: hongMain,
      account_holder_info_type: ' ',
      account_holder_info: '880101',
      tran_dtime: tranDtime(),
    });
    t.equal(ok.rsp_code, 'A0000', ok.rsp_message);
    t.equal(ok.account_holder_name, '홍길동');
    t.equal(ok.bank_code_sub, '0970001');
    const wrong = await sb.post('/v2.0/inquiry/real_name', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: hongMain,
      account_holder_info_type: ' ',
      account_holder_info: '990101',
      tran_dtime: tranDtime(),
    });
    t.equal(wrong.rsp_code, 'A0002');
    const missing = await sb.post('/v2.0/inquiry/real_name', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: '1234',
      account_holder_info_type: ' ',
      account_holder_info: '880101',
      tran_dtime: tranDtime(),
    });
    t.equal(missing.bank_rsp_code, '412');
    t.equal((await sb.post('/v2.0/inquiry/real_name', sb.hong, {})).rsp_code, 'O0011', 'oob scope only');
  });

  await t.test('a receiver check shows the recipient and needs the registered paying account (A0322)', async (t) => {
    const body = {
      bank_tran_id: bankTranId(),
      cntr_account_type: 'N',
      cntr_account_num: PAYING,
      bank_code_std: '097',
      account_num: HEO.accounts[0]!.accountNum,
      print_content: '환불',
      tran_amt: '1000',
      req_client_name: '홍길동',
      req_client_num: 'HONG1',
      transfer_purpose: 'TR',
    };
    const ok = await sb.post('/v2.0/inquiry/receive', sb.oob, body);
    t.equal(ok.rsp_code, 'A0000', ok.rsp_message);
    t.equal(ok.account_holder_name, '허균');
    t.equal(ok.account_num_masked, '1101230000***');
    t.equal(
      (
        await sb.post('/v2.0/inquiry/receive', sb.oob, {
          ...body,
          bank_tran_id: bankTranId(),
          cntr_account_num: '1234567',
        })
      ).rsp_code,
      'A0322',
    );
  });

  await t.test('the remitter list shows who paid into the collection account', async (t) => {
    const body = await sb.post('/v2.0/inquiry/remit_list', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: COLLECTING,
      from_date: kstToday(),
      to_date: kstToday(),
      tran_dtime: tranDtime(),
    });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.ok(
      body.res_list.some(
        (r: { remitter_name: string; tran_amt: string }) => r.remitter_name === '홍길동' && r.tran_amt === '777',
      ),
    );
    t.equal(body.account_num, COLLECTING);
    t.equal(body.total_record_cnt, String(body.res_list.length));
    const wrong = await sb.post('/v2.0/inquiry/remit_list', sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: PAYING,
      from_date: kstToday(),
      to_date: kstToday(),
      tran_dtime: tranDtime(),
    });
    t.equal(wrong.rsp_code, 'A0322', 'only the registered collection account');
  });

  await t.test('manage/count and manage/fee count successful calls of the organization', async (t) => {
    const count = await sb.get('/v2.0/manage/count', sb.oob, { inquiry_date: kstToday() });
    t.equal(count.rsp_code, 'A0000');
    const balance = count.res_list.find((r: { api_manage_id: string }) => r.api_manage_id === 'balance');
    t.ok(Number(balance?.normal_count) >= 3);
    t.equal(balance?.normal_tran_amt, '0', 'inquiries move no money');
    const withdrawals = count.res_list.find((r: { api_manage_id: string }) => r.api_manage_id === 'withdraw');
    t.ok(Number(withdrawals?.normal_tran_amt) >= 777, "the withdrawals' amount");
    const fee = await sb.get('/v2.0/manage/fee', sb.oob, { from_date: kstToday(), to_date: kstToday() });
    t.equal(fee.rsp_code, 'A0000');
    t.ok(Number(fee.total_fee_amt) > 0);
    t.equal(
      (await sb.get('/v2.0/manage/fee', sb.oob, { from_date: '20260101', to_date: '20261231' })).rsp_code,
      'A0004',
      'at most 31 days',
    );
    const other = await oobToken(sb.app).catch(() => null);
    t.ok(other);
  });
});
