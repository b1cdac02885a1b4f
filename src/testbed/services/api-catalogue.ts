// Every service API of the emulator as data: method, path, scopes, request fields and documentation.
// routes.ts registers them; the OpenAPI document and the docs page are generated from the same list.
import { f, PASS_THROUGH_FIELDS, REQ_CLIENT_FIELDS, type FieldSpec } from './field-specs';
import { ACCOUNT_HOLDER_INFO_TYPES } from './holder-info-types';

export type ApiKey =
  | 'balance'
  | 'transaction_list'
  | 'real_name'
  | 'remit_list'
  | 'receive'
  | 'withdraw'
  | 'deposit_fin_num'
  | 'deposit_acnt_num'
  | 'transfer_result'
  | 'return_claim'
  | 'return_result'
  | 'fds_detect'
  | 'bank_status'
  | 'wd_limit'
  | 'fee'
  | 'count'
  | 'user_remain_amt';

export interface ApiDefinition {
  key: ApiKey;
  method: 'GET' | 'POST';
  path: string;
  scopes: readonly string[];
  title: string; // Korean name as KFTC calls it
  summary: string;
  fields: readonly FieldSpec[];
  /** Top-level response fields besides the common envelope (documentation). */
  response: readonly string[];
  /** The request and answer fields themselves are a guess (no public field list). */
  inferred?: boolean;
  /** What this API does that the public material does not pin down (rules, values), shown marked *inferred*. */
  inferredNote?: string;
}

const BANK_LEG = ['bank_tran_id', 'bank_tran_date', 'bank_code_tran', 'bank_rsp_code', 'bank_rsp_message'];

const CNTR: readonly FieldSpec[] = [
  f.oneOf('cntr_account_type', ['N', 'C'], true, 'N 계좌 / C 계정'),
  f.accountNum('cntr_account_num'),
];

const DEPOSIT_COMMON: readonly FieldSpec[] = [
  ...CNTR,
  {
    name: 'wd_pass_phrase',
    required: true,
    rule: { max: 320 },
    description:
      '입금이체용 암호문구 (test bed: any value is accepted, "NONE" as in KFTC\'s samples; "#A0307" answers A0307)',
    example: 'NONE',
  },
  f.printContent('wd_print_content', false),
  f.oneOf('name_check_option', ['on', 'off'], false, '수취인 성명 검증 여부 (default on)'),
  f.tranDtime,
  {
    name: 'req_cnt',
    required: true,
    rule: { max: 2, pattern: /^\d+$/, format: '숫자' },
    description: '요청건수 (= req_list length, ≤ 25)',
    example: '1',
  },
  ...PASS_THROUGH_FIELDS,
];

const DEPOSIT_ITEM_COMMON: readonly FieldSpec[] = [
  {
    name: 'tran_no',
    required: true,
    rule: { max: 5, pattern: /^\d+$/, format: '숫자' },
    description: '거래순번',
    example: '1',
  },
  f.bankTranId,
  f.printContent('print_content', true),
  f.tranAmt(),
  ...REQ_CLIENT_FIELDS,
];

