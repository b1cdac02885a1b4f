// Every entry of the scenario catalogue produces its documented answer.
import t from 'tap';
import {
  DEMO_SANDBOX,
  HONG,
  HEO,
  PAYING,
  bankTranId,
  depositAcntBody,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
  balanceQuery,
  type Sandbox,
} from '../../helpers/testbed-services';
import { SCENARIOS, SCENARIO_ACCOUNTS, TIMEOUT_SETTLE_SECONDS } from '../../../src/testbed/scenarios/catalogue';
import { userUsageSubject } from '../../../src/testbed/services/transfer-limits';

const W = '/v2.0/transfer/withdraw/fin_num';
const D = '/v2.0/transfer/deposit/acnt_num';

let now = Date.now();
const clock = () => new Date(now);

t.test('scenario triggers', async (t) => {
  const sb: Sandbox = await sandbox(t, { clock });
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  const covered = new Set<string>();
  const expectScenario = (id: string, body: Record<string, any>, item = false) => {
    const s = SCENARIOS.find((x) => x.id === id)!;
    covered.add(id);
    const leg = item ? body.res_list[0] : body;
    // In a deposit the bank's answer is per item and the call answers A0009 ("check each item").
    t.equal(body.rsp_code, item ? 'A0009' : s.rspCode.split(' ')[0], `${id}: rsp_code`);
    if (s.bankRspCode) t.equal(leg.bank_rsp_code, s.bankRspCode, `${id}: bank_rsp_code`);
  };

  await t.test(
    'amount 4530 and 4540 force insufficient funds (453/454) whatever the balance, moving nothing',
    async (t) => {
      const before = await sb.balanceOf('097', HONG.accounts[0]!.accountNum);
      expectScenario('insufficient-funds', await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '4530' })));
      expectScenario('insufficient-available', await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '4540' })));
      t.equal(await sb.balanceOf('097', HONG.accounts[0]!.accountNum), before);
    },
  );

  await t.test('more than the real balance is refused with 453', async () => {
    expectScenario(
      'balance-too-low',
      await sb.post(W, sb.hong, withdrawBody(await sb.fin(HONG.accounts[1]!.accountNum), { tran_amt: '3001' })),
    );
  });

  await t.test('the closed, accident-reported and suspended scenario accounts answer 415, 419 and 420', async (t) => {
    for (const [id, acc] of [
      ['closed-account', SCENARIO_ACCOUNTS.closed],
      ['accident-account', SCENARIO_ACCOUNTS.accident],
      ['suspended-account', SCENARIO_ACCOUNTS.suspended],
    ] as const) {
      expectScenario(
        id,
        await sb.post(D, sb.oob, depositAcntBody({ account_num: acc.accountNum, account_holder_name: acc.holderName })),
        true,
      );
      const rn = await sb.post('/v2.0/inquiry/real_name', sb.oob, {
        bank_tran_id: bankTranId(),
        bank_code_std: '097',
        account_num: acc.accountNum,
        account_holder_info_type: ' ',
        account_holder_info: '880101',
        tran_dtime: tranDtime(),
      });
      t.equal(rn.rsp_code, 'A0002');
      t.equal(rn.bank_rsp_code, SCENARIOS.find((s) => s.id === id)!.bankRspCode);
    }
  });

  await t.test(
    'print-content markers #415, #419 and #420 refuse a withdrawal as if the account were in that state',
    async () => {
      expectScenario(
        'closed-account-marker',
        await sb.post(W, sb.hong, withdrawBody(fin, { wd_print_content: '테스트 #415' })),
      );
      expectScenario(
        'accident-account-marker',
        await sb.post(W, sb.hong, withdrawBody(fin, { dps_print_content: '#419' })),
      );
      expectScenario(
        'suspended-account-marker',
        await sb.post(W, sb.hong, withdrawBody(fin, { wd_print_content: '#420' })),
      );
    },
  );

  await t.test('bank 064 is under maintenance: bank/status N and its accounts answer A0002/499', async (t) => {
    const status = await sb.get('/v2.0/bank/status', sb.oob, {});
    t.equal(status.res_list.find((b: { bank_code_std: string }) => b.bank_code_std === '064').bank_status, 'N');
    t.equal(status.res_list.find((b: { bank_code_std: string }) => b.bank_code_std === '097').bank_status, 'Y');
    expectScenario(
      'bank-maintenance',
      await sb.post('/v2.0/inquiry/real_name', sb.oob, {
        bank_tran_id: bankTranId(),
        bank_code_std: '064',
        account_num: '12345678',
        account_holder_info_type: ' ',
        account_holder_info: '880101',
        tran_dtime: tranDtime(),
      }),
    );
  });

  await t.test('amount 7001 answers A0001 and transfer/result shows processing until the result settles', async (t) => {
    const req = withdrawBody(fin, { tran_amt: '7001' });
    const before = await sb.balanceOf('097', HONG.accounts[0]!.accountNum);
    expectScenario('timeout-processing', await sb.post(W, sb.hong, req));
    const ask = () =>
      sb.post('/v2.0/transfer/result', sb.oob, {
        check_type: '1',
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          {
            tran_no: '1',
            org_bank_tran_id: req.bank_tran_id,
            org_bank_tran_date: kstToday(clock()),
            org_tran_amt: '7001',
          },
        ],
      });
    const early = await ask();
    t.equal(early.rsp_code, 'A0001');
    t.equal(early.res_list[0].bank_rsp_message, '처리중');
    now += (TIMEOUT_SETTLE_SECONDS + 1) * 1000;
    const late = await ask();
    t.equal(late.rsp_code, 'A0000');
    t.equal(late.res_list[0].bank_rsp_code, '000');
    t.equal(await sb.balanceOf('097', HONG.accounts[0]!.accountNum), before - 7001, 'booked exactly once');
  });

  await t.test('a deposit to the wrong holder name fails with 815', async () => {
    expectScenario('name-mismatch', await sb.post(D, sb.oob, depositAcntBody({ account_holder_name: '임꺽정' })), true);
  });

  await t.test('limits: above 1,000,000 per transfer (A0111) and above 5,000,000 a day (A0112)', async () => {
    expectScenario('per-transfer-limit', await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '1000001' })));
    await sb.app
      .db('transfer_daily_usage')
      .where({ subject: userUsageSubject(DEMO_SANDBOX.organizationId, HONG.userSeqNo) })
      .update({ wd_amt: 4_999_999 });
    expectScenario('daily-limit', await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '2' })));
    await sb.app
      .db('transfer_daily_usage')
      .where({ subject: userUsageSubject(DEMO_SANDBOX.organizationId, HONG.userSeqNo) })
      .update({ wd_amt: 0 });
  });

  await t.test(
    'markers #A0103, #A0104 and #A0319 force the organization limits and an expired withdrawal consent',
    async () => {
      expectScenario('org-daily-limit', await sb.post(W, sb.hong, withdrawBody(fin, { wd_print_content: '#A0103' })));
      expectScenario('org-monthly-limit', await sb.post(W, sb.hong, withdrawBody(fin, { wd_print_content: '#A0104' })));
      expectScenario(
        'transfer-consent-expired',
        await sb.post(W, sb.hong, withdrawBody(fin, { dps_print_content: '#A0319' })),
      );
    },
  );

  await t.test('a consent past its expiry answers A0316 for inquiries and A0319 for withdrawals', async (t) => {
    const heoFin = await sb.fin(HEO.accounts[0]!.accountNum);
    await sb.app
      .db('testbed_fintech_accounts')
      .where({ fintech_use_num: heoFin })
      .update({
        inquiry_expires_at: new Date(now - 1000).toISOString(),
        transfer_expires_at: new Date(now - 1000).toISOString(),
      });
    const inquiry = await sb.get('/v2.0/account/balance/fin_num', sb.heo, balanceQuery(heoFin));
    t.equal(inquiry.rsp_code, 'A0316');
    t.equal((await sb.post(W, sb.heo, withdrawBody(heoFin, { req_client_name: '허균' }))).rsp_code, 'A0319');
    covered.add('consent-expired-clock');
  });

  await t.test('wd_pass_phrase #A0307 answers A0307; any other pass phrase is accepted', async (t) => {
    expectScenario('pass-phrase-refused', await sb.post(D, sb.oob, depositAcntBody({}, { wd_pass_phrase: '#A0307' })));
    t.equal((await sb.post(D, sb.oob, depositAcntBody({}, { wd_pass_phrase: 'anything' }))).rsp_code, 'A0000');
  });

  await t.test(
    'return claims settle returned, partial (#RTN_PARTIAL), refused (#RTN_REFUSED) or refused for lack of funds (453)',
    async (t) => {
      const heoAccount = HEO.accounts[0]!.accountNum;
      const claimOf = async (amount: number, claimMessage: string) => {
        const dep = depositAcntBody({ tran_amt: String(amount) });
        t.equal((await sb.post(D, sb.oob, dep)).rsp_code, 'A0000');
        const orig = (dep.req_list as Record<string, string>[])[0]!;
        const claim = {
          bank_tran_id: bankTranId(),
          org_bank_tran_date: kstToday(clock()),
          org_bank_tran_id: orig.bank_tran_id,
          org_dps_bank_code_std: '097',
          org_dps_account_num: heoAccount,
          org_tran_amt: String(amount),
          org_wd_bank_code_std: '097',
          claim_code: '01',
          claim_message: claimMessage,
          total_return_yn: 'Y',
        };
        const answer = await sb.post('/v2.0/return/claim', sb.oob, claim);
        const result = await sb.post('/v2.0/return/result', sb.oob, {
          claim_bank_tran_date: kstToday(clock()),
          claim_bank_tran_id: claim.bank_tran_id,
        });
        return { answer, result };
      };
      const returned = await claimOf(2000, '착오송금');
      expectScenario('return-returned', returned.answer);
      t.same(
        [returned.result.return_yn, returned.result.total_return_yn, returned.result.return_amt],
        ['Y', 'Y', '2000'],
      );
      const partial = await claimOf(2000, '#RTN_PARTIAL');
      expectScenario('return-partial', partial.answer);
      t.same([partial.result.return_yn, partial.result.total_return_yn, partial.result.return_amt], ['Y', 'N', '1000']);
      const refused = await claimOf(2000, '#RTN_REFUSED');
      expectScenario('return-refused', refused.answer);
      t.same([refused.result.return_yn, refused.result.return_fail_code], ['N', '499']);
      // Lack of funds: the recipient has spent all but 1 KRW when the claim arrives.
      const heo = (await sb.app.services.ledger.findAccountByNumber('097', heoAccount))!;
      const dep = depositAcntBody({ tran_amt: '2000' });
      t.equal((await sb.post(D, sb.oob, dep)).rsp_code, 'A0000');
      const payingAccount = (await sb.app.services.ledger.findAccountByNumber('097', PAYING))!;
      const spend = (await sb.app.services.ledger.findAccount(heo.id))!.balance - 1;
      await sb.app.db.transaction((trx) =>
        sb.app.services.ledger.transfer(
          {
            kind: 'topup',
            fromAccountId: heo.id,
            toAccountId: payingAccount.id,
            amount: spend,
            wdPrintContent: '지출',
            dpsPrintContent: '지출',
          },
          trx,
        ),
      );
      const orig = (dep.req_list as Record<string, string>[])[0]!;
      const claim = {
        bank_tran_id: bankTranId(),
        org_bank_tran_date: kstToday(clock()),
        org_bank_tran_id: orig.bank_tran_id,
        org_dps_bank_code_std: '097',
        org_dps_account_num: heoAccount,
        org_tran_amt: '2000',
        org_wd_bank_code_std: '097',
        claim_code: '01',
        total_return_yn: 'Y',
      };
      const noFunds = await sb.post('/v2.0/return/claim', sb.oob, claim);
      t.equal(noFunds.rsp_code, 'A0000');
      covered.add('return-no-funds');
      const result = await sb.post('/v2.0/return/result', sb.oob, {
        claim_bank_tran_date: kstToday(clock()),
        claim_bank_tran_id: claim.bank_tran_id,
      });
      t.same(
        [result.return_yn, result.return_fail_code],
        ['N', SCENARIOS.find((x) => x.id === 'return-no-funds')!.bankRspCode],
      );
    },
  );

  await t.test(
    'fds_detect reports #FDS, five withdrawals from one account in 10 minutes, and amounts just under the limit',
    async (t) => {
      // 홍길동's account (허균's consent was expired above).
      await sb.app
        .db('transfer_daily_usage')
        .where({ subject: userUsageSubject(DEMO_SANDBOX.organizationId, HONG.userSeqNo) })
        .update({ wd_amt: 0 });
      const w = (over: Record<string, unknown>) =>
        sb.post(W, sb.hong, withdrawBody(fin, { tran_dtime: tranDtime(clock()), ...over }));
      expectScenario('fds-marker', await w({ tran_amt: '100', wd_print_content: '#FDS' }));
      for (let i = 0; i < 4; i++) t.equal((await w({ tran_amt: '100' })).rsp_code, 'A0000');
      expectScenario('fds-just-under-limit', await w({ tran_amt: '960000' }));
      const body = await sb.get('/v2.0/inquiry/fds_detect', sb.oob, { inquiry_date: kstToday(clock()) });
      expectScenario('fds-rapid-withdrawals', body);
      const rules = body.res_list
        .filter((d: Record<string, string>) => d.user_seq_no === HONG.userSeqNo)
        .map((d: Record<string, string>) => d.policy_rule);
      t.ok(rules.includes('FDS99') && rules.includes('FDS01') && rules.includes('FDS02'), JSON.stringify(rules));
    },
  );

  await t.test('every catalogue entry is covered by a test above', async (t) => {
    t.same(
      SCENARIOS.map((s) => s.id).filter((id) => !covered.has(id)),
      [],
    );
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
    t.ok(PAYING);
  });
});
