// Withdrawals and deposits on the real ledger: money moves exactly once, refusals change nothing,
// limits and consents hold, and transfer/result reports the original outcome.
import t from 'tap';
import {
  COLLECTING,
  HEO,
  HONG,
  PAYING,
  bankTranId,
  depositAcntBody,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
} from '../../helpers/testbed-services';

const HONG_MAIN = HONG.accounts[0]!.accountNum; // 097 1101230000678, 3,000,000
const HONG_SMALL = HONG.accounts[1]!.accountNum; // 097 1101230000685, 3,000
const W = '/v2.0/transfer/withdraw/fin_num';

t.test('transfers on one demo sandbox', async (t) => {
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG_MAIN);

  await t.test(
    'a withdrawal moves money from the user to the collection account and reports the remaining daily limit',
    async (t) => {
      const before = await sb.balanceOf('097', HONG_MAIN);
      const collectingBefore = await sb.balanceOf('097', COLLECTING);
      const body = await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '12345' }));
      t.equal(body.rsp_code, 'A0000', body.rsp_message);
      t.equal(body.bank_rsp_code, '000');
      t.equal(body.tran_amt, '12345');
      t.equal(body.dps_account_num_masked, `${COLLECTING.slice(0, -3)}***`);
      t.equal(body.account_num_masked, '1101230000***');
      t.equal(body.wd_limit_remain_amt, String(5_000_000 - 12_345));
      t.equal(body.bank_tran_date, kstToday());
      for (const [k, v] of Object.entries(body)) if (k !== '_res') t.type(v, 'string', `${k} is a string`);
      t.equal(await sb.balanceOf('097', HONG_MAIN), before - 12_345);
      t.equal(await sb.balanceOf('097', COLLECTING), collectingBefore + 12_345);
    },
  );

  await t.test('a retried withdrawal with the same bank_tran_id gets A0326 and never moves money twice', async (t) => {
    const req = withdrawBody(fin, { tran_amt: '1000' });
    const first = await sb.post(W, sb.hong, req);
    t.equal(first.rsp_code, 'A0000');
    const after = await sb.balanceOf('097', HONG_MAIN);
    const retry = await sb.post(W, sb.hong, req);
    t.equal(retry.rsp_code, 'A0326');
    t.equal(await sb.balanceOf('097', HONG_MAIN), after);
    const result = await sb.post('/v2.0/transfer/result', sb.oob, {
      check_type: '1',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [
        { tran_no: '1', org_bank_tran_id: req.bank_tran_id, org_bank_tran_date: kstToday(), org_tran_amt: '1000' },
      ],
    });
    t.equal(result.rsp_code, 'A0000');
    t.equal(result.res_list[0].bank_rsp_code, '000', 'transfer/result reports the original success');
    t.equal(result.res_list[0].wd_account_holder_name, '홍길동');
    t.equal(result.res_list[0].dps_account_num_masked, `${COLLECTING.slice(0, -3)}***`);
  });

  await t.test(
    'a withdrawal above the balance is refused with A0002/453, changes no balance, and transfer/result reports the refusal',
    async (t) => {
      const small = await sb.fin(HONG_SMALL);
      const before = await sb.balanceOf('097', HONG_SMALL);
      const postings = Number((await sb.app.db('postings').count({ n: '*' }).first())!.n);
      const req = withdrawBody(small, { tran_amt: '3001' });
      const body = await sb.post(W, sb.hong, req);
      t.equal(body.rsp_code, 'A0002');
      t.equal(body.bank_rsp_code, '453');
      t.equal(await sb.balanceOf('097', HONG_SMALL), before);
      t.equal(Number((await sb.app.db('postings').count({ n: '*' }).first())!.n), postings, 'no posting written');
      const result = await sb.post('/v2.0/transfer/result', sb.oob, {
        check_type: '1',
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          { tran_no: '1', org_bank_tran_id: req.bank_tran_id, org_bank_tran_date: kstToday(), org_tran_amt: '3001' },
        ],
      });
      t.equal(result.rsp_code, 'A0009');
      t.equal(result.res_list[0].bank_rsp_code, '453');
    },
  );

  await t.test(
    'a withdrawal above the per-transfer limit gets A0111/455 and one past the daily limit A0112/456',
    async (t) => {
      const big = await sb.post(W, sb.hong, withdrawBody(fin, { tran_amt: '1000001' }));
      t.equal(big.rsp_code, 'A0111');
      t.equal(big.bank_rsp_code, '455');
      // 김민준 has 12,500,000: five withdrawals of 1,000,000 reach the 5,000,000 daily limit with what is left.
      const kimToken = await (await import('../../helpers/testbed')).userToken(sb.app, { userSeqNo: '1100000003' });
      const kimFin = await sb.fin('1101230000708');
      for (let i = 0; i < 5; i++)
        t.equal(
          (await sb.post(W, kimToken, withdrawBody(kimFin, { tran_amt: '1000000', req_client_name: '김민준' })))
            .rsp_code,
          'A0000',
        );
      const over = await sb.post(W, kimToken, withdrawBody(kimFin, { tran_amt: '1', req_client_name: '김민준' }));
      t.equal(over.rsp_code, 'A0112');
      t.equal(over.bank_rsp_code, '456');
      const remain = await sb.get('/v2.0/transfer/user_remain_amt', kimToken, { user_seq_no: '1100000003' });
      t.same([remain.day_wd_limit_amt, remain.day_wd_amt, remain.wd_limit_remain_amt], ['5000000', '5000000', '0']);
    },
  );

  await t.test('a withdrawal needs a registered collection account (A0322)', async (t) => {
    const body = await sb.post(W, sb.hong, withdrawBody(fin, { cntr_account_num: PAYING }));
    t.equal(body.rsp_code, 'A0322');
  });

  await t.test("a withdrawal needs the transfer scope (O0011) and the user's own fintech number (A0313)", async (t) => {
    t.equal((await sb.post(W, sb.oob, withdrawBody(fin))).rsp_code, 'O0011');
    t.equal((await sb.post(W, sb.heo, withdrawBody(fin))).rsp_code, 'A0313');
  });

  await t.test(
    'a withdrawal without withdrawal consent gets A0306, with expired consent A0319, and nothing moves',
    async (t) => {
      const heoFin = await sb.fin(HEO.accounts[0]!.accountNum);
      const before = await sb.balanceOf('097', HEO.accounts[0]!.accountNum);
      await sb.app.db('testbed_fintech_accounts').where({ fintech_use_num: heoFin }).update({ transfer_agree_yn: 'N' });
      t.equal((await sb.post(W, sb.heo, withdrawBody(heoFin, { req_client_name: '허균' }))).rsp_code, 'A0306');
      await sb.app
        .db('testbed_fintech_accounts')
        .where({ fintech_use_num: heoFin })
        .update({ transfer_agree_yn: 'Y', transfer_expires_at: '2020-01-01T00:00:00.000Z' });
      t.equal((await sb.post(W, sb.heo, withdrawBody(heoFin, { req_client_name: '허균' }))).rsp_code, 'A0319');
      t.equal(await sb.balanceOf('097', HEO.accounts[0]!.accountNum), before);
    },
  );

  await t.test('racing withdrawals on one account never overdraw it nor lose a posting', async (t) => {
    const small = await sb.fin(HONG_SMALL);
    const start = await sb.balanceOf('097', HONG_SMALL); // 3,000 (the refused attempt above moved nothing)
    const results = await Promise.all(
      Array.from({ length: 30 }, () => sb.post(W, sb.hong, withdrawBody(small, { tran_amt: '200' }))),
    );
    const ok = results.filter((r) => r.rsp_code === 'A0000').length;
    t.equal(ok, Math.floor(start / 200));
    t.ok(
      results.filter((r) => r.rsp_code !== 'A0000').every((r) => r.rsp_code === 'A0002' && r.bank_rsp_code === '453'),
    );
    t.equal(await sb.balanceOf('097', HONG_SMALL), start - ok * 200);
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
  });

  await t.test('a deposit by account number pays the recipient from the paying account', async (t) => {
    const heoNum = HEO.accounts[0]!.accountNum;
    const before = await sb.balanceOf('097', heoNum);
    const payingBefore = await sb.balanceOf('097', PAYING);
    const body = await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depositAcntBody({ tran_amt: '7000' }));
    t.equal(body.rsp_code, 'A0000');
    t.equal(body.res_cnt, '1');
    t.equal(body.res_list[0].bank_rsp_code, '000');
    t.equal(body.res_list[0].account_holder_name, '허균');
    t.equal(body.wd_account_num_masked, `${PAYING.slice(0, -3)}***`);
    t.equal(await sb.balanceOf('097', heoNum), before + 7000);
    t.equal(await sb.balanceOf('097', PAYING), payingBefore - 7000);
  });

  await t.test(
    'a deposit to a wrong holder name fails its item with 815 and A0009; name_check_option=off skips the check',
    async (t) => {
      const heoNum = HEO.accounts[0]!.accountNum;
      const before = await sb.balanceOf('097', heoNum);
      const body = await sb.post(
        '/v2.0/transfer/deposit/acnt_num',
        sb.oob,
        depositAcntBody({ account_holder_name: '홍길동' }),
      );
      t.equal(body.rsp_code, 'A0009');
      t.equal(body.res_list[0].bank_rsp_code, '815');
      t.equal(await sb.balanceOf('097', heoNum), before);
      const off = await sb.post(
        '/v2.0/transfer/deposit/acnt_num',
        sb.oob,
        depositAcntBody({ account_holder_name: '홍길동' }, { name_check_option: 'off' }),
      );
      t.equal(off.rsp_code, 'A0000');
    },
  );

  await t.test('a deposit to an unknown account fails its item with 412', async (t) => {
    const body = await sb.post(
      '/v2.0/transfer/deposit/acnt_num',
      sb.oob,
      depositAcntBody({ account_num: '9999999999' }),
    );
    t.equal(body.rsp_code, 'A0009');
    t.equal(body.res_list[0].bank_rsp_code, '412');
  });

  await t.test('a deposit by fintech number reaches the registered account', async (t) => {
    const body = await sb.post('/v2.0/transfer/deposit/fin_num', sb.oob, {
      cntr_account_type: 'N',
      cntr_account_num: PAYING,
      wd_pass_phrase: 'NONE',
      wd_print_content: '캐시백',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [
        {
          tran_no: '1',
          bank_tran_id: bankTranId(),
          fintech_use_num: fin,
          print_content: '캐시백',
          tran_amt: '500',
          req_client_name: '홍길동',
          req_client_num: 'HONG1',
          transfer_purpose: 'TR',
        },
      ],
    });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(body.res_list[0].fintech_use_num, fin);
  });

  await t.test(
    'a deposit accepts any wd_pass_phrase but #A0307 (A0307) and needs a registered paying account (A0322)',
    async (t) => {
      t.equal(
        (await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depositAcntBody({}, { wd_pass_phrase: 'secret' })))
          .rsp_code,
        'A0000',
      );
      t.equal(
        (await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, depositAcntBody({}, { wd_pass_phrase: '#A0307' })))
          .rsp_code,
        'A0307',
      );
      t.equal(
        (
          await sb.post(
            '/v2.0/transfer/deposit/acnt_num',
            sb.oob,
            depositAcntBody({}, { cntr_account_num: COLLECTING }),
          )
        ).rsp_code,
        'A0322',
      );
    },
  );

  await t.test('transfer/result reports up to 25 originals and refuses more', async (t) => {
    const item = (i: number) => ({
      tran_no: String(i),
      org_bank_tran_id: bankTranId(),
      org_bank_tran_date: kstToday(),
      org_tran_amt: '1',
    });
    const many = await sb.post('/v2.0/transfer/result', sb.oob, {
      check_type: '1',
      tran_dtime: tranDtime(),
      req_cnt: '26',
      req_list: Array.from({ length: 26 }, (_, i) => item(i + 1)),
    });
    t.equal(many.rsp_code, 'A0004');
    t.match(many.rsp_message, /req_list/);
    const none = await sb.post('/v2.0/transfer/result', sb.oob, {
      check_type: '1',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [item(1)],
    });
    t.equal(none.rsp_code, 'A0310');
  });

  await t.test('a return claim sends a deposit back once (A0008 on a second claim)', async (t) => {
    const dep = depositAcntBody({ tran_amt: '3000' });
    const depBody = await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, dep);
    t.equal(depBody.rsp_code, 'A0000');
    const orig = (dep.req_list as Record<string, string>[])[0]!;
    const heoNum = HEO.accounts[0]!.accountNum;
    const before = await sb.balanceOf('097', heoNum);
    const claim = () => ({
      bank_tran_id: bankTranId(),
      org_bank_tran_date: kstToday(),
      org_bank_tran_id: orig.bank_tran_id,
      org_dps_bank_code_std: '097',
      org_dps_account_num: heoNum,
      org_tran_amt: '3000',
      org_wd_bank_code_std: '097',
      claim_code: '01',
      claim_message: '착오송금',
      total_return_yn: 'Y',
    });
    const body = await sb.post('/v2.0/return/claim', sb.oob, claim());
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(await sb.balanceOf('097', heoNum), before - 3000);
    t.equal((await sb.post('/v2.0/return/claim', sb.oob, claim())).rsp_code, 'A0008');
  });

  await t.test("manage/wd_limit reports the organization's withdrawals today against its limits", async (t) => {
    const body = await sb.get('/v2.0/manage/wd_limit', sb.oob, {});
    t.equal(body.rsp_code, 'A0000');
    t.equal(body.day_wd_limit_amt, '100000000');
    t.ok(Number(body.day_wd_amt) >= 5_000_000, "includes 김민준's five withdrawals");
    t.equal(Number(body.day_wd_remain_amt), 100_000_000 - Number(body.day_wd_amt));
    t.equal((await sb.get('/v2.0/manage/wd_limit', sb.hong, {})).rsp_code, 'O0011', 'oob scope only');
  });

  await t.test(
    'a deposit that times out answers A0001 and transfer/result (check_type 2) reports it as processing',
    async (t) => {
      const req = depositAcntBody({ tran_amt: '7001' });
      t.equal((await sb.post('/v2.0/transfer/deposit/acnt_num', sb.oob, req)).rsp_code, 'A0001');
      const orig = (req.req_list as Record<string, string>[])[0]!;
      const result = await sb.post('/v2.0/transfer/result', sb.oob, {
        check_type: '2',
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          { tran_no: '1', org_bank_tran_id: orig.bank_tran_id, org_bank_tran_date: kstToday(), org_tran_amt: '7001' },
        ],
      });
      t.equal(result.rsp_code, 'A0001');
      t.equal(result.res_list[0].dps_account_holder_name, '허균');
      const wrongType = await sb.post('/v2.0/transfer/result', sb.oob, {
        check_type: '1',
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          { tran_no: '1', org_bank_tran_id: orig.bank_tran_id, org_bank_tran_date: kstToday(), org_tran_amt: '7001' },
        ],
      });
      t.equal(wrongType.rsp_code, 'A0310', 'a deposit is not found as a withdrawal');
    },
  );

  await t.test(
    'a crash in the middle of a withdrawal leaves all or nothing: no money moved, no claim, no record',
    async (t) => {
      const repo = sb.app.services.ledger.repo;
      const original = repo.insertStatements;
      // The database refuses the batch's writes half-way: after the transaction row is inserted, a posting
      // that breaks a NOT NULL constraint (on SQLite inside the one exec that would also have committed).
      repo.insertStatements = (run, transactions, postings) => {
        const [txInsert, ...rest] = original(run, transactions, postings);
        return [txInsert!, { sql: 'INSERT INTO postings (id) VALUES (?)', bindings: ['crash'] }, ...rest];
      };
      const req = withdrawBody(fin, { tran_amt: '2222' });
      const before = await sb.balanceOf('097', HONG_MAIN);
      const transactions = Number((await sb.app.db('transactions').count({ n: '*' }).first())!.n);
      try {
        const body = await sb.post(W, sb.hong, req);
        t.equal(body.rsp_code, 'A0003', 'an internal error in the KFTC envelope, not a 500');
        t.notMatch(body.rsp_message, /NOT NULL|constraint|postings/i, 'no internal detail leaks');
      } finally {
        repo.insertStatements = original;
      }
      t.equal(await sb.balanceOf('097', HONG_MAIN), before);
      t.equal(
        Number((await sb.app.db('transactions').count({ n: '*' }).first())!.n),
        transactions,
        'the transaction row rolled back too',
      );
      t.equal(
        (await sb.post(W, sb.hong, req)).rsp_code,
        'A0000',
        'the bank_tran_id claim rolled back, so the retry goes through',
      );
      t.equal(await sb.balanceOf('097', HONG_MAIN), before - 2222);
    },
  );

  await t.test('after everything, every cached balance equals its postings and money is conserved', async (t) => {
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
    t.equal(v.totalDrift, 0);
  });
});
