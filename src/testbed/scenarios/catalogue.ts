// The scenario catalogue: documented inputs that make the emulator answer a specific error, like a
// payment provider's test cards. It is data: the service checks it (scenario-triggers.ts) and the docs
// page renders it (titles and notes come from the 'testbed' i18n catalog, key testbed.scenario.<id>.*).

import type { BankRspCode, KftcRspCode } from '../common/kftc-error';

type TriggerKind = 'amount' | 'account' | 'marker' | 'bank_code' | 'natural' | 'clock' | 'field';

export interface Scenario {
  id: string;
  /** What the developer sends. */
  trigger: { kind: TriggerKind; value: string };
  /** The APIs where the trigger applies. */
  apis: readonly string[];
  /** The rsp_code it answers; two codes "A / B" when the trigger picks one of them (e.g. by consent). */
  rspCode: KftcRspCode | `${KftcRspCode} / ${KftcRspCode}`;
  bankRspCode?: BankRspCode;
  /** True when the real test bed's exact behaviour is not publicly documented (our best guess). */
  inferred?: boolean;
}

export const SCENARIO_ACCOUNTS = {
  closed: { bankCode: '097', accountNum: '1109990000415', holderName: '해약계좌', status: 'closed' as const },
  accident: { bankCode: '097', accountNum: '1109990000419', holderName: '사고신고', status: 'accident' as const },
  suspended: { bankCode: '097', accountNum: '1109990000420', holderName: '거래중지', status: 'suspended' as const },
  recipient: { bankCode: '097', accountNum: '1109990000000', holderName: '김수취', status: 'active' as const },
};

/** The bank that is always under maintenance (bank_status N). */
export const MAINTENANCE_BANK_CODE = '064';
/** Amounts that force a bank answer regardless of the balance. */
export const AMOUNT_INSUFFICIENT_FUNDS = 4530;
export const AMOUNT_INSUFFICIENT_AVAILABLE = 4540;
export const AMOUNT_TIMEOUT = 7001;
/** wd_pass_phrase value that a deposit refuses with A0307 (any other pass phrase is accepted). */
export const PASS_PHRASE_MARKER = '#A0307';
/** claim_message markers of return/claim and what return/result then reports. */
export const RETURN_REFUSED_MARKER = '#RTN_REFUSED';
export const RETURN_PARTIAL_MARKER = '#RTN_PARTIAL';
/** Print-content marker that makes a withdrawal show up in inquiry/fds_detect. */
export const FDS_MARKER = '#FDS';
/** Seconds (by the emulator clock) before a timed-out transfer's result becomes final in transfer/result. */
export const TIMEOUT_SETTLE_SECONDS = 10;

