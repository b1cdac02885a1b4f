// Every endpoint the emulator serves, described once as data: OAuth (authorize pages, token per grant
// type, the sandbox shortcut), the management APIs and the service APIs (from ../services/api-catalogue).
// The /docs page and the OpenAPI document (/docs/testbed/openapi.json) are generated from this list; every
// description is an i18n key of the 'testbed' catalog (testbed.endpoint.<key>.*, testbed.field.<name>,
// testbed.code_meaning.<code>), so the Korean page reads Korean and the English page English.
// test/testbed/docs/ checks that every emulator route of the fastify route table has an entry here.
import { APIS, type ApiDefinition } from '../services/api-catalogue';
import type { FieldSpec } from '../services/field-specs';
import { SCENARIOS } from '../scenarios/catalogue';

type DocTag = 'oauth' | 'management' | 'services';

export interface DocField {
  name: string;
  type: 'string' | 'number' | 'array' | 'object';
  /** "20" exactly, "≤ 16" at most (characters). */
  length?: string;
  required: boolean;
  /** Allowed values, when a closed set. */
  values?: readonly string[];
  example?: string;
  items?: DocField[];
  /** i18n key of this field's meaning in this API, when the shared testbed.field.<name> would be wrong here. */
  meaningKey?: string;
}

interface DocCode {
  code: string;
  /** i18n key saying why this endpoint answers it (default: the code's meaning only). */
  why?: string;
  bank?: string;
}

export interface DocEndpoint {
  key: string;
  method: 'GET' | 'POST';
  path: string;
  tag: DocTag;
  /** Token scopes the call needs ('sa' may stand in for user and oob scopes); [] when no token. */
  scopes: readonly string[];
  /** How the request is sent. */
  request: 'query' | 'form' | 'json' | 'browser';
  fields: DocField[];
  /** Request headers (beyond Authorization). */
  headers?: DocField[];
  response: DocField[];
  codes: DocCode[];
  inferred?: boolean;
  /** Has testbed.endpoint.<key>.inferred (rules the public material does not pin down). */
  inferredNote?: boolean;
  /** Other served routes this entry documents (the authorize flow's page steps). */
  covers?: { method: string; path: string }[];
  /** Several entries may share one method + path (the token endpoint per grant type). */
  variantOf?: string;
}

const s = (name: string, required: boolean, length?: string, extra: Partial<DocField> = {}): DocField => ({
  name,
  type: 'string',
  required,
  ...(length ? { length } : {}),
  ...extra,
});
const ENVELOPE: DocField[] = [
  s('api_tran_id', true, '≤ 40'),
  s('api_tran_dtm', true, '17'),
  s('rsp_code', true, '5'),
  s('rsp_message', true, '≤ 300'),
];
const BANK_LEG = ['bank_tran_id', 'bank_tran_date', 'bank_code_tran', 'bank_rsp_code', 'bank_rsp_message'];

/** Codes any Bearer-token call can answer (token guard, method, format, internal error). */
const BEARER_CODES: DocCode[] = [
  { code: 'O0001', why: 'testbed.why.no_bearer' },
  { code: 'O0002', why: 'testbed.why.token_rejected' },
  { code: 'O0003', why: 'testbed.why.token_expired' },
  { code: 'O0011', why: 'testbed.why.scope' },
  { code: 'O0010', why: 'testbed.why.method' },
  { code: 'A0004', why: 'testbed.why.format' },
  { code: 'A0003', why: 'testbed.why.internal' },
];

// ── OAuth ──────────────────────────────────────────────────────────────────────────────────────────
const YN = ['Y', 'N'];
const AUTHORIZE_STEPS = ['login', 'accounts', 'consent', 'cancel'].flatMap((step) => [
  { method: 'GET', path: `/oauth/2.0/authorize/${step}` },
  { method: 'POST', path: `/oauth/2.0/authorize/${step}` },
]);
const CLIENT = [s('client_id', true, '≤ 100'), s('client_secret', true, '≤ 200')];
const TOKEN_CODES_COMMON: DocCode[] = [
  { code: 'O0001', why: 'testbed.why.token_params' },
  { code: 'O0001', why: 'testbed.why.client_invalid' },
  { code: 'O0010', why: 'testbed.why.method' },
];
const USER_TOKEN_RESPONSE = [
  s('access_token', true),
  s('token_type', true, undefined, { values: ['Bearer'] }),
  s('refresh_token', true),
  { name: 'expires_in', type: 'number', required: true } as DocField,
  s('scope', true),
  s('user_seq_no', true, '10'),
];

