// Rule: GET /v2.0/inquiry/fds_detect reports what the emulator's own FDS rules find in the organization's
// withdrawals of a day — FDS01 five from one account within 10 minutes, FDS02 95–100 % of the per-transfer
// limit, FDS99 the #FDS print-content trigger — within from_time..to_time, in the public field set.
import t from 'tap';
import { HEO, HONG, sandbox, tranDtime, withdrawBody } from '../../helpers/testbed-services';
import { RAPID_COUNT, RAPID_WINDOW_MS, detect } from '../../../src/testbed/services/fds-detect';
import { SANDBOX_LIMITS } from '../../../src/testbed/services/transfer-limits';

const W = '/v2.0/transfer/withdraw/fin_num';
const FDS = '/v2.0/inquiry/fds_detect';

t.test("fds_detect on the organization's traffic", async (t) => {
  // 10:00 KST today, moved forward by hand.
  const start = new Date();
  start.setUTCHours(1, 0, 0, 0);
  let now = start.getTime();
  const clock = () => new Date(now);
  const sb = await sandbox(t, { clock });
  const day = tranDtime(clock()).slice(0, 8);
  const hongFin = await sb.fin(HONG.accounts[0]!.accountNum);
  const heoFin = await sb.fin(HEO.accounts[0]!.accountNum);
  const withdraw = async (token: string, fin: string, over: Record<string, unknown>) => {
    const body = await sb.post(W, token, withdrawBody(fin, { tran_dtime: tranDtime(clock()), ...over }));
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
  };
  const ask = (q: Record<string, string> = {}) =>
    sb.get(FDS, sb.oob, { inquiry_date: day, from_time: '000000', to_time: '235959', ...q });

  await t.test('a day without suspicious withdrawals answers an empty list', async (t) => {
    const body = await ask();
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.same([body.cnt_exceed_yn, body.res_cnt, body.res_list], ['N', '0', []]);
  });

  await t.test(
    'FDS01: five withdrawals from one account within 10 minutes are one detection at the fifth',
    async (t) => {
      for (let i = 0; i < RAPID_COUNT; i++) {
        await withdraw(sb.hong, hongFin, { tran_amt: '1000', req_client_name: '홍길동' });
        now += 60_000;
      }
      // 허균: four in 12 minutes, never five within the window.
      for (let i = 0; i < 4; i++) {
        await withdraw(sb.heo, heoFin, {
          tran_amt: '1000',
          req_client_name: '허균',
          req_client_fintech_use_num: heoFin,
        });
        now += 4 * 60_000;
      }
      const body = await ask();
      const rapid = body.res_list.filter((d: Record<string, string>) => d.policy_rule === 'FDS01');
      t.equal(rapid.length, 1);
      t.same(rapid[0], {
        detect_time: tranDtime(new Date(start.getTime() + (RAPID_COUNT - 1) * 60_000)),
        policy_rule: 'FDS01',
        user_seq_no: HONG.userSeqNo,
        bank_code: '097',
        account_num: `${HONG.accounts[0]!.accountNum.slice(0, -3)}***`,
        fintech_use_num: hongFin,
        tran_amt: '1000',
      });
    },
  );

  await t.test('FDS02: a withdrawal just under the per-transfer limit', async (t) => {
    await withdraw(sb.hong, hongFin, { tran_amt: '980000' });
    const body = await ask();
    t.ok(body.res_list.some((d: Record<string, string>) => d.policy_rule === 'FDS02' && d.tran_amt === '980000'));
  });

  await t.test(
    'FDS99: the #FDS trigger produces a detection on demand, and the window filters by detect_time',
    async (t) => {
      now += 60 * 60_000; // 11:xx KST
      await withdraw(sb.heo, heoFin, {
        tran_amt: '777',
        req_client_name: '허균',
        req_client_fintech_use_num: heoFin,
        wd_print_content: '#FDS 테스트',
      });
      const at = tranDtime(clock()).slice(8);
      const all = await ask();
      t.ok(
        all.res_list.some(
          (d: Record<string, string>) =>
            d.policy_rule === 'FDS99' && d.user_seq_no === HEO.userSeqNo && d.tran_amt === '777',
        ),
      );
      const window = await ask({ from_time: at, to_time: '235959' });
      t.same(
        window.res_list.map((d: Record<string, string>) => d.policy_rule),
        ['FDS99'],
        'only what was detected within from_time..to_time',
      );
      t.equal(window.res_cnt, '1');
      const other = await ask({ inquiry_date: '20200101' });
      t.equal(other.res_cnt, '0', 'another day has its own detections');
    },
  );

  await t.test('bad input answers A0004 naming the field; an oob token is needed', async (t) => {
    t.match((await sb.get(FDS, sb.oob, { inquiry_date: '2026' })).rsp_message, /inquiry_date/);
    t.match((await ask({ from_time: '120000', to_time: '110000' })).rsp_message, /to_time/);
    t.equal((await sb.get(FDS, sb.hong, { inquiry_date: day })).rsp_code, 'O0011');
  });
});

t.test("the FDS rules are a pure function of the day's withdrawals", async (t) => {
  const base = Date.UTC(2026, 0, 1);
  const w = (ms: number, amount = 1000, account = '1') => ({
    at: new Date(base + ms),
    userSeqNo: '1100000001',
    bankCode: '097',
    accountNum: account,
    fintechUseNum: '',
    amount,
    printContents: ['', ''],
  });
  const rapid = (list: ReturnType<typeof w>[]) =>
    detect(list, SANDBOX_LIMITS).filter((d) => d.policyRule === 'FDS01').length;
  t.equal(rapid([0, 1, 2, 3, 4].map((i) => w(i * 1000))), 1, 'five within the window');
  t.equal(
    rapid([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => w(i * 1000))),
    2,
    'ten within the window: two detections, not six',
  );
  t.equal(rapid([0, 1, 2, 3, 4].map((i) => w(i * (RAPID_WINDOW_MS / 4)))), 0, 'five spread over more than the window');
  t.equal(rapid([0, 1, 2, 3, 4].map((i) => w(i * 1000, 1000, String(i % 2)))), 0, 'two accounts are counted apart');
  const under = (amount: number) => detect([w(0, amount)], SANDBOX_LIMITS).some((d) => d.policyRule === 'FDS02');
  t.same([under(949_999), under(950_000), under(1_000_000), under(1_000_001)], [false, true, true, false]);
});