export const APIS: readonly ApiDefinition[] = [
  {
    key: 'balance',
    method: 'GET',
    path: '/v2.0/account/balance/fin_num',
    scopes: ['inquiry'],
    title: '잔액조회',
    summary: "Balance of a registered account (needs the user's inquiry consent).",
    fields: [f.bankTranId, f.fintechUseNum(), f.tranDtime],
    response: [
      ...BANK_LEG,
      'bank_name',
      'savings_bank_name',
      'fintech_use_num',
      'balance_amt',
      'available_amt',
      'account_type',
      'product_name',
      'account_issue_date',
      'maturity_date',
      'last_tran_date',
    ],
  },
  {
    key: 'transaction_list',
    method: 'GET',
    path: '/v2.0/account/transaction_list/fin_num',
    scopes: ['inquiry'],
    title: '거래내역조회',
    summary: 'Statement of a registered account, 25 rows a page; pass befor_inquiry_trace_info back for the next page.',
    fields: [
      f.bankTranId,
      f.fintechUseNum(),
      f.oneOf('inquiry_type', ['A', 'I', 'O'], true, 'A 전체 / I 입금 / O 출금'),
      f.oneOf('inquiry_base', ['D', 'T'], true, 'D 일자 / T 시간'),
      f.date('from_date'),
      f.time('from_time', false),
      f.date('to_date'),
      f.time('to_time', false),
      f.oneOf('sort_order', ['D', 'A'], true, 'D 내림차순 / A 오름차순'),
      f.tranDtime,
      {
        name: 'befor_inquiry_trace_info',
        required: false,
        rule: { max: 20 },
        description:
          '직전조회추적정보 (paging cursor from the previous page; "", "123" or any value the emulator did not issue = first page)',
      },
    ],
    response: [
      ...BANK_LEG,
      'bank_name',
      'savings_bank_name',
      'fintech_use_num',
      'balance_amt',
      'page_record_cnt',
      'next_page_yn',
      'befor_inquiry_trace_info',
      'res_list[tran_date, tran_time, inout_type, tran_type, print_content, tran_amt, after_balance_amt, branch_name]',
    ],
  },
  {
    key: 'real_name',
    method: 'POST',
    path: '/v2.0/inquiry/real_name',
    scopes: ['oob'],
    title: '계좌실명조회',
    summary: "Holder name of any account, checked against the holder's birth date or business number.",
    fields: [
      f.bankTranId,
      f.bankCode('bank_code_std'),
      f.accountNum('account_num'),
      { name: 'account_seq', required: false, rule: { max: 3 }, description: '회차번호' },
      f.oneOf(
        'account_holder_info_type',
        ACCOUNT_HOLDER_INFO_TYPES,
        false,
        '예금주 인증정보 구분: " " 생년월일 (missing = " "; "0" too) / 1 주민등록번호 / 2 외국인등록번호 / 3 국내거소신고번호 / 4 조합주민번호 / 5 여권번호 / 6 사업자등록번호 / E 기타 / N 미입력',
      ),
      {
        name: 'account_holder_info',
        required: false,
        rule: { max: 20 },
        description:
          '생년월일 6자리 / 주민등록번호 등 13자리 / 사업자등록번호 10자리 (checked against the holder for " ", 0, 1, 6; may be empty with N)',
        example: '880101',
      },
      f.tranDtime,
    ],
    response: [
      ...BANK_LEG,
      'bank_code_std',
      'bank_code_sub',
      'bank_name',
      'savings_bank_name',
      'account_num',
      'account_seq',
      'account_holder_info_type',
      'account_holder_info',
      'account_holder_name',
      'account_type',
    ],
  },
  {
    key: 'remit_list',
    method: 'POST',
    path: '/v2.0/inquiry/remit_list',
    scopes: ['oob'],
    title: '송금인정보조회',
    summary:
      "Who paid into the organization's own receiving account (its registered withdrawal collection account), 25 rows a page like the transaction list.",
    inferredNote:
      'remitter_account_num is masked like account_num_masked; a befor_inquiry_trace_info the emulator did not issue is the first page.',
    fields: [
      f.bankTranId,
      { ...f.bankCode('bank_code_std'), description: '이용기관 수납계좌 은행코드' },
      {
        ...f.accountNum('account_num'),
        description: '이용기관 수납계좌번호 (the registered withdrawal collection account; else A0322)',
      },
      f.date('from_date'),
      f.time('from_time', false),
      f.date('to_date'),
      f.time('to_time', false),
      f.oneOf('sort_order', ['D', 'A'], false, 'D 내림차순 (default) / A 오름차순'),
      {
        name: 'befor_inquiry_trace_info',
        required: false,
        rule: { max: 20 },
        description: '직전조회추적정보 (paging cursor from the previous page; anything else = first page)',
      },
      f.tranDtime,
    ],
    response: [
      ...BANK_LEG,
      'bank_code_std',
      'account_num',
      'bank_name',
      'savings_bank_name',
      'balance_amt',
      'total_record_cnt',
      'page_record_cnt',
      'next_page_yn',
      'befor_inquiry_trace_info',
      'res_list[tran_date, tran_time, tran_type, print_content, tran_amt, after_balance_amt, branch_name, remitter_name, remitter_bank_code, remitter_account_num]',
    ],
  },
  {
    key: 'receive',
    method: 'POST',
    path: '/v2.0/inquiry/receive',
    scopes: ['oob'],
    title: '수취조회',
    summary: 'Checks a recipient account (and shows its holder) before a deposit from the registered paying account.',
    fields: [
      f.bankTranId,
      ...CNTR,
      f.bankCode('bank_code_std'),
      f.accountNum('account_num'),
      { name: 'account_seq', required: false, rule: { max: 3 }, description: '회차번호' },
      f.printContent('print_content', true),
      f.tranAmt(),
      { ...f.tranDtime, required: false },
      ...REQ_CLIENT_FIELDS,
    ],
    response: [
      ...BANK_LEG,
      'bank_code_std',
      'bank_code_sub',
      'bank_name',
      'savings_bank_name',
      'account_num',
      'account_seq',
      'account_num_masked',
      'print_content',
      'account_holder_name',
      'wd_bank_code_std',
      'wd_bank_name',
      'wd_account_num',
      'tran_amt',
      'cms_num',
    ],
  },
  {
    key: 'withdraw',
    method: 'POST',
    path: '/v2.0/transfer/withdraw/fin_num',
    scopes: ['transfer'],
    title: '출금이체',
    summary:
      "Moves money from the user's registered account to the organization's registered collection account (needs withdrawal consent).",
    fields: [
      f.bankTranId,
      ...CNTR,
      f.printContent('dps_print_content', true),
      f.fintechUseNum(),
      f.printContent('wd_print_content', false),
      f.tranAmt(),
      f.tranDtime,
      { ...REQ_CLIENT_FIELDS[0]!, required: true },
      ...REQ_CLIENT_FIELDS.slice(1, 4),
      { ...REQ_CLIENT_FIELDS[4]!, required: true },
      { ...REQ_CLIENT_FIELDS[5]!, required: true },
      ...PASS_THROUGH_FIELDS,
    ],
    response: [
      'dps_bank_code_std',
      'dps_bank_code_sub',
      'dps_bank_name',
      'dps_account_num_masked',
      'dps_print_content',
      'dps_account_holder_name',
      ...BANK_LEG,
      'fintech_use_num',
      'account_alias',
      'bank_code_std',
      'bank_code_sub',
      'bank_name',
      'savings_bank_name',
      'account_num_masked',
      'print_content',
      'account_holder_name',
      'tran_amt',
      'wd_limit_remain_amt',
    ],
  },
  {
    key: 'deposit_fin_num',
    method: 'POST',
    path: '/v2.0/transfer/deposit/fin_num',
    scopes: ['oob'],
    title: '입금이체 (핀테크이용번호)',
    summary:
      "Pays registered accounts from the organization's paying account. rsp_code A0009: check each res_list item's bank_rsp_code.",
    fields: [
      ...DEPOSIT_COMMON,
      {
        name: 'req_list',
        required: true,
        type: 'list',
        maxItems: 25,
        description: '입금 요청 목록 (≤ 25)',
        items: [...DEPOSIT_ITEM_COMMON, f.fintechUseNum()],
      },
    ],
    response: [
      'wd_bank_code_std',
      'wd_bank_code_sub',
      'wd_bank_name',
      'wd_account_num_masked',
      'wd_print_content',
      'wd_account_holder_name',
      'res_cnt',
      'res_list[tran_no, bank leg, fintech_use_num, account_alias, bank_code_std, bank_code_sub, bank_name, savings_bank_name, account_num_masked, print_content, account_holder_name, tran_amt, cms_num]',
    ],
  },
  {
    key: 'deposit_acnt_num',
    method: 'POST',
    path: '/v2.0/transfer/deposit/acnt_num',
    scopes: ['oob'],
    title: '입금이체 (계좌번호)',
    summary:
      "Pays any account from the organization's paying account; the holder name is checked unless name_check_option=off.",
    fields: [
      ...DEPOSIT_COMMON,
      {
        name: 'req_list',
        required: true,
        type: 'list',
        maxItems: 25,
        description: '입금 요청 목록 (≤ 25)',
        items: [
          ...DEPOSIT_ITEM_COMMON,
          f.bankCode('bank_code_std'),
          f.accountNum('account_num'),
          f.name('account_holder_name', true, '수취인 성명'),
        ],
      },
    ],
    response: [
      'wd_bank_code_std',
      'wd_bank_code_sub',
      'wd_bank_name',
      'wd_account_num_masked',
      'wd_print_content',
      'wd_account_holder_name',
      'res_cnt',
      'res_list[tran_no, bank leg, bank_code_std, bank_code_sub, bank_name, savings_bank_name, account_num_masked, print_content, account_holder_name, tran_amt, cms_num]',
    ],
  },
  {
    key: 'transfer_result',
    method: 'POST',
    path: '/v2.0/transfer/result',
    scopes: ['oob'],
    title: '이체결과조회',
    summary: 'The original outcome of earlier transfers (≤ 25), including those answered A0001 (processing).',
    fields: [
      f.oneOf('check_type', ['1', '2'], true, '1 출금 / 2 입금'),
      f.tranDtime,
      {
        name: 'req_cnt',
        required: true,
        rule: { max: 2, pattern: /^\d+$/, format: '숫자' },
        description: '요청건수',
        example: '1',
      },
      {
        name: 'req_list',
        required: true,
        type: 'list',
        maxItems: 25,
        description: '조회 목록 (≤ 25)',
        items: [
          {
            name: 'tran_no',
            required: true,
            rule: { max: 5, pattern: /^\d+$/, format: '숫자' },
            description: '거래순번',
            example: '1',
          },
          { ...f.bankTranId, name: 'org_bank_tran_id', description: '원거래 거래고유번호' },
          f.date('org_bank_tran_date'),
          f.tranAmt('org_tran_amt'),
        ],
      },
    ],
    response: [
      'res_cnt',
      'res_list[tran_no, bank leg, wd_bank_code_std, wd_bank_code_sub, wd_bank_name, wd_savings_bank_name, wd_fintech_use_num, wd_account_num_masked, wd_print_content, wd_account_holder_name, dps_bank_code_std, dps_bank_code_sub, dps_bank_name, dps_savings_bank_name, dps_fintech_use_num, dps_account_num_masked, dps_print_content, dps_account_holder_name, tran_amt]',
    ],
  },
  {
    key: 'return_claim',
    method: 'POST',
    path: '/v2.0/return/claim',
    scopes: ['oob'],
    title: '자금반환청구',
    summary:
      'Claims a mistaken deposit back from its recipient into the paying account; ask return/result for the outcome.',
    inferredNote:
      "The claim settles at once (the real one takes days): in full, half with #RTN_PARTIAL in claim_message, refused with #RTN_REFUSED or when the recipient's balance is too low. org_dps_account_num derived from the fintech number is masked.",
    fields: [
      f.bankTranId,
      f.date('org_bank_tran_date'),
      { ...f.bankTranId, name: 'org_bank_tran_id', description: '원거래 거래고유번호' },
      {
        ...f.bankCode('org_dps_bank_code_std', false),
        description: '원거래 입금은행 (with org_dps_account_num, or send org_dps_fintech_use_num alone)',
      },
      {
        ...f.accountNum('org_dps_account_num', false),
        description: '원거래 입금계좌번호 (with org_dps_bank_code_std)',
      },
      {
        ...f.fintechUseNum('org_dps_fintech_use_num', false),
        description: '원거래 입금 핀테크이용번호 (in place of bank + account; the bank is derived)',
      },
      f.tranAmt('org_tran_amt'),
      f.bankCode('org_wd_bank_code_std'),
      { name: 'claim_code', required: true, rule: { max: 10 }, description: '청구사유코드', example: '01' },
      {
        name: 'claim_message',
        required: false,
        rule: { max: 100 },
        description: '청구사유 (scenario markers #RTN_PARTIAL, #RTN_REFUSED)',
      },
      f.oneOf('total_return_yn', ['Y', 'N'], true, '전액반환여부'),
      f.accountNum('return_account_num', false),
      { name: 'use_org_contact', required: false, rule: { max: 20 }, description: '이용기관 연락처' },
      { name: 'use_org_email', required: false, rule: { max: 100 }, description: '이용기관 이메일' },
    ],
    response: [
      'dps_bank_code_std',
      ...BANK_LEG,
      'wd_bank_code_std',
      'wd_bank_code_sub',
      'wd_bank_name',
      'org_bank_tran_date',
      'org_bank_tran_id',
      'org_dps_bank_code_std',
      'org_dps_account_num',
      'org_dps_fintech_use_num',
      'org_tran_amt',
      'return_account_num',
    ],
  },
  {
    key: 'return_result',
    method: 'POST',
    path: '/v2.0/return/result',
    scopes: ['oob'],
    title: '자금반환결과조회',
    summary: "The outcome of a return claim, by the claim's own bank_tran_date and bank_tran_id.",
    inferredNote:
      'return_fail_code values (499 수취인 반환 거부, 453 잔액 부족); an unknown claim answers A0310; org_tran_amt is an extra field.',
    fields: [
      f.date('claim_bank_tran_date'),
      { ...f.bankTranId, name: 'claim_bank_tran_id', description: '자금반환청구의 거래고유번호' },
    ],
    response: [
      'claim_bank_tran_date',
      'claim_bank_tran_id',
      'claim_normal_yn',
      'claim_bank_rsp_code',
      'claim_bank_rsp_message',
      'return_yn',
      'return_fail_code',
      'return_fail_message',
      'total_return_yn',
      'return_amt',
      'return_date',
      'org_tran_amt',
    ],
  },
  {
    key: 'fds_detect',
    method: 'GET',
    path: '/v2.0/inquiry/fds_detect',
    scopes: ['oob'],
    title: '이상금융거래 탐지내역 조회',
    summary:
      "Suspicious withdrawals the emulator's own FDS rules found in the organization's traffic on one day (at most 100; cnt_exceed_yn Y when there were more).",
    inferredNote:
      "The rules are the emulator's: FDS01 five withdrawals from one account within 10 minutes; FDS02 a withdrawal of 95–100 % of the per-transfer limit; FDS99 a withdrawal with #FDS in a print content. account_num is masked.",
    fields: [f.date('inquiry_date'), f.time('from_time', false), f.time('to_time', false)],
    response: [
      'cnt_exceed_yn',
      'res_cnt',
      'res_list[detect_time, policy_rule, user_seq_no, bank_code, account_num, fintech_use_num, tran_amt]',
    ],
  },
  {
    key: 'bank_status',
    method: 'GET',
    path: '/v2.0/bank/status',
    scopes: ['oob'],
    title: '참가은행상태조회',
    summary: 'Which participating banks are available (bank_status Y) or under maintenance (N).',
    fields: [],
    inferredNote:
      'bank_type values: 1 bank, 2 mutual-finance and other deposit-taking institutions (012, 045, 048, 050, 064, 071).',
    response: ['res_cnt', 'res_list[bank_type, bank_code_std, bank_name, bank_status]'],
  },
  {
    key: 'wd_limit',
    method: 'GET',
    path: '/v2.0/manage/wd_limit',
    scopes: ['oob'],
    title: '이용기관 출금한도조회',
    summary:
      "Per participating bank: the organization's daily withdrawal limit, today's withdrawals from accounts at that bank and the per-transfer limit.",
    inferredNote:
      'The sandbox limits are the same at every bank; the organization-wide totals (client_use_code … user_day_wd_limit_amt) are extra fields beside the list.',
    fields: [
      { ...f.bankTranId, required: false },
      { ...f.tranDtime, required: false },
    ],
    response: [
      'res_cnt',
      'res_list[bank_code_std, day_wd_limit_amt, day_wd_amt, perc_wd_limit_amt]',
      'client_use_code',
      'day_wd_limit_amt',
      'day_wd_amt',
      'day_wd_remain_amt',
      'month_wd_limit_amt',
      'month_wd_amt',
      'month_wd_remain_amt',
      'day_dps_limit_amt',
      'day_dps_amt',
      'month_dps_limit_amt',
      'month_dps_amt',
      'user_once_wd_limit_amt',
      'user_day_wd_limit_amt',
    ],
  },
  {
    key: 'fee',
    method: 'GET',
    path: '/v2.0/manage/fee',
    scopes: ['oob'],
    title: '수수료조회',
    summary:
      "Fees for the organization's successful calls per API over a date range (≤ 31 days; sandbox fee schedule).",
    inferredNote:
      "api_manage_id is the emulator's API key (balance, withdraw, …); hdl_agt_fee is half of use_org_fee; api_name, tran_cnt, unit_fee_amt and the totals are extra fields.",
    fields: [f.date('from_date'), f.date('to_date')],
    response: [
      'res_cnt',
      'res_list[api_manage_id, use_org_fee, hdl_agt_fee, api_name, tran_cnt, unit_fee_amt]',
      'from_date',
      'to_date',
      'total_fee_amt',
    ],
  },
  {
    key: 'count',
    method: 'GET',
    path: '/v2.0/manage/count',
    scopes: ['oob'],
    title: '집계조회',
    summary: "The organization's successful calls per API on one day, and the amount moved by transfers.",
    inferredNote:
      "api_manage_id is the emulator's API key; normal_tran_amt is 0 for inquiries; api_name, inquiry_date and total_cnt are extra fields.",
    fields: [f.date('inquiry_date')],
    response: [
      'res_cnt',
      'res_list[api_manage_id, normal_count, normal_tran_amt, api_name]',
      'inquiry_date',
      'total_cnt',
    ],
  },
  {
    key: 'user_remain_amt',
    method: 'GET',
    path: '/v2.0/transfer/user_remain_amt',
    scopes: ['transfer'],
    title: '사용자 잔여이체한도',
    inferred: true,
    summary: "The user's daily withdrawal limit, today's withdrawals and what remains.",
    fields: [
      {
        name: 'user_seq_no',
        required: true,
        rule: { length: 10, pattern: /^\d{10}$/, format: '숫자 10자리' },
        description: '사용자일련번호',
        example: '1100000001',
      },
    ],
    response: ['user_seq_no', 'day_wd_limit_amt', 'day_wd_amt', 'wd_limit_remain_amt'],
  },
];