const OAUTH: DocEndpoint[] = [
  {
    key: 'oauth_authorize',
    method: 'GET',
    path: '/oauth/2.0/authorize',
    tag: 'oauth',
    scopes: [],
    request: 'browser',
    covers: AUTHORIZE_STEPS,
    inferredNote: true,
    fields: [
      s('response_type', true, undefined, { values: ['code'] }),
      s('client_id', true, '≤ 100'),
      s('redirect_uri', true, '≤ 500'),
      s('scope', true, undefined, { example: 'login inquiry transfer' }),
      s('state', true, '32'),
      s('auth_type', true, '1', { values: ['0', '2'] }),
      s('client_info', false, '≤ 256'),
      s('lang', false, undefined, { values: ['kor', 'eng'] }),
      s('cellphone_cert_yn', false, '1', { values: YN }),
      s('authorized_cert_yn', false, '1', { values: YN }),
      s('account_hold_auth_yn', false, '1', { values: YN }),
      s('register_info', false, '1', { values: ['A'] }),
      ...[
        'client_device_type',
        'client_device_ip',
        'client_device_mac',
        'client_device_id',
        'client_device_num',
        'client_device_version',
      ].map((n) => s(n, false)),
    ],
    headers: [
      s('Kftc-Bfop-UserSeqNo', false, '10'),
      s('Kftc-Bfop-UserCI', false, '88'),
      s('Kftc-Bfop-AccessToken', false),
    ],
    response: [
      s('code', true),
      s('scope', true),
      s('client_info', false),
      s('state', true),
      s('error', false, undefined, {
        values: ['access_denied', 'invalid_request', 'unsupported_response_type', 'invalid_scope'],
      }),
      s('error_description', false),
    ],
    codes: [
      { code: 'invalid_request', why: 'testbed.why.authorize_invalid_request' },
      { code: 'unsupported_response_type', why: 'testbed.why.authorize_response_type' },
      { code: 'invalid_scope', why: 'testbed.why.authorize_scope' },
      { code: 'access_denied', why: 'testbed.why.authorize_denied' },
    ],
  },
  {
    key: 'token_authorization_code',
    method: 'POST',
    path: '/oauth/2.0/token',
    tag: 'oauth',
    scopes: [],
    request: 'form',
    fields: [
      s('grant_type', true, undefined, { values: ['authorization_code'] }),
      s('code', true, '≤ 200'),
      ...CLIENT,
      s('redirect_uri', true, '≤ 500'),
    ],
    response: USER_TOKEN_RESPONSE,
    codes: [
      ...TOKEN_CODES_COMMON,
      { code: 'O0001', why: 'testbed.why.code_invalid' },
      { code: 'O0001', why: 'testbed.why.redirect_mismatch' },
    ],
  },
  {
    key: 'token_refresh_token',
    method: 'POST',
    path: '/oauth/2.0/token',
    tag: 'oauth',
    scopes: [],
    request: 'form',
    variantOf: 'token_authorization_code',
    fields: [
      s('grant_type', true, undefined, { values: ['refresh_token'] }),
      ...CLIENT,
      s('refresh_token', true, '≤ 300'),
      s('scope', false),
    ],
    response: USER_TOKEN_RESPONSE,
    codes: [
      ...TOKEN_CODES_COMMON,
      { code: 'O0001', why: 'testbed.why.refresh_invalid' },
      { code: 'O0011', why: 'testbed.why.refresh_scope' },
    ],
  },
  {
    key: 'token_client_credentials',
    method: 'POST',
    path: '/oauth/2.0/token',
    tag: 'oauth',
    scopes: [],
    request: 'form',
    variantOf: 'token_authorization_code',
    fields: [
      s('grant_type', true, undefined, { values: ['client_credentials'] }),
      ...CLIENT,
      s('scope', true, undefined, { values: ['oob', 'sa'] }),
    ],
    response: [
      s('access_token', true),
      s('token_type', true, undefined, { values: ['Bearer'] }),
      { name: 'expires_in', type: 'number', required: true },
      s('scope', true),
      s('client_use_code', true, '10'),
    ],
    codes: [
      ...TOKEN_CODES_COMMON,
      { code: 'O0001', why: 'testbed.why.user_scope_2legged' },
      { code: 'O0011', why: 'testbed.why.sa_not_allowed' },
    ],
  },
  {
    key: 'sandbox_authorize',
    method: 'POST',
    path: '/testbed/sandbox/authorize',
    tag: 'oauth',
    scopes: [],
    request: 'form',
    fields: [
      ...CLIENT,
      s('user_seq_no', true, '10'),
      s('scope', true, undefined, { example: 'login inquiry transfer' }),
      s('redirect_uri', true, '≤ 500'),
    ],
    response: [s('code', true), s('scope', true), s('user_seq_no', true, '10')],
    codes: [
      ...TOKEN_CODES_COMMON,
      { code: 'O0001', why: 'testbed.why.shortcut_scope' },
      { code: 'O0001', why: 'testbed.why.redirect_mismatch' },
      { code: 'A0337', why: 'testbed.why.user_unknown' },
      { code: 'A0014', why: 'testbed.why.user_closed' },
    ],
  },
];