const TRANSFERS = [
  '/v2.0/transfer/withdraw/fin_num',
  '/v2.0/transfer/deposit/fin_num',
  '/v2.0/transfer/deposit/acnt_num',
];
const RETURNS = ['/v2.0/return/claim', '/v2.0/return/result'];
const ACCOUNT_APIS = ['/v2.0/transfer/deposit/acnt_num', '/v2.0/inquiry/real_name', '/v2.0/inquiry/receive'];

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'insufficient-funds',
    trigger: { kind: 'amount', value: String(AMOUNT_INSUFFICIENT_FUNDS) },
    apis: TRANSFERS,
    rspCode: 'A0002',
    bankRspCode: '453',
  },
  {
    id: 'insufficient-available',
    trigger: { kind: 'amount', value: String(AMOUNT_INSUFFICIENT_AVAILABLE) },
    apis: TRANSFERS,
    rspCode: 'A0002',
    bankRspCode: '454',
  },
  {
    id: 'balance-too-low',
    trigger: { kind: 'natural', value: 'tran_amt > balance_amt' },
    apis: TRANSFERS,
    rspCode: 'A0002',
    bankRspCode: '453',
  },
  {
    id: 'closed-account',
    trigger: { kind: 'account', value: `${SCENARIO_ACCOUNTS.closed.bankCode} ${SCENARIO_ACCOUNTS.closed.accountNum}` },
    apis: ACCOUNT_APIS,
    rspCode: 'A0002',
    bankRspCode: '415',
  },
  {
    id: 'closed-account-marker',
    trigger: { kind: 'marker', value: '#415' },
    apis: TRANSFERS,
    rspCode: 'A0002',
    bankRspCode: '415',
  },
  {
    id: 'accident-account',
    trigger: {
      kind: 'account',
      value: `${SCENARIO_ACCOUNTS.accident.bankCode} ${SCENARIO_ACCOUNTS.accident.accountNum}`,
    },
    apis: ACCOUNT_APIS,
    rspCode: 'A0002',
    bankRspCode: '419',
  },
  {
    id: 'accident-account-marker',
    trigger: { kind: 'marker', value: '#419' },
    apis: TRANSFERS,
    rspCode: 'A0002',
    bankRspCode: '419',
  },
  {
    id: 'suspended-account',
    trigger: {
      kind: 'account',
      value: `${SCENARIO_ACCOUNTS.suspended.bankCode} ${SCENARIO_ACCOUNTS.suspended.accountNum}`,
    },
    apis: ACCOUNT_APIS,
    rspCode: 'A0002',
    bankRspCode: '420',
  },
  {
    id: 'suspended-account-marker',
    trigger: { kind: 'marker', value: '#420' },
    apis: TRANSFERS,
    rspCode: 'A0002',
    bankRspCode: '420',
  },
  {
    id: 'bank-maintenance',
    trigger: { kind: 'bank_code', value: MAINTENANCE_BANK_CODE },
    apis: [...ACCOUNT_APIS, '/v2.0/bank/status'],
    rspCode: 'A0002',
    bankRspCode: '499',
    inferred: true,
  },
  {
    id: 'timeout-processing',
    trigger: { kind: 'amount', value: String(AMOUNT_TIMEOUT) },
    apis: TRANSFERS,
    rspCode: 'A0001',
    inferred: true,
  },
  {
    id: 'name-mismatch',
    trigger: { kind: 'natural', value: 'account_holder_name ≠ 예금주' },
    apis: ['/v2.0/transfer/deposit/acnt_num'],
    rspCode: 'A0009',
    bankRspCode: '815',
  },
  {
    id: 'per-transfer-limit',
    trigger: { kind: 'natural', value: 'tran_amt > 1000000' },
    apis: ['/v2.0/transfer/withdraw/fin_num'],
    rspCode: 'A0111',
    bankRspCode: '455',
  },
  {
    id: 'daily-limit',
    trigger: { kind: 'natural', value: 'Σ tran_amt (오늘) > 5000000' },
    apis: ['/v2.0/transfer/withdraw/fin_num'],
    rspCode: 'A0112',
    bankRspCode: '456',
  },
  {
    id: 'org-daily-limit',
    trigger: { kind: 'marker', value: '#A0103' },
    apis: ['/v2.0/transfer/withdraw/fin_num'],
    rspCode: 'A0103',
  },
  {
    id: 'org-monthly-limit',
    trigger: { kind: 'marker', value: '#A0104' },
    apis: ['/v2.0/transfer/withdraw/fin_num'],
    rspCode: 'A0104',
  },
  {
    id: 'transfer-consent-expired',
    trigger: { kind: 'marker', value: '#A0319' },
    apis: ['/v2.0/transfer/withdraw/fin_num'],
    rspCode: 'A0319',
  },
  {
    id: 'pass-phrase-refused',
    trigger: { kind: 'field', value: `wd_pass_phrase=${PASS_PHRASE_MARKER}` },
    apis: ['/v2.0/transfer/deposit/fin_num', '/v2.0/transfer/deposit/acnt_num'],
    rspCode: 'A0307',
  },
  {
    id: 'return-returned',
    trigger: { kind: 'natural', value: 'return/claim (잔액 ≥ 원거래금액)' },
    apis: RETURNS,
    rspCode: 'A0000',
    inferred: true,
  },
  {
    id: 'return-partial',
    trigger: { kind: 'field', value: `claim_message ∋ ${RETURN_PARTIAL_MARKER}` },
    apis: RETURNS,
    rspCode: 'A0000',
    inferred: true,
  },
  {
    id: 'return-refused',
    trigger: { kind: 'field', value: `claim_message ∋ ${RETURN_REFUSED_MARKER}` },
    apis: RETURNS,
    rspCode: 'A0000',
    inferred: true,
  },
  {
    id: 'return-no-funds',
    trigger: { kind: 'natural', value: '수취계좌 잔액 < 원거래금액' },
    apis: RETURNS,
    rspCode: 'A0000',
    bankRspCode: '453',
    inferred: true,
  },
  {
    id: 'fds-marker',
    trigger: { kind: 'marker', value: FDS_MARKER },
    apis: ['/v2.0/transfer/withdraw/fin_num', '/v2.0/inquiry/fds_detect'],
    rspCode: 'A0000',
    inferred: true,
  },
  {
    id: 'fds-rapid-withdrawals',
    trigger: { kind: 'natural', value: '한 계좌 10분 내 출금 5건' },
    apis: ['/v2.0/inquiry/fds_detect'],
    rspCode: 'A0000',
    inferred: true,
  },
  {
    id: 'fds-just-under-limit',
    trigger: { kind: 'natural', value: 'tran_amt 950000 ~ 1000000' },
    apis: ['/v2.0/inquiry/fds_detect'],
    rspCode: 'A0000',
    inferred: true,
  },
  {
    id: 'consent-expired-clock',
    trigger: { kind: 'clock', value: 'inquiry/transfer_agree_dtime + 1년' },
    apis: [
      '/v2.0/account/balance/fin_num',
      '/v2.0/account/transaction_list/fin_num',
      '/v2.0/transfer/withdraw/fin_num',
    ],
    rspCode: 'A0316 / A0319',
  },
];

/** Print-content markers (wd_print_content, dps_print_content, print_content) and what they force. */
export const MARKERS: Readonly<Record<string, { rspCode: KftcRspCode; bankRspCode?: BankRspCode }>> = {
  '#415': { rspCode: 'A0002', bankRspCode: '415' },
  '#419': { rspCode: 'A0002', bankRspCode: '419' },
  '#420': { rspCode: 'A0002', bankRspCode: '420' },
  '#A0103': { rspCode: 'A0103' },
  '#A0104': { rspCode: 'A0104' },
  '#A0319': { rspCode: 'A0319' },
};
