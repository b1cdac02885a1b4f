// Rule: manage/wd_limit, manage/fee and manage/count answer lists as public clients read them
// (res_cnt + res_list of per-bank or per-API rows), with values that follow the organization's traffic;
// bank/status items carry bank_type.
import t from 'tap';
import {
  HONG,
  bankTranId,
  balanceQuery,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
} from '../../helpers/testbed-services';

t.test('management answers as lists', async (t) => {
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  t.equal(
    (await sb.post('/v2.0/transfer/withdraw/fin_num', sb.hong, withdrawBody(fin, { tran_amt: '12345' }))).rsp_code,
    'A0000',
  );
  t.equal((await sb.get('/v2.0/account/balance/fin_num', sb.hong, balanceQuery(fin))).rsp_code, 'A0000');

  await t.test(
    "wd_limit lists each bank with its daily limit, today's withdrawals there and the per-transfer limit",
    async (t) => {
      const body = await sb.get('/v2.0/manage/wd_limit', sb.oob, {
        bank_tran_id: bankTranId(),
        tran_dtime: tranDtime(),
      });
      t.equal(body.rsp_code, 'A0000', body.rsp_message);
      t.equal(body.res_cnt, String(body.res_list.length));
      const bank097 = body.res_list.find((r: Record<string, string>) => r.bank_code_std === '097');
      t.same(bank097, {
        bank_code_std: '097',
        day_wd_limit_amt: '100000000',
        day_wd_amt: '12345',
        perc_wd_limit_amt: '1000000',
      });
      t.equal(body.res_list.find((r: Record<string, string>) => r.bank_code_std === '088').day_wd_amt, '0');
    },
  );

  await t.test("fee lists each API with the organization's fee and the handling bank's share", async (t) => {
    const body = await sb.get('/v2.0/manage/fee', sb.oob, { from_date: kstToday(), to_date: kstToday() });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(body.res_cnt, String(body.res_list.length));
    t.same(
      body.res_list.find((r: Record<string, string>) => r.api_manage_id === 'withdraw'),
      {
        api_manage_id: 'withdraw',
        use_org_fee: '40',
        hdl_agt_fee: '20',
        api_name: '출금이체',
        tran_cnt: '1',
        unit_fee_amt: '40',
      },
    );
  });

  await t.test('count lists each API with its successful calls and the amount transfers moved', async (t) => {
    const body = await sb.get('/v2.0/manage/count', sb.oob, { inquiry_date: kstToday() });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    const row = (api: string) => body.res_list.find((r: Record<string, string>) => r.api_manage_id === api);
    t.same([row('withdraw').normal_count, row('withdraw').normal_tran_amt], ['1', '12345']);
    t.same([row('balance').normal_count, row('balance').normal_tran_amt], ['1', '0']);
  });

  await t.test('bank/status items carry bank_type', async (t) => {
    const body = await sb.get('/v2.0/bank/status', sb.oob, {});
    t.ok(body.res_list.every((r: Record<string, string>) => ['1', '2'].includes(r.bank_type)));
    t.equal(body.res_list.find((r: Record<string, string>) => r.bank_code_std === '045').bank_type, '2');
  });
});