// ── Management (scope login) ───────────────────────────────────────────────────────────────────────
const ACCOUNT_ITEM = [
  'fintech_use_num',
  'account_alias',
  'bank_code_std',
  'bank_code_sub',
  'bank_name',
  'savings_bank_name',
  'account_num_masked',
  'account_seq',
  'account_holder_name',
  'account_holder_type',
  'account_type',
  'inquiry_agree_yn',
  'inquiry_agree_dtime',
  'transfer_agree_yn',
  'transfer_agree_dtime',
  'payer_num',
];
const USER_CODES: DocCode[] = [
  { code: 'A0313', why: 'testbed.why.other_user' },
  { code: 'A0337', why: 'testbed.why.user_unknown' },
  { code: 'A0014', why: 'testbed.why.user_closed' },
];
const FINTECH_CODES: DocCode[] = [
  { code: 'A0304', why: 'testbed.why.fintech_unknown' },
  { code: 'A0323', why: 'testbed.why.fintech_other' },
];
const list = (name: string, items: string[]): DocField => ({
  name,
  type: 'array',
  required: true,
  items: items.map((n) => s(n, true)),
});

const MANAGEMENT: DocEndpoint[] = [
  {
    key: 'user_me',
    method: 'GET',
    path: '/v2.0/user/me',
    tag: 'management',
    scopes: ['login'],
    request: 'query',
    fields: [s('user_seq_no', true, '10')],
    response: [
      ...ENVELOPE,
      s('user_seq_no', true, '10'),
      s('user_ci', true, '88'),
      s('user_name', true),
      s('res_cnt', true),
      list('res_list', ACCOUNT_ITEM),
      ...['inquiry_card', 'inquiry_pay', 'inquiry_insurance', 'inquiry_loan'].flatMap((p) => [
        s(`${p}_cnt`, true),
        list(`${p}_list`, []),
      ]),
    ],
    codes: [...BEARER_CODES, ...USER_CODES],
  },
  {
    key: 'account_list',
    method: 'GET',
    path: '/v2.0/account/list',
    tag: 'management',
    scopes: ['login'],
    request: 'query',
    inferredNote: true,
    fields: [
      s('user_seq_no', true, '10'),
      s('include_cancel_yn', false, '1', { values: YN }),
      s('sort_order', false, '1', { values: ['D', 'A'] }),
    ],
    response: [
      ...ENVELOPE,
      s('user_name', true),
      s('res_cnt', true),
      list('res_list', [...ACCOUNT_ITEM, 'account_state']),
    ],
    codes: [...BEARER_CODES, ...USER_CODES],
  },
  {
    key: 'account_update_info',
    method: 'POST',
    path: '/v2.0/account/update_info',
    tag: 'management',
    scopes: ['login'],
    request: 'json',
    fields: [s('fintech_use_num', true, '24'), s('account_alias', true, '≤ 50')],
    response: [...ENVELOPE, s('fintech_use_num', true, '24'), s('account_alias', true)],
    codes: [...BEARER_CODES, ...FINTECH_CODES],
  },
  {
    key: 'account_cancel',
    method: 'POST',
    path: '/v2.0/account/cancel',
    tag: 'management',
    scopes: ['login'],
    request: 'json',
    fields: [
      s('bank_tran_id', true, '20'),
      s('scope', true, undefined, { values: ['inquiry', 'transfer'] }),
      s('fintech_use_num', true, '24'),
    ],
    response: [...ENVELOPE, ...BANK_LEG.map((n) => s(n, true))],
    codes: [
      ...BEARER_CODES,
      ...FINTECH_CODES,
      { code: 'A0305', why: 'testbed.why.cancel_inquiry_not_agreed' },
      { code: 'A0306', why: 'testbed.why.cancel_transfer_not_agreed' },
      { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
    ],
  },
  {
    key: 'user_unlink',
    method: 'POST',
    path: '/v2.0/user/unlink',
    tag: 'management',
    scopes: ['login'],
    request: 'json',
    inferredNote: true,
    fields: [s('client_use_code', true, '10'), s('user_seq_no', true, '10')],
    response: [...ENVELOPE, s('client_use_code', true, '10'), s('user_seq_no', true, '10')],
    codes: [...BEARER_CODES, { code: 'A0004', why: 'testbed.why.client_use_code' }, ...USER_CODES],
  },
  {
    key: 'user_close',
    method: 'POST',
    path: '/v2.0/user/close',
    tag: 'management',
    scopes: ['login'],
    request: 'json',
    inferredNote: true,
    fields: [s('client_use_code', true, '10'), s('user_seq_no', true, '10')],
    response: [...ENVELOPE, s('client_use_code', true, '10'), s('user_seq_no', true, '10')],
    codes: [...BEARER_CODES, { code: 'A0004', why: 'testbed.why.client_use_code' }, ...USER_CODES],
  },
];

// ── Service APIs (from the API catalogue) ──────────────────────────────────────────────────────────
function fromSpec(f: FieldSpec): DocField {
  if (f.type === 'list')
    return {
      name: f.name,
      type: 'array',
      required: f.required,
      length: `≤ ${f.maxItems ?? 25}`,
      items: (f.items ?? []).map(fromSpec),
    };
  const r = f.rule;
  const length = r?.length ? String(r.length) : r?.max ? `≤ ${r.max}` : f.type === 'amount' ? '≤ 12' : undefined;
  return {
    name: f.name,
    type: 'string',
    required: f.required,
    ...(length ? { length } : {}),
    ...(r?.oneOf ? { values: [...r.oneOf] } : {}),
    ...(f.example ? { example: f.example } : {}),
  };
}

function responseOf(api: ApiDefinition): DocField[] {
  const out = [...ENVELOPE];
  for (const name of api.response) {
    const m = /^(\w+)\[(.*)\]$/.exec(name);
    if (m)
      out.push(
        list(
          m[1]!,
          m[2]!
            .split(',')
            .map((n) => n.trim())
            .flatMap((n) => (n === 'bank leg' ? BANK_LEG : [n])),
        ),
      );
    else out.push(s(name, true));
  }
  return out;
}

/** Codes each service API can answer besides the Bearer ones and the scenario catalogue's. */
const SERVICE_CODES: Record<string, DocCode[]> = {
  balance: [
    ...FINTECH_CODES,
    { code: 'A0305', why: 'testbed.why.inquiry_consent' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  transaction_list: [
    ...FINTECH_CODES,
    { code: 'A0305', why: 'testbed.why.inquiry_consent' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  real_name: [
    { code: 'A0002', bank: '412', why: 'testbed.why.no_account' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  remit_list: [
    { code: 'A0322', why: 'testbed.why.contract_account' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  receive: [
    { code: 'A0322', why: 'testbed.why.contract_account' },
    { code: 'A0002', bank: '412', why: 'testbed.why.no_account' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  withdraw: [
    ...FINTECH_CODES,
    { code: 'A0306', why: 'testbed.why.transfer_consent' },
    { code: 'A0322', why: 'testbed.why.contract_account' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  deposit_fin_num: [
    { code: 'A0322', why: 'testbed.why.contract_account' },
    { code: 'A0009', why: 'testbed.why.check_items' },
    { code: 'A0101', why: 'testbed.why.org_deposit_limit' },
    { code: 'A0102', why: 'testbed.why.org_deposit_limit' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  deposit_acnt_num: [
    { code: 'A0322', why: 'testbed.why.contract_account' },
    { code: 'A0009', why: 'testbed.why.check_items' },
    { code: 'A0101', why: 'testbed.why.org_deposit_limit' },
    { code: 'A0102', why: 'testbed.why.org_deposit_limit' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  transfer_result: [{ code: 'A0009', why: 'testbed.why.check_items' }],
  return_claim: [
    { code: 'A0310', why: 'testbed.why.no_transfer' },
    { code: 'A0326', why: 'testbed.why.duplicate_bank_tran_id' },
  ],
  return_result: [{ code: 'A0310', why: 'testbed.why.no_claim' }],
  fds_detect: [],
  bank_status: [],
  wd_limit: [],
  fee: [],
  count: [],
  user_remain_amt: [...USER_CODES],
};

/** The scenario catalogue's answers for an API path (each with the scenario's title as its reason). */
function scenarioCodes(path: string): DocCode[] {
  return SCENARIOS.filter((sc) => sc.apis.includes(path) && sc.rspCode !== 'A0000').flatMap((sc) =>
    sc.rspCode.split(' / ').map((code) => ({
      code,
      ...(sc.bankRspCode ? { bank: sc.bankRspCode } : {}),
      why: `testbed.scenario.${sc.id}.title`,
    })),
  );
}

const SERVICES: DocEndpoint[] = APIS.map((api) => ({
  key: api.key,
  method: api.method,
  path: api.path,
  tag: 'services' as const,
  scopes: api.scopes,
  request: api.method === 'GET' ? ('query' as const) : ('json' as const),
  fields: api.fields.map(fromSpec),
  response: responseOf(api),
  codes: [...BEARER_CODES, ...(SERVICE_CODES[api.key] ?? []), ...scenarioCodes(api.path)],
  ...(api.inferred ? { inferred: true } : {}),
  ...(api.inferredNote ? { inferredNote: true } : {}),
}));

// ── Meanings that depend on the API ────────────────────────────────────────────────────────────────
// The same field name means different accounts in different APIs (account_num in remit_list is the
// fintech's own collection account; cntr_account_num is the collection account in a withdrawal and the
// paying account in a deposit). Each path listed here (list items as "req_list.account_num") is described by
// testbed.endpoint.<key>.request.<path> / .response.<path> ("." written "__") instead of testbed.field.<name>.
const OWN_MEANINGS: Record<string, { request?: readonly string[]; response?: readonly string[] }> = {
  token_refresh_token: { request: ['scope'] },
  token_client_credentials: { request: ['scope'] },
  account_update_info: { request: ['fintech_use_num', 'account_alias'] },
  account_cancel: { request: ['scope', 'fintech_use_num'] },
  balance: { request: ['fintech_use_num'] },
  transaction_list: { request: ['fintech_use_num'] },
  real_name: { request: ['bank_code_std', 'account_num', 'account_holder_info'], response: ['account_holder_name'] },
  remit_list: {
    request: ['bank_code_std', 'account_num'],
    response: [
      'bank_code_std',
      'account_num',
      'balance_amt',
      'res_list.print_content',
      'res_list.tran_amt',
      'res_list.after_balance_amt',
    ],
  },
  receive: {
    request: ['cntr_account_num', 'bank_code_std', 'account_num', 'print_content', 'tran_amt'],
    response: ['account_num_masked', 'account_holder_name', 'wd_bank_code_std', 'wd_bank_name', 'wd_account_num'],
  },
  withdraw: {
    request: ['cntr_account_num', 'dps_print_content', 'fintech_use_num', 'wd_print_content', 'tran_amt'],
    response: [
      'dps_account_num_masked',
      'dps_account_holder_name',
      'account_num_masked',
      'account_holder_name',
      'print_content',
    ],
  },
  deposit_fin_num: {
    request: [
      'cntr_account_num',
      'wd_print_content',
      'req_list.fintech_use_num',
      'req_list.print_content',
      'req_list.tran_amt',
    ],
    response: [
      'wd_account_num_masked',
      'wd_account_holder_name',
      'res_list.account_num_masked',
      'res_list.account_holder_name',
    ],
  },
  deposit_acnt_num: {
    request: [
      'cntr_account_num',
      'wd_print_content',
      'req_list.bank_code_std',
      'req_list.account_num',
      'req_list.account_holder_name',
      'req_list.print_content',
      'req_list.tran_amt',
    ],
    response: [
      'wd_account_num_masked',
      'wd_account_holder_name',
      'res_list.account_num_masked',
      'res_list.account_holder_name',
    ],
  },
  return_claim: { request: ['return_account_num'] },
  fds_detect: { response: ['res_list.bank_code', 'res_list.account_num'] },
  wd_limit: { response: ['res_list.day_wd_limit_amt', 'res_list.day_wd_amt', 'day_wd_limit_amt', 'day_wd_amt'] },
  user_remain_amt: { response: ['day_wd_limit_amt', 'day_wd_amt'] },
};

/** i18n key segment of a field path ("req_list.account_num" → "req_list__account_num"). */
function meaningPathKey(path: string): string {
  return path.replace(/\./g, '__');
}

function withOwnMeanings(e: DocEndpoint): DocEndpoint {
  const own = OWN_MEANINGS[e.key];
  if (!own) return e;
  const apply = (
    fields: readonly DocField[],
    side: 'request' | 'response',
    paths: readonly string[],
    prefix = '',
  ): DocField[] =>
    fields.map((f) => {
      const path = `${prefix}${f.name}`;
      return {
        ...f,
        ...(paths.includes(path) ? { meaningKey: `testbed.endpoint.${e.key}.${side}.${meaningPathKey(path)}` } : {}),
        ...(f.items ? { items: apply(f.items, side, paths, `${path}.`) } : {}),
      };
    });
  const out = {
    ...e,
    fields: apply(e.fields, 'request', own.request ?? []),
    response: apply(e.response, 'response', own.response ?? []),
  };
  // A listed path that names no field is a typo: fail at load, not with a silently generic text.
  const seen = new Set<string>();
  const walk = (fs: readonly DocField[]) => {
    for (const f of fs) {
      if (f.meaningKey) seen.add(f.meaningKey);
      walk(f.items ?? []);
    }
  };
  walk(out.fields);
  walk(out.response);
  for (const side of ['request', 'response'] as const) {
    for (const path of own[side] ?? [])
      if (!seen.has(`testbed.endpoint.${e.key}.${side}.${meaningPathKey(path)}`))
        throw new Error(`OWN_MEANINGS.${e.key}.${side}: no field ${path}`);
  }
  return out;
}

export const ENDPOINTS: readonly DocEndpoint[] = [...OAUTH, ...MANAGEMENT, ...SERVICES].map(withOwnMeanings);

/** The i18n key that describes a field where it appears (its own meaning in this API, else the shared one). */
export function fieldMeaningKey(f: DocField): string {
  return f.meaningKey ?? `testbed.field.${fieldKey(f.name)}`;
}

/** Every field name the registry uses (request, headers, response, list items): each has testbed.field.<name>. */
function fieldNames(): string[] {
  const names = new Set<string>();
  const walk = (fs: readonly DocField[]) => {
    for (const f of fs) {
      names.add(f.name);
      if (f.items) walk(f.items);
    }
  };
  for (const e of ENDPOINTS) {
    walk(e.fields);
    walk(e.headers ?? []);
    walk(e.response);
  }
  return [...names].sort();
}

/** Every i18n key the registry needs, for the catalog test. */
export function registryMessageKeys(): string[] {
  const keys = new Set<string>();
  for (const e of ENDPOINTS) {
    keys.add(`testbed.endpoint.${e.key}.title`);
    keys.add(`testbed.endpoint.${e.key}.summary`);
    if (e.inferredNote) keys.add(`testbed.endpoint.${e.key}.inferred`);
    for (const c of e.codes) if (c.why) keys.add(c.why);
    const walk = (fs: readonly DocField[]) => {
      for (const f of fs) {
        if (f.meaningKey) keys.add(f.meaningKey);
        walk(f.items ?? []);
      }
    };
    walk(e.fields);
    walk(e.response);
  }
  for (const n of fieldNames()) keys.add(`testbed.field.${fieldKey(n)}`);
  return [...keys].sort();
}

/** i18n key segment of a field name (header names have capitals and hyphens). */
function fieldKey(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}
