// Records one example per registry endpoint by calling the emulator itself (inject) on the demo sandbox, in a
// fixed order on a fresh database with a clock that only moves when told: the same code and fixtures always
// produce the same file. Order matters: tokens first (through the real authorize pages and token endpoint),
// then reads, transfers and their follow-ups, and the calls that end something (cancel, unlink, close) last.
// Values that differ between runs whatever the clock (api_tran_id, tokens, codes, session ids) are replaced by
// placeholders named after their field (normaliseExample).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEMO_PEOPLE, DEMO_SANDBOX, TEST_PERSON_PASSWORD } from '../users/demo-fixtures';
import { ENDPOINTS } from './endpoints';
import type { DocsExample, DocsExampleRequest } from './examples';

/** 2026-12-01 10:00:00 KST: inside the operating hours, on a weekday. */
const EXAMPLES_CLOCK_START = '2026-12-01T01:00:00.000Z';
/** When the demo seed "runs" (09:30 KST the same day): its back-dated history is relative to this instant. */
export const EXAMPLES_SEED_TIME = '2026-12-01T00:30:00.000Z';

/**
 * Runs `fn` while `Date` reads `start` plus the real time elapsed since the call. For the demo seed only:
 * it dates the accounts' history from the system clock (seeds/03_sandbox.ts), and the examples must not
 * change with the day they are recorded on. Time keeps moving (timers, pool timeouts work as before);
 * the seed takes seconds, far from a date boundary. `Date` is restored afterwards, also on failure.
 */
export async function withDateFrom<T>(start: string, fn: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  const offset = new RealDate(start).getTime() - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** A clock the recorder moves by one second between calls (never by itself). */
export function examplesClock(start = EXAMPLES_CLOCK_START) {
  let now = new Date(start).getTime();
  return Object.assign(() => new Date(now), {
    tick(ms = 1000) {
      now += ms;
    },
  });
}
export type ExamplesClock = ReturnType<typeof examplesClock>;

/** Fields whose values are fresh on every run: shown as "<field>". */
const VOLATILE_FIELDS = new Set(['api_tran_id', 'access_token', 'refresh_token', 'code']);
const VOLATILE_QUERY = new Set(['code']);

function placeholder(name: string): string {
  return `<${name}>`;
}

function normaliseValue(value: unknown, key?: string): unknown {
  if (key && VOLATILE_FIELDS.has(key) && typeof value === 'string' && value !== '') return placeholder(key);
  if (Array.isArray(value)) return value.map((v) => normaliseValue(v));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseValue(v, k)]));
  return value;
}

/** A URL whose volatile query parameters (code) are placeholders. */
function normaliseUrl(url: string): string {
  const u = new URL(url);
  for (const k of VOLATILE_QUERY)
    if (u.searchParams.has(k)) u.searchParams.set(k, placeholder(k === 'code' ? 'authorization_code' : k));
  return decodeURI(u.toString());
}

/**
 * Fintech numbers are random at registration: each distinct one becomes a stable stand-in (1 + the
 * institution code's 9 digits + a 14-digit counter, in the order they first appear).
 */
function aliasFintechNumbers(examples: Record<string, DocsExample>): Record<string, DocsExample> {
  const alias = new Map<string, string>();
  const collect = (v: unknown, key?: string): void => {
    if (typeof v === 'string' && key && /fintech_use_num$/.test(key) && /^\d{24}$/.test(v) && !alias.has(v)) {
      alias.set(v, `1${DEMO_SANDBOX.clientUseCode.slice(1)}${String(alias.size + 1).padStart(14, '0')}`);
    } else if (Array.isArray(v)) for (const x of v) collect(x);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k);
  };
  collect(examples);
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') return alias.get(v) ?? v;
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(examples) as Record<string, DocsExample>;
}

