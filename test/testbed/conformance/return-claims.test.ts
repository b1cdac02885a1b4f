// Rule: a return claim may name the recipient by org_dps_fintech_use_num alone (the bank is derived) or by
// bank + account number; return/result reports each claim's outcome — returned in full, partly
// (#RTN_PARTIAL), refused by the recipient (#RTN_REFUSED) or for lack of funds — and money only moves for
// what was returned.
import t from 'tap';
import { HEO, PAYING, bankTranId, kstToday, sandbox, tranDtime, type Sandbox } from '../../helpers/testbed-services';

async function depositTo(sb: Sandbox, fin: string, amount: number): Promise<string> {
  const id = bankTranId();
  const body = await sb.post('/v2.0/transfer/deposit/fin_num', sb.oob, {
    cntr_account_type: 'N',
    cntr_account_num: PAYING,
    wd_pass_phrase: 'NONE',
    wd_print_content: '환급',
    tran_dtime: tranDtime(),
    req_cnt: '1',
    req_list: [
      {
        tran_no: '1',
        bank_tran_id: id,
        fintech_use_num: fin,
        print_content: '환급',
        tran_amt: String(amount),
        req_client_name: '허균',
        req_client_num: 'HEO1',
        transfer_purpose: 'TR',
      },
    ],
  });
  if (body.rsp_code !== 'A0000') throw new Error(`deposit failed: ${body.rsp_message}`);
  return id;
}

