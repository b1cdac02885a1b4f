// Sandbox fee per successful call, KRW (production charges roughly 20–50 KRW a transaction). Used by
// manage/fee; the amounts are the emulator's documented choice, not KFTC's tariff.
export const FEE_PER_CALL: Readonly<Record<string, number>> = {
  balance: 10,
  transaction_list: 10,
  real_name: 20,
  remit_list: 20,
  receive: 20,
  withdraw: 40,
  deposit: 40,
};

export const API_NAMES: Readonly<Record<string, string>> = {
  balance: '잔액조회',
  transaction_list: '거래내역조회',
  real_name: '계좌실명조회',
  remit_list: '송금인정보조회',
  receive: '수취조회',
  withdraw: '출금이체',
  deposit: '입금이체',
};

/** manage/fee's hdl_agt_fee: the handling bank's share of use_org_fee (the emulator's choice, inferred). */
export const HANDLING_AGENT_SHARE = 0.5;