/** The example as stored: volatile values replaced, the Authorization header shown with a placeholder. */
function normaliseExample(e: DocsExample): DocsExample {
  const request: DocsExampleRequest = { ...e.request };
  if (request.headers) {
    request.headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [
        k,
        k.toLowerCase() === 'authorization' || k.startsWith('Kftc-Bfop-AccessToken')
          ? v.replace(/Bearer\s*\S+/, 'Bearer <access_token>')
          : v,
      ]),
    );
  }
  if (request.body !== undefined) request.body = normaliseValue(request.body);
  if (request.query) request.query = normaliseValue(request.query) as Record<string, string>;
  const response = { ...e.response };
  if (response.body !== undefined) response.body = normaliseValue(response.body);
  if (response.headers?.location)
    response.headers = { ...response.headers, location: normaliseUrl(response.headers.location) };
  return { request, response };
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  token?: string;
}

type Body = Record<string, unknown>;

const HONG = DEMO_PEOPLE.hong!;
const HEO = DEMO_PEOPLE.heo!;
const KIM = DEMO_PEOPLE.kim!;
const COLLECTING = DEMO_SANDBOX.contractAccounts.withdrawCollecting;
const PAYING = DEMO_SANDBOX.contractAccounts.depositPaying;
const STATE = 'b80BLsfigm9OokPTjy03elbJqRHOfGSY';