t.test('return claims and their results', async (t) => {
  const sb = await sandbox(t);
  const heoAccount = HEO.accounts[0]!.accountNum;
  const heoFin = await sb.fin(heoAccount);
  const claim = (orgId: string, amount: number, over: Record<string, unknown> = {}) => ({
    bank_tran_id: bankTranId(),
    org_bank_tran_date: kstToday(),
    org_bank_tran_id: orgId,
    org_dps_fintech_use_num: heoFin,
    org_tran_amt: String(amount),
    org_wd_bank_code_std: '097',
    claim_code: '01',
    claim_message: '착오송금',
    total_return_yn: 'Y',
    ...over,
  });
  const result = (c: { bank_tran_id: string }) =>
    sb.post('/v2.0/return/result', sb.oob, { claim_bank_tran_date: kstToday(), claim_bank_tran_id: c.bank_tran_id });

  await t.test('a claim naming the recipient by fintech number only is accepted, the bank derived', async (t) => {
    const orgId = await depositTo(sb, heoFin, 4000);
    const before = await sb.balanceOf('097', heoAccount);
    const c = claim(orgId, 4000);
    const body = await sb.post('/v2.0/return/claim', sb.oob, c);
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(body.org_dps_bank_code_std, '097', 'the bank of the registered account');
    t.equal(body.dps_bank_code_std, '097');
    t.equal(body.org_dps_fintech_use_num, heoFin);
    t.equal(body.wd_bank_code_sub, '0970001');
    t.equal(body.return_account_num, PAYING, 'the paying account when none is given');
    t.equal(await sb.balanceOf('097', heoAccount), before - 4000);
    const r = await result(c);
    t.equal(r.rsp_code, 'A0000', r.rsp_message);
    t.same(
      [r.claim_normal_yn, r.return_yn, r.total_return_yn, r.return_amt, r.return_date, r.return_fail_code],
      ['Y', 'Y', 'Y', '4000', kstToday(), ''],
    );
    t.equal(
      (await sb.post('/v2.0/return/claim', sb.oob, claim(orgId, 4000))).rsp_code,
      'A0008',
      'a returned deposit is not claimed twice',
    );
  });

  await t.test('a claim by bank + account number works as before; a wrong fintech number is A0310', async (t) => {
    const orgId = await depositTo(sb, heoFin, 1000);
    t.equal(
      (
        await sb.post(
          '/v2.0/return/claim',
          sb.oob,
          claim(orgId, 1000, { org_dps_fintech_use_num: '199999999900000000000001' }),
        )
      ).rsp_code,
      'A0310',
    );
    const body = await sb.post(
      '/v2.0/return/claim',
      sb.oob,
      claim(orgId, 1000, {
        org_dps_fintech_use_num: undefined,
        org_dps_bank_code_std: '097',
        org_dps_account_num: heoAccount,
      }),
    );
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(body.org_dps_account_num, heoAccount);
  });

  await t.test('neither the fintech number nor bank + account answers A0004 naming what to send', async (t) => {
    const body = await sb.post(
      '/v2.0/return/claim',
      sb.oob,
      claim(bankTranId(), 1000, { org_dps_fintech_use_num: undefined }),
    );
    t.equal(body.rsp_code, 'A0004');
    t.match(body.rsp_message, /org_dps_fintech_use_num/);
  });

  await t.test('#RTN_PARTIAL returns half: return_yn Y, total_return_yn N', async (t) => {
    const orgId = await depositTo(sb, heoFin, 3000);
    const before = await sb.balanceOf('097', heoAccount);
    const c = claim(orgId, 3000, { claim_message: '착오송금 #RTN_PARTIAL' });
    t.equal((await sb.post('/v2.0/return/claim', sb.oob, c)).rsp_code, 'A0000');
    const r = await result(c);
    t.same([r.return_yn, r.total_return_yn, r.return_amt], ['Y', 'N', '1500']);
    t.equal(await sb.balanceOf('097', heoAccount), before - 1500);
  });

  await t.test('#RTN_REFUSED is refused by the recipient: nothing moves, a new claim may follow', async (t) => {
    const orgId = await depositTo(sb, heoFin, 2000);
    const before = await sb.balanceOf('097', heoAccount);
    const c = claim(orgId, 2000, { claim_message: '#RTN_REFUSED' });
    t.equal((await sb.post('/v2.0/return/claim', sb.oob, c)).rsp_code, 'A0000', 'the claim itself is accepted');
    const r = await result(c);
    t.same(
      [r.claim_normal_yn, r.return_yn, r.total_return_yn, r.return_amt, r.return_date, r.return_fail_code],
      ['Y', 'N', 'N', '0', '', '499'],
    );
    t.ok(r.return_fail_message.length > 0);
    t.equal(await sb.balanceOf('097', heoAccount), before);
    t.equal(
      (await sb.post('/v2.0/return/claim', sb.oob, claim(orgId, 2000))).rsp_code,
      'A0000',
      'a refused claim can be made again',
    );
  });

  await t.test('a recipient without the funds refuses with return_fail_code 453', async (t) => {
    const orgId = await depositTo(sb, heoFin, 5000);
    const balance = await sb.balanceOf('097', heoAccount);
    // The recipient spends the money: all but 10 KRW leave the account (a ledger transfer between customers: nothing minted).
    const heo = (await sb.app.services.ledger.findAccountByNumber('097', heoAccount))!;
    const paying = (await sb.app.services.ledger.findAccountByNumber('097', PAYING))!;
    await sb.app.db.transaction((trx) =>
      sb.app.services.ledger.transfer(
        {
          kind: 'topup',
          fromAccountId: heo.id,
          toAccountId: paying.id,
          amount: balance - 10,
          wdPrintContent: '지출',
          dpsPrintContent: '지출',
        },
        trx,
      ),
    );
    const c = claim(orgId, 5000);
    t.equal((await sb.post('/v2.0/return/claim', sb.oob, c)).rsp_code, 'A0000');
    const r = await result(c);
    t.same([r.return_yn, r.return_fail_code, r.return_amt], ['N', '453', '0']);
    t.equal(await sb.balanceOf('097', heoAccount), 10);
  });

  await t.test('an unknown claim answers A0310, and the ledger still balances', async (t) => {
    t.equal((await result({ bank_tran_id: bankTranId() })).rsp_code, 'A0310');
    t.ok((await sb.app.services.ledger.verifyBalances()).ok);
  });
});
