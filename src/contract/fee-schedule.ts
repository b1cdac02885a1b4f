// The Open Banking usage fees (이용수수료) that a contract quotes, as data in one place. A change of fees is
// a new terms version: add a new schedule, never edit one that contracts were signed under.
interface FeeItem {
  /** Stable key, also the i18n key under contract.call_types. */
  callType: string;
  /** KRW per successful call. */
  feePerCall: number;
  /** The KFTC API paths billed as this call type (see shared/reference/kftc-openbanking-v2.md §4). */
  paths: readonly string[];
}

export interface FeeSchedule {
  termsVersion: string;
  currency: 'KRW';
  items: readonly FeeItem[];
}

const FEE_SCHEDULE_2026_1: FeeSchedule = {
  termsVersion: '2026-1',
  currency: 'KRW',
  items: [
    { callType: 'balance', feePerCall: 20, paths: ['/v2.0/account/balance/fin_num'] },
    { callType: 'transaction_list', feePerCall: 20, paths: ['/v2.0/account/transaction_list/fin_num'] },
    { callType: 'real_name', feePerCall: 30, paths: ['/v2.0/inquiry/real_name'] },
    { callType: 'remit_list', feePerCall: 30, paths: ['/v2.0/inquiry/remit_list'] },
    { callType: 'receive', feePerCall: 30, paths: ['/v2.0/inquiry/receive'] },
    { callType: 'withdraw', feePerCall: 50, paths: ['/v2.0/transfer/withdraw/fin_num'] },
    {
      callType: 'deposit',
      feePerCall: 50,
      paths: ['/v2.0/transfer/deposit/fin_num', '/v2.0/transfer/deposit/acnt_num'],
    },
  ],
};

/** The schedule new contracts are generated under. */
export const CURRENT_FEE_SCHEDULE: FeeSchedule = FEE_SCHEDULE_2026_1;
export const CURRENT_TERMS_VERSION = CURRENT_FEE_SCHEDULE.termsVersion;
