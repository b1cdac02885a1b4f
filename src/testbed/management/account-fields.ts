// How a registered account is printed in user/me and account/list (§4 field details).
import { bankCodeSub, bankName, maskAccountNum } from '../ledger/banks';
import type { RegisteredAccount } from '../users/service';

export function accountItem(a: RegisteredAccount, opts: { withState: boolean }): Record<string, string> {
  const item: Record<string, string> = {
    fintech_use_num: a.fintechUseNum,
    account_alias: a.accountAlias ?? '',
    bank_code_std: a.bankCode,
    bank_code_sub: bankCodeSub(a.bankCode),
    bank_name: bankName(a.bankCode),
    savings_bank_name: '',
    account_num_masked: maskAccountNum(a.accountNum),
    account_seq: '',
    account_holder_name: a.holderName,
    account_holder_type: 'P',
    account_type: a.accountType,
    inquiry_agree_yn: a.inquiryAgreeYn,
    inquiry_agree_dtime: a.inquiryAgreeYn === 'Y' ? (a.inquiryAgreeDtime ?? '') : '',
    transfer_agree_yn: a.transferAgreeYn,
    transfer_agree_dtime: a.transferAgreeYn === 'Y' ? (a.transferAgreeDtime ?? '') : '',
    payer_num: '',
  };
  if (opts.withState) item.account_state = a.state;
  return item;
}
