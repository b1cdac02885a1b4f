// Rule: bad input never causes a 500 or moves money: every malformed field answers HTTP 200 with a KFTC
// code (A0004 naming the field), and unknown fields are reported (X-Testbed-Warning) without failing.
import t from 'tap';
import { APIS } from '../../../src/testbed/services/api-catalogue';
import {
  COLLECTING,
  HONG,
  PAYING,
  bankTranId,
  depositAcntBody,
  kstToday,
  sandbox,
  tranDtime,
  withdrawBody,
} from '../../helpers/testbed-services';

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const NASTY: unknown[] = [
  '',
  ' ',
  null,
  0,
  -1,
  1.5,
  1e308,
  true,
  [],
  ['a'],
  {},
  { $gt: '' },
  'x'.repeat(5000),
  '😀😀😀',
  '\u0000',
  "' OR 1=1 --",
  '../../etc/passwd',
  '99999999999999999999999',
  '-100',
  '1e3',
  '０１２',
  '20261340000000',
  '20260230',
  'NaN',
  '<script>',
  '%00',
  '\r\nX-Evil: 1',
];

t.test('bad input on every service API', async (t) => {
  const sb = await sandbox(t);
  const fin = await sb.fin(HONG.accounts[0]!.accountNum);
  const tokenFor = (scopes: readonly string[]) => (scopes.includes('oob') ? sb.oob : sb.hong);
  const valid: Record<string, Record<string, unknown>> = {
    balance: { bank_tran_id: '', fintech_use_num: fin, tran_dtime: tranDtime() },
    transaction_list: {
      bank_tran_id: '',
      fintech_use_num: fin,
      inquiry_type: 'A',
      inquiry_base: 'D',
      from_date: '20260101',
      to_date: kstToday(),
      sort_order: 'D',
      tran_dtime: tranDtime(),
    },
    real_name: {
      bank_tran_id: '',
      bank_code_std: '097',
      account_num: HONG.accounts[0]!.accountNum,
      account_holder_info_type: ' ',
      account_holder_info: '880101',
      tran_dtime: tranDtime(),
    },
    remit_list: {
      bank_tran_id: '',
      bank_code_std: '097',
      account_num: COLLECTING,
      from_date: kstToday(),
      to_date: kstToday(),
      tran_dtime: tranDtime(),
    },
    receive: {
      bank_tran_id: '',
      cntr_account_type: 'N',
      cntr_account_num: PAYING,
      bank_code_std: '097',
      account_num: HONG.accounts[0]!.accountNum,
      print_content: '환불',
      tran_amt: '1000',
    },
    withdraw: withdrawBody(fin, { tran_amt: '1' }),
    deposit_fin_num: {
      ...depositAcntBody(),
      req_list: [
        {
          tran_no: '1',
          bank_tran_id: '',
          fintech_use_num: fin,
          print_content: '환불',
          tran_amt: '1',
          req_client_name: '홍길동',
          req_client_num: 'H1',
          transfer_purpose: 'TR',
        },
      ],
    },
    deposit_acnt_num: depositAcntBody({ tran_amt: '1' }),
    transfer_result: {
      check_type: '1',
      tran_dtime: tranDtime(),
      req_cnt: '1',
      req_list: [{ tran_no: '1', org_bank_tran_id: bankTranId(), org_bank_tran_date: kstToday(), org_tran_amt: '1' }],
    },
    return_claim: {
      bank_tran_id: '',
      org_bank_tran_date: kstToday(),
      org_bank_tran_id: bankTranId(),
      org_dps_bank_code_std: '097',
      org_dps_account_num: '1',
      org_tran_amt: '1',
      org_wd_bank_code_std: '097',
      claim_code: '01',
      total_return_yn: 'Y',
    },
    return_result: { claim_bank_tran_date: kstToday(), claim_bank_tran_id: bankTranId() },
    fds_detect: { inquiry_date: kstToday(), from_time: '000000', to_time: '235959' },
    bank_status: {},
    wd_limit: {},
    fee: { from_date: kstToday(), to_date: kstToday() },
    count: { inquiry_date: kstToday() },
    user_remain_amt: { user_seq_no: HONG.userSeqNo },
  };
  const fresh = (key: string): Record<string, unknown> => {
    const body = structuredClone(valid[key]!);
    if ('bank_tran_id' in body) body.bank_tran_id = bankTranId();
    if (Array.isArray(body.req_list))
      for (const item of body.req_list as Record<string, unknown>[])
        if ('bank_tran_id' in item) item.bank_tran_id = bankTranId();
    return body;
  };
  const send = async (api: (typeof APIS)[number], body: unknown) => {
    if (api.method === 'GET') {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(body as Record<string, unknown>))
        if (v !== undefined) q.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      return sb.raw({ method: 'GET', url: `${api.path}?${q.toString()}`, token: tokenFor(api.scopes) });
    }
    return sb.raw({
      method: 'POST',
      url: api.path,
      token: tokenFor(api.scopes),
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
  };
  const money = async () => (await sb.app.services.ledger.verifyBalances()).customerTotal;
  const startMoney = await money();

  await t.test('a valid request of every API succeeds (the fuzz baseline is sound)', async (t) => {
    for (const api of APIS) {
      if (api.key === 'return_claim' || api.key === 'transfer_result' || api.key === 'return_result') continue; // need an original transfer
      const res = await send(api, fresh(api.key));
      t.equal(
        res.json().rsp_code,
        api.key === 'deposit_fin_num' || api.key === 'deposit_acnt_num' || api.key === 'withdraw' ? 'A0000' : 'A0000',
        `${api.key}: ${res.json().rsp_message}`,
      );
    }
  });

  await t.test('every field with every nasty value answers HTTP 200 with a KFTC code, never a 500', async (t) => {
    const random = rng(42);
    let calls = 0;
    for (const api of APIS) {
      for (const field of api.fields) {
        // Every field of every API gets a deterministic third of the nasty values (each value hits every field
        // somewhere across the APIs); bad-input.test stays within the CI file timeout on PostgreSQL.
        const sample = NASTY.filter(() => random() < 0.33);
        for (const value of sample) {
          const body = fresh(api.key);
          if (field.type === 'list' && random() < 0.5)
            (body[field.name] as Record<string, unknown>[])[0]![
              field.items![Math.floor(random() * field.items!.length)]!.name
            ] = value;
          else body[field.name] = value;
          const res = await send(api, body);
          calls++;
          if (res.statusCode !== 200)
            t.fail(`${api.key}.${field.name}=${JSON.stringify(value)?.slice(0, 30)} → HTTP ${res.statusCode}`);
          const json = res.json() as { rsp_code?: string; rsp_message?: string };
          if (!/^[AO]\d{4}$/.test(json.rsp_code ?? '')) t.fail(`${api.key}.${field.name}: no rsp_code`);
          if (json.rsp_code === 'A0003')
            t.fail(
              `${api.key}.${field.name}=${JSON.stringify(value)?.slice(0, 30)} → internal error ${json.rsp_message}`,
            );
          if (json.rsp_code === 'A0004' && !/\[[\w.[\]]+: /.test(json.rsp_message ?? ''))
            t.fail(`${api.key}.${field.name}: A0004 without a field name: ${json.rsp_message}`);
        }
      }
    }
    t.ok(calls > 300, `${calls} fuzzed calls`);
  });

  await t.test('a malformed field is named in A0004', async (t) => {
    const res = await send(APIS.find((a) => a.key === 'withdraw')!, { ...fresh('withdraw'), tran_amt: '12a' });
    t.equal(res.json().rsp_code, 'A0004');
    t.match(res.json().rsp_message, /\[tran_amt: /);
    const dt = await send(APIS.find((a) => a.key === 'balance')!, {
      ...fresh('balance'),
      tran_dtime: '20261301120000',
    });
    t.match(dt.json().rsp_message, /\[tran_dtime: /);
    const item = await send(APIS.find((a) => a.key === 'deposit_acnt_num')!, depositAcntBody({ tran_amt: 'abc' }));
    t.match(item.json().rsp_message, /\[req_list\[0\]\.tran_amt: /);
  });

  await t.test('a control character (NUL) in any text field answers A0004 naming the field', async (t) => {
    for (const [key, field] of [
      ['withdraw', 'wd_print_content'],
      ['deposit_acnt_num', 'wd_print_content'],
      ['withdraw', 'req_client_name'],
    ] as const) {
      const res = await send(APIS.find((a) => a.key === key)!, { ...fresh(key), [field]: 'a\u0000b' });
      t.equal(res.json().rsp_code, 'A0004');
      t.match(res.json().rsp_message, `[${field}: `);
    }
  });

  await t.test('whole bodies that are not objects answer A0004, not 400 or 500', async (t) => {
    for (const api of APIS.filter((a) => a.method === 'POST')) {
      for (const body of [
        '[]',
        '"text"',
        '{not json',
        '123',
        'null',
        'a=b&c=d',
        '{"req_list": "x"}',
        '{"req_list": [1,2]}',
      ]) {
        const res = await send(api, body);
        t.equal(res.statusCode, 200, `${api.key} ${body}`);
        t.match(res.json().rsp_code, /^A0004$/, `${api.key} ${body}`);
      }
    }
  });

  await t.test('an unknown field is reported in X-Testbed-Warning and does not fail the call', async (t) => {
    const res = await send(APIS.find((a) => a.key === 'withdraw')!, {
      ...fresh('withdraw'),
      req_client_fintech_use: 'x',
      'bad name\n': 1,
    });
    t.equal(res.json().rsp_code, 'A0000');
    // One header line per warning (inject joins repeated headers with ", ").
    const warning = ([] as string[])
      .concat(res.headers['x-testbed-warning'] as string | string[])
      .flatMap((h) => h.split(', '));
    t.ok(warning.includes('unknown field req_client_fintech_use'), JSON.stringify(res.headers['x-testbed-warning']));
    t.ok(warning.every((w) => !/[\r\n]/.test(w)));
  });

  await t.test('no fuzzed call created or destroyed money and every balance still equals its postings', async (t) => {
    const v = await sb.app.services.ledger.verifyBalances();
    t.ok(v.ok, JSON.stringify(v));
    t.equal(await money(), startMoney);
  });
});
