// Rule: paging cursors behave as public clients expect. A befor_inquiry_trace_info the emulator did not
// issue ("", KFTC's sample default "123", values like "1T201806172") is the first page, never A0004;
// from_time/to_time may be "" with inquiry_base D; remit_list pages 25 rows like the transaction list.
import t from 'tap';
import {
  COLLECTING,
  HONG,
  bankTranId,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
} from '../../helpers/testbed-services';

const TXL = '/v2.0/account/transaction_list/fin_num';
const REMIT = '/v2.0/inquiry/remit_list';

t.test('paging cursors of public clients', async (t) => {
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  const list = (over: Record<string, string> = {}) =>
    sb.get(TXL, sb.hong, {
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

  await t.test('a cursor the emulator did not issue ("", "123", "1T201806172") answers the first page', async (t) => {
    const first = await list();
    t.equal(first.rsp_code, 'A0000', first.rsp_message);
    for (const cursor of ['', '123', '1T201806172']) {
      const page = await list({ befor_inquiry_trace_info: cursor });
      t.equal(page.rsp_code, 'A0000', `"${cursor}": ${page.rsp_message}`);
      t.same(page.res_list, first.res_list, `"${cursor}" is the first page`);
    }
  });

  await t.test('from_time and to_time may be "" with inquiry_base D', async (t) => {
    const page = await list({ from_time: '', to_time: '' });
    t.equal(page.rsp_code, 'A0000', page.rsp_message);
  });

  await t.test('the issued cursor is passed back unchanged and pages on without overlap', async (t) => {
    const first = await list();
    t.equal(first.next_page_yn, 'Y', 'the demo history is longer than one page');
    const second = await list({ befor_inquiry_trace_info: first.befor_inquiry_trace_info });
    t.equal(second.rsp_code, 'A0000');
    const key = (r: Record<string, string>) => `${r.tran_date}${r.tran_time}|${r.tran_amt}|${r.after_balance_amt}`;
    t.notOk(
      second.res_list.some((r: Record<string, string>) => first.res_list.map(key).includes(key(r))),
      'no row twice',
    );
  });

  await t.test('remit_list pages 25 rows at a time with total_record_cnt and the same cursor rules', async (t) => {
    for (let i = 0; i < 26; i++)
      t.equal(
        (await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin, { tran_amt: String(100 + i) })))
          .rsp_code,
        'A0000',
      );
    const ask = (over: Record<string, string> = {}) =>
      sb.post(REMIT, sb.oob, {
        bank_tran_id: bankTranId(),
        bank_code_std: '097',
        account_num: COLLECTING,
        from_date: kstToday(),
        from_time: '',
        to_date: kstToday(),
        to_time: '',
        sort_order: 'D',
        befor_inquiry_trace_info: '123',
        tran_dtime: tranDtime(),
        ...over,
      });
    const first = await ask();
    t.equal(first.rsp_code, 'A0000', first.rsp_message);
    t.equal(first.page_record_cnt, '25');
    t.equal(first.next_page_yn, 'Y');
    t.ok(Number(first.total_record_cnt) >= 26);
    const rest = await ask({ befor_inquiry_trace_info: first.befor_inquiry_trace_info });
    t.equal(rest.rsp_code, 'A0000');
    t.equal(
      Number(first.page_record_cnt) + Number(rest.page_record_cnt),
      Number(first.total_record_cnt),
      'the pages add up to total_record_cnt',
    );
    t.equal(rest.next_page_yn, 'N');
    t.equal(rest.befor_inquiry_trace_info, '');
    const asc = await ask({ sort_order: 'A', befor_inquiry_trace_info: '' });
    const stamps = asc.res_list.map((r: Record<string, string>) => r.tran_date + r.tran_time);
    t.same(stamps, [...stamps].sort(), 'sort_order A is oldest first');
    t.equal(asc.res_list[0].remitter_name.length > 0, true, 'each row names its remitter');
  });
});
