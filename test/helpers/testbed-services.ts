// Helpers for the test-bed service API tests (test/testbed/services): a demo app with tokens, the
// fintech numbers of the demo people read straight from the registrations, and request builders.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { build, type TestContext } from './build';
import { DEMO_SANDBOX, HONG, HEO, bankTranId, oobToken, userToken } from './testbed';
import type { Clock } from '../../src/clock';

export { DEMO_SANDBOX, HONG, HEO, bankTranId };

export const COLLECTING = DEMO_SANDBOX.contractAccounts.withdrawCollecting.accountNum;
export const PAYING = DEMO_SANDBOX.contractAccounts.depositPaying.accountNum;

export interface Sandbox {
  app: FastifyInstance;
  oob: string;
  hong: string; // 홍길동's user token
  heo: string; // 허균's user token
  fin: (accountNum: string) => Promise<string>;
  get: (url: string, token: string, query: Record<string, string>) => Promise<Body>;
  post: (url: string, token: string, body: unknown) => Promise<Body>;
  raw: (opts: {
    method: 'GET' | 'POST';
    url: string;
    token?: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }) => Promise<LightMyRequestResponse>;
  balanceOf: (bankCode: string, accountNum: string) => Promise<number>;
}

export type Body = Record<string, any> & { rsp_code: string; rsp_message: string; _res: LightMyRequestResponse };

/** "now" in KST as tran_dtime. */
export function tranDtime(d = new Date()): string {
  const k = new Date(d.getTime() + 9 * 3600_000).toISOString();
  return k.slice(0, 19).replace(/[-T:]/g, '');
}
export function kstToday(d = new Date()): string {
  return tranDtime(d).slice(0, 8);
}

export async function sandbox(t: TestContext, opts: { clock?: Clock } = {}): Promise<Sandbox> {
  const app = await build(t, { demo: true, clock: opts.clock });
  const [oob, hong, heo] = [
    await oobToken(app),
    await userToken(app, { userSeqNo: HONG.userSeqNo }),
    await userToken(app, { userSeqNo: HEO.userSeqNo }),
  ];
  const parse = (res: LightMyRequestResponse): Body => {
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return Object.assign(res.json() as Body, { _res: res });
  };
  const raw: Sandbox['raw'] = (o) =>
    app.inject({
      method: o.method,
      url: o.url,
      payload: o.payload as string | object | undefined,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.payload !== undefined && typeof o.payload === 'object'
          ? { 'content-type': 'application/json; charset=UTF-8' }
          : {}),
        ...o.headers,
      },
    });
  return {
    app,
    oob,
    hong,
    heo,
    async fin(accountNum) {
      const r = await app
        .db('testbed_fintech_accounts as f')
        .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
        .where({ 'a.account_num': accountNum, 'f.organization_id': DEMO_SANDBOX.organizationId })
        .first('f.fintech_use_num');
      if (!r) throw new Error(`no fintech number for ${accountNum}`);
      return r.fintech_use_num as string;
    },
    get: async (url, token, query) =>
      parse(await raw({ method: 'GET', url: `${url}?${new URLSearchParams(query).toString()}`, token })),
    post: async (url, token, body) => parse(await raw({ method: 'POST', url, token, payload: body })),
    raw,
    async balanceOf(bankCode, accountNum) {
      const a = await app.services.ledger.findAccountByNumber(bankCode, accountNum);
      if (!a) throw new Error(`no account ${bankCode} ${accountNum}`);
      return a.balance;
    },
  };
}

/** A valid withdraw/fin_num body (override any field). */
export function withdrawBody(fintechUseNum: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bank_tran_id: bankTranId(),
    cntr_account_type: 'N',
    cntr_account_num: COLLECTING,
    dps_print_content: '쇼핑몰결제',
    fintech_use_num: fintechUseNum,
    wd_print_content: '데모핀테크',
    tran_amt: '10000',
    tran_dtime: tranDtime(),
    req_client_name: '홍길동',
    req_client_fintech_use_num: fintechUseNum,
    req_client_num: 'HONGGILDONG1',
    transfer_purpose: 'TR',
    ...over,
  };
}

/** A valid deposit/acnt_num body with one item (override item fields with `item`). */
export function depositAcntBody(
  item: Record<string, unknown> = {},
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    cntr_account_type: 'N',
    cntr_account_num: PAYING,
    wd_pass_phrase: 'NONE',
    wd_print_content: '데모핀테크',
    name_check_option: 'on',
    tran_dtime: tranDtime(),
    req_cnt: '1',
    req_list: [
      {
        tran_no: '1',
        bank_tran_id: bankTranId(),
        bank_code_std: '097',
        account_num: HEO.accounts[0]!.accountNum,
        account_holder_name: '허균',
        print_content: '환불',
        tran_amt: '5000',
        req_client_name: '홍길동',
        req_client_num: 'HONGGILDONG1',
        transfer_purpose: 'TR',
        ...item,
      },
    ],
    ...over,
  };
}

/** Balance query for a fintech number. */
export function balanceQuery(fintechUseNum: string, over: Record<string, string> = {}): Record<string, string> {
  return { bank_tran_id: bankTranId(), fintech_use_num: fintechUseNum, tran_dtime: tranDtime(), ...over };
}