/** "yyyyMMddHHmmss" in KST. */
function kstDtime(d: Date): string {
  return new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/**
 * Calls every registry endpoint once on `app` (built with the demo data and `clock`) and returns the
 * examples keyed by endpoint key, normalised. Throws when a call that the next ones depend on fails.
 */
export async function recordDocsExamples(
  app: FastifyInstance,
  clock: ExamplesClock,
): Promise<Record<string, DocsExample>> {
  const out: Record<string, DocsExample> = {};
  let tranSeq = 0;
  const bankTranId = () => `${DEMO_SANDBOX.clientUseCode}U${String(++tranSeq).padStart(9, '0')}`;
  const tranDtime = () => kstDtime(clock());
  const today = () => tranDtime().slice(0, 8);
  const daysAgo = (n: number) => kstDtime(new Date(clock().getTime() - n * 24 * 3600_000)).slice(0, 8);

  async function call(key: string | null, c: Call): Promise<Body> {
    clock.tick();
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    if (c.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      payload = new URLSearchParams(c.form).toString();
    }
    if (c.json !== undefined) {
      headers['content-type'] = 'application/json; charset=UTF-8';
      payload = JSON.stringify(c.json);
    }
    const url = c.query ? `${c.path}?${new URLSearchParams(c.query).toString()}` : c.path;
    const res = await app.inject({ method: c.method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    if (res.statusCode !== 200)
      throw new Error(`${c.method} ${c.path}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
    const body = res.json() as Body;
    if (key) {
      out[key] = normaliseExample({
        request: {
          method: c.method,
          path: c.path,
          ...(c.query ? { query: c.query } : {}),
          headers: {
            ...(c.token ? { Authorization: 'Bearer <access_token>' } : {}),
            ...(headers['content-type'] ? { 'Content-Type': headers['content-type'] } : {}),
          },
          ...(c.form ? { body: c.form } : {}),
          ...(c.json !== undefined ? { body: c.json } : {}),
        },
        response: { status: res.statusCode, body },
      });
    }
    return body;
  }
  const ok = (body: Body, what: string): Body => {
    if (body.rsp_code !== undefined && body.rsp_code !== 'A0000') throw new Error(`${what}: ${JSON.stringify(body)}`);
    return body;
  };
  const str = (body: Body, field: string): string => {
    const v = body[field];
    if (typeof v !== 'string') throw new Error(`no ${field} in ${JSON.stringify(body)}`);
    return v;
  };
  const client = { client_id: DEMO_SANDBOX.clientId, client_secret: DEMO_SANDBOX.clientSecret };

  // ── OAuth ──
  const pageCode = await authorizeThroughPages(app, clock, out);
  const hongTokens = ok(
    await call('token_authorization_code', {
      method: 'POST',
      path: '/oauth/2.0/token',
      form: { grant_type: 'authorization_code', code: pageCode, ...client, redirect_uri: DEMO_SANDBOX.callbackUrl },
    }),
    'token',
  );
  const refreshed = ok(
    await call('token_refresh_token', {
      method: 'POST',
      path: '/oauth/2.0/token',
      form: {
        grant_type: 'refresh_token',
        ...client,
        refresh_token: str(hongTokens, 'refresh_token'),
        scope: 'login inquiry transfer',
      },
    }),
    'refresh',
  );
  const hong = str(refreshed, 'access_token');
  const oob = str(
    ok(
      await call('token_client_credentials', {
        method: 'POST',
        path: '/oauth/2.0/token',
        form: { grant_type: 'client_credentials', ...client, scope: 'oob' },
      }),
      'oob',
    ),
    'access_token',
  );
  const heoCode = str(
    ok(
      await call('sandbox_authorize', {
        method: 'POST',
        path: '/testbed/sandbox/authorize',
        form: {
          ...client,
          user_seq_no: HEO.userSeqNo,
          scope: 'login inquiry transfer',
          redirect_uri: DEMO_SANDBOX.callbackUrl,
        },
      }),
      'shortcut',
    ),
    'code',
  );
  const userToken = async (code: string) =>
    str(
      ok(
        await call(null, {
          method: 'POST',
          path: '/oauth/2.0/token',
          form: { grant_type: 'authorization_code', code, ...client, redirect_uri: DEMO_SANDBOX.callbackUrl },
        }),
        'token',
      ),
      'access_token',
    );
  const heo = await userToken(heoCode);
  const kimCode = str(
    ok(
      await call(null, {
        method: 'POST',
        path: '/testbed/sandbox/authorize',
        form: {
          ...client,
          user_seq_no: KIM.userSeqNo,
          scope: 'login inquiry transfer',
          redirect_uri: DEMO_SANDBOX.callbackUrl,
        },
      }),
      'shortcut',
    ),
    'code',
  );
  const kim = await userToken(kimCode);

  // ── Management ──
  const me = ok(
    await call('user_me', {
      method: 'GET',
      path: '/v2.0/user/me',
      query: { user_seq_no: HONG.userSeqNo },
      token: hong,
    }),
    'user/me',
  );
  const accounts = (me.res_list as Body[]).map((a) => ({
    fin: String(a.fintech_use_num),
    masked: String(a.account_num_masked),
    bank: String(a.bank_code_std),
  }));
  const finOf = (person: typeof HONG, index: number, list: typeof accounts) => {
    const a = person.accounts[index]!;
    const hit = list.find((x) => x.bank === a.bankCode && a.accountNum.startsWith(x.masked.replace(/\*+$/, '')));
    if (!hit) throw new Error(`no fintech number for ${a.accountNum}`);
    return hit.fin;
  };
  const hongMain = finOf(HONG, 0, accounts);
  const hongOther = finOf(HONG, 2, accounts);
  ok(
    await call('account_list', {
      method: 'GET',
      path: '/v2.0/account/list',
      query: { user_seq_no: HONG.userSeqNo, include_cancel_yn: 'N', sort_order: 'D' },
      token: hong,
    }),
    'account/list',
  );
  ok(
    await call('account_update_info', {
      method: 'POST',
      path: '/v2.0/account/update_info',
      token: hong,
      json: { fintech_use_num: hongMain, account_alias: '생활비 통장' },
    }),
    'update_info',
  );
  const heoMe = ok(
    await call(null, { method: 'GET', path: '/v2.0/user/me', query: { user_seq_no: HEO.userSeqNo }, token: heo }),
    'user/me heo',
  );
  const heoFin = String((heoMe.res_list as Body[])[0]!.fintech_use_num);

  // ── Transfers first, so the statements and lists below have rows ──
  const withdraw = ok(
    await call('withdraw', {
      method: 'POST',
      path: '/v2.0/transfer/withdraw/fin_num',
      token: hong,
      json: {
        bank_tran_id: bankTranId(),
        cntr_account_type: 'N',
        cntr_account_num: COLLECTING.accountNum,
        dps_print_content: '쇼핑몰결제',
        fintech_use_num: hongMain,
        wd_print_content: '데모핀테크',
        tran_amt: '10000',
        tran_dtime: tranDtime(),
        req_client_name: HONG.name,
        req_client_fintech_use_num: hongMain,
        req_client_num: 'HONGGILDONG1',
        transfer_purpose: 'ST',
      },
    }),
    'withdraw',
  );
  ok(
    await call('receive', {
      method: 'POST',
      path: '/v2.0/inquiry/receive',
      token: oob,
      json: {
        bank_tran_id: bankTranId(),
        cntr_account_type: 'N',
        cntr_account_num: PAYING.accountNum,
        bank_code_std: HEO.accounts[0]!.bankCode,
        account_num: HEO.accounts[0]!.accountNum,
        print_content: '환불',
        tran_amt: '5000',
        tran_dtime: tranDtime(),
        req_client_name: HONG.name,
        req_client_bank_code: HONG.accounts[0]!.bankCode,
        req_client_account_num: HONG.accounts[0]!.accountNum,
        req_client_num: 'HONGGILDONG1',
        transfer_purpose: 'TR',
      },
    }),
    'receive',
  );
  const depositCommon = {
    cntr_account_type: 'N',
    cntr_account_num: PAYING.accountNum,
    wd_pass_phrase: 'NONE',
    wd_print_content: '데모핀테크',
    name_check_option: 'on',
  };
  const reqClient = { req_client_name: HONG.name, req_client_num: 'HONGGILDONG1', transfer_purpose: 'TR' };
  ok(
    await call('deposit_fin_num', {
      method: 'POST',
      path: '/v2.0/transfer/deposit/fin_num',
      token: oob,
      json: {
        ...depositCommon,
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          {
            tran_no: '1',
            bank_tran_id: bankTranId(),
            fintech_use_num: heoFin,
            print_content: '캐시백',
            tran_amt: '3000',
            ...reqClient,
          },
        ],
      },
    }),
    'deposit/fin_num',
  );
  const depositTranId = bankTranId();
  const deposit = ok(
    await call('deposit_acnt_num', {
      method: 'POST',
      path: '/v2.0/transfer/deposit/acnt_num',
      token: oob,
      json: {
        ...depositCommon,
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          {
            tran_no: '1',
            bank_tran_id: depositTranId,
            bank_code_std: HEO.accounts[0]!.bankCode,
            account_num: HEO.accounts[0]!.accountNum,
            account_holder_name: HEO.name,
            print_content: '환불',
            tran_amt: '5000',
            ...reqClient,
          },
        ],
      },
    }),
    'deposit/acnt_num',
  );
  const depositDate = String((deposit.res_list as Body[])[0]!.bank_tran_date);
  ok(
    await call('transfer_result', {
      method: 'POST',
      path: '/v2.0/transfer/result',
      token: oob,
      json: {
        check_type: '1',
        tran_dtime: tranDtime(),
        req_cnt: '1',
        req_list: [
          {
            tran_no: '1',
            org_bank_tran_id: str(withdraw, 'bank_tran_id'),
            org_bank_tran_date: str(withdraw, 'bank_tran_date'),
            org_tran_amt: '10000',
          },
        ],
      },
    }),
    'transfer/result',
  );
  const claimTranId = bankTranId();
  const claim = ok(
    await call('return_claim', {
      method: 'POST',
      path: '/v2.0/return/claim',
      token: oob,
      json: {
        bank_tran_id: claimTranId,
        org_bank_tran_date: depositDate,
        org_bank_tran_id: depositTranId,
        org_dps_bank_code_std: HEO.accounts[0]!.bankCode,
        org_dps_account_num: HEO.accounts[0]!.accountNum,
        org_tran_amt: '5000',
        org_wd_bank_code_std: PAYING.bankCode,
        claim_code: '01',
        claim_message: '착오송금',
        total_return_yn: 'Y',
        return_account_num: PAYING.accountNum,
        use_org_contact: '0212345678',
        use_org_email: 'ops@demo-fintech.example',
      },
    }),
    'return/claim',
  );
  ok(
    await call('return_result', {
      method: 'POST',
      path: '/v2.0/return/result',
      token: oob,
      json: { claim_bank_tran_date: str(claim, 'bank_tran_date'), claim_bank_tran_id: claimTranId },
    }),
    'return/result',
  );

  // ── Reads ──
  ok(
    await call('balance', {
      method: 'GET',
      path: '/v2.0/account/balance/fin_num',
      token: hong,
      query: { bank_tran_id: bankTranId(), fintech_use_num: hongMain, tran_dtime: tranDtime() },
    }),
    'balance',
  );
  ok(
    await call('transaction_list', {
      method: 'GET',
      path: '/v2.0/account/transaction_list/fin_num',
      token: hong,
      query: {
        bank_tran_id: bankTranId(),
        fintech_use_num: hongMain,
        inquiry_type: 'A',
        inquiry_base: 'D',
        from_date: daysAgo(3),
        to_date: today(),
        sort_order: 'D',
        tran_dtime: tranDtime(),
        befor_inquiry_trace_info: '',
      },
    }),
    'transaction_list',
  );
  ok(
    await call('real_name', {
      method: 'POST',
      path: '/v2.0/inquiry/real_name',
      token: oob,
      json: {
        bank_tran_id: bankTranId(),
        bank_code_std: HONG.accounts[0]!.bankCode,
        account_num: HONG.accounts[0]!.accountNum,
        account_holder_info_type: ' ',
        account_holder_info: HONG.birthDate.replace(/-/g, '').slice(2),
        tran_dtime: tranDtime(),
      },
    }),
    'real_name',
  );
  ok(
    await call('remit_list', {
      method: 'POST',
      path: '/v2.0/inquiry/remit_list',
      token: oob,
      json: {
        bank_tran_id: bankTranId(),
        bank_code_std: COLLECTING.bankCode,
        account_num: COLLECTING.accountNum,
        from_date: today(),
        from_time: '000000',
        to_date: today(),
        to_time: '235959',
        sort_order: 'D',
        befor_inquiry_trace_info: '',
        tran_dtime: tranDtime(),
      },
    }),
    'remit_list',
  );
  ok(
    await call('fds_detect', {
      method: 'GET',
      path: '/v2.0/inquiry/fds_detect',
      token: oob,
      query: { inquiry_date: today(), from_time: '000000', to_time: '235959' },
    }),
    'fds_detect',
  );
  ok(await call('bank_status', { method: 'GET', path: '/v2.0/bank/status', token: oob }), 'bank/status');
  ok(
    await call('wd_limit', {
      method: 'GET',
      path: '/v2.0/manage/wd_limit',
      token: oob,
      query: { bank_tran_id: bankTranId(), tran_dtime: tranDtime() },
    }),
    'wd_limit',
  );
  ok(
    await call('fee', {
      method: 'GET',
      path: '/v2.0/manage/fee',
      token: oob,
      query: { from_date: today(), to_date: today() },
    }),
    'fee',
  );
  ok(
    await call('count', { method: 'GET', path: '/v2.0/manage/count', token: oob, query: { inquiry_date: today() } }),
    'count',
  );
  ok(
    await call('user_remain_amt', {
      method: 'GET',
      path: '/v2.0/transfer/user_remain_amt',
      token: hong,
      query: { user_seq_no: HONG.userSeqNo },
    }),
    'user_remain_amt',
  );

  // ── Calls that end something ──
  ok(
    await call('account_cancel', {
      method: 'POST',
      path: '/v2.0/account/cancel',
      token: hong,
      json: { bank_tran_id: bankTranId(), scope: 'inquiry', fintech_use_num: hongOther },
    }),
    'account/cancel',
  );
  ok(
    await call('user_unlink', {
      method: 'POST',
      path: '/v2.0/user/unlink',
      token: heo,
      json: { client_use_code: DEMO_SANDBOX.clientUseCode, user_seq_no: HEO.userSeqNo },
    }),
    'user/unlink',
  );
  ok(
    await call('user_close', {
      method: 'POST',
      path: '/v2.0/user/close',
      token: kim,
      json: { client_use_code: DEMO_SANDBOX.clientUseCode, user_seq_no: KIM.userSeqNo },
    }),
    'user/close',
  );

  // In registry order, so the file reads like the page.
  const missing = ENDPOINTS.filter((e) => !out[e.key]).map((e) => e.key);
  if (missing.length > 0) throw new Error(`no example recorded for ${missing.join(', ')}`);
  return aliasFintechNumbers(Object.fromEntries(ENDPOINTS.map((e) => [e.key, out[e.key]!])));
}

/**
 * The authorize pages as a browser drives them (cookies, CSRF): 홍길동 signs in, keeps the offered
 * accounts and consents. Records oauth_authorize as the first request and the final redirect to the
 * callback; returns the code.
 */
async function authorizeThroughPages(
  app: FastifyInstance,
  clock: ExamplesClock,
  out: Record<string, DocsExample>,
): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: LightMyRequestResponse) => {
    for (const c of res.cookies as { name: string; value: string }[]) cookies.set(c.name, c.value);
    return res;
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (url: string) => {
    clock.tick();
    return keep(await app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
  };
  const post = async (url: string, html: string, fields: Record<string, string | string[]>) => {
    clock.tick();
    const body = new URLSearchParams();
    body.append('_csrf', /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '');
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return keep(
      await app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  };
  const query = {
    response_type: 'code',
    client_id: DEMO_SANDBOX.clientId,
    redirect_uri: DEMO_SANDBOX.callbackUrl,
    scope: 'login inquiry transfer',
    state: STATE,
    auth_type: '0',
    lang: 'kor',
  };
  const login = await get(`/oauth/2.0/authorize?${new URLSearchParams(query).toString()}`);
  if (login.statusCode !== 200) throw new Error(`authorize: HTTP ${login.statusCode} ${login.body.slice(0, 300)}`);
  const flow = /name="flow" value="([^"]+)"/.exec(login.body)?.[1] ?? '';
  let res = await post('/oauth/2.0/authorize/login', login.body, {
    flow,
    login_id: 'hong',
    password: TEST_PERSON_PASSWORD,
  });
  if (res.statusCode !== 303) throw new Error(`authorize/login: HTTP ${res.statusCode}`);
  let page = await get(res.headers.location as string);
  if (/action="\/oauth\/2.0\/authorize\/accounts"/.test(page.body)) {
    const ids = [...page.body.matchAll(/name="account_id" value="([^"]+)"[^>]*checked/g)].map((m) => m[1]!);
    res = await post('/oauth/2.0/authorize/accounts', page.body, { flow, account_id: ids });
    if (res.statusCode !== 303) throw new Error(`authorize/accounts: HTTP ${res.statusCode}`);
    page = await get(res.headers.location as string);
  }
  const ars = /id="ars_code-hint"[^>]*>[^<]*?(\d{2})/.exec(page.body)?.[1] ?? '';
  res = await post('/oauth/2.0/authorize/consent', page.body, {
    flow,
    agree_service: 'Y',
    agree_inquiry: 'Y',
    agree_transfer: 'Y',
    transfer_method: 'ars',
    ars_code: ars,
  });
  if (res.statusCode !== 303) throw new Error(`authorize/consent: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
  const location = res.headers.location as string;
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  out.oauth_authorize = normaliseExample({
    request: { method: 'GET', path: '/oauth/2.0/authorize', query },
    response: { status: res.statusCode, headers: { location } },
  });
  return code;
}
