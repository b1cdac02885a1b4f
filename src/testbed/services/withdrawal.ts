// 출금이체 withdraw/fin_num: money moves from a user's registered account to the organization's collection
// account. The handler reads and checks the request (bank_tran_id format, requesting client, registration
// and transfer consent, the #A0319 marker, the contract account — in that order), builds the ledger
// movement (withdrawJob), and hands it to the shared write batch (write-batch.ts), which claims the
// bank_tran_id, applies the limits, scenarios and balances and records the outcome in one transaction.
import type { TestbedCaller } from '../common/token-guard';
import { checkBankTranId } from '../common/bank-tran-id';
import { bankLeg, kstDate } from '../common/envelope';
import {
  BankRefused,
  BankTranIdReused,
  StillProcessing,
  TransferConsentExpired,
  refusalOf,
} from '../common/kftc-refusals';
import { bankCodeSub, bankName, maskAccountNum } from '../ledger/banks';
import type { BankAccount, TransferInput } from '../ledger/service';
import { TIMEOUT_SETTLE_SECONDS } from '../scenarios/catalogue';
import { isTimeoutAmount, markerOutcome } from '../scenarios/scenario-triggers';
import { checkContractAccount, checkRegisteredAccount } from './consent-checks';
import { type Parsed, textField as s } from './field-specs';
import type { RegisteredFintechAccount } from './repository';
import { checkRequestingClient } from './requesting-client';
import type { ServicesContext } from './services-context';
import { usageKeys } from './transfer-limits';
import { submitWithdrawal, type WithdrawJob, type WithdrawRequest } from './write-batch';

/** The ledger movement a checked withdrawal asks for (also what transfer/result reports later). */
function withdrawJob(req: WithdrawRequest, acc: RegisteredFintechAccount, collecting: BankAccount): WithdrawJob {
  const { p, amount, fintechUseNum, caller, now, date } = req;
  const wdPrint = s(p, 'wd_print_content') || s(p, 'dps_print_content');
  const dpsPrint = s(p, 'dps_print_content');
  const timeout = isTimeoutAmount(amount);
  const summary = {
    bank_code_tran: acc.bankCode,
    wd_bank_code_std: acc.bankCode,
    wd_bank_name: bankName(acc.bankCode),
    wd_fintech_use_num: fintechUseNum,
    wd_account_num_masked: maskAccountNum(acc.accountNum),
    wd_print_content: wdPrint,
    wd_account_holder_name: acc.holderName,
    dps_bank_code_std: collecting.bankCode,
    dps_bank_name: bankName(collecting.bankCode),
    dps_fintech_use_num: '',
    dps_account_num_masked: maskAccountNum(collecting.accountNum),
    dps_print_content: dpsPrint,
    dps_account_holder_name: collecting.holderName,
    tran_amt: String(amount),
  };
  const transfer: TransferInput = {
    kind: 'withdraw',
    amount,
    organizationId: caller.organizationId,
    userSeqNo: acc.userSeqNo,
    bankTranId: req.bankTranId,
    bankTranDate: date,
    wdFintechUseNum: fintechUseNum,
    wdPrintContent: wdPrint,
    dpsPrintContent: dpsPrint,
    responseSummary: summary,
    requestSummary: {
      fintech_use_num: fintechUseNum,
      cntr_account_num: s(p, 'cntr_account_num'),
      tran_amt: String(amount),
      req_client_name: s(p, 'req_client_name'),
    },
    fromAccountId: acc.bankAccountId,
    toAccountId: collecting.id,
    status: timeout ? 'processing' : 'settled',
    settlesAt: timeout ? new Date(now.getTime() + TIMEOUT_SETTLE_SECONDS * 1000).toISOString() : null,
  };
  return { req, acc, collecting, keys: usageKeys(caller.organizationId, date, acc.userSeqNo), transfer };
}

export async function withdraw(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  checkRequestingClient(p);
  const amount = p.tran_amt as number;
  const fintechUseNum = s(p, 'fintech_use_num');
  const echo = { bank_tran_id: bankTranId, fintech_use_num: fintechUseNum, tran_amt: String(amount) };
  // Checks on what the request names (read outside the write transaction, batched with other calls):
  // registration and consent, then the scenario marker for expired consent, then the contract account.
  // Both lookups go out at once (each joins its own batch), but their refusals keep this order.
  const registered = ctx.registeredAccounts.submit({ fintechUseNum, withLastTranDate: false });
  const contract = ctx.contractAccounts.submit({
    organizationId: caller.organizationId,
    purpose: 'withdraw_collecting',
    accountNum: String(p.cntr_account_num ?? ''),
  });
  contract.catch(() => undefined); // read below, or abandoned when the registration check refuses first
  const acc = checkRegisteredAccount(await registered, caller, 'transfer', echo, ctx.clock());
  const marker = markerOutcome(s(p, 'wd_print_content'), s(p, 'dps_print_content'));
  if (marker && marker.rspCode === 'A0319') throw new TransferConsentExpired(echo);
  const collecting = checkContractAccount(await contract, echo);
  const now = ctx.clock();
  const date = kstDate(now);
  const job = withdrawJob({ caller, p, bankTranId, amount, fintechUseNum, echo, marker, now, date }, acc, collecting);

  const outcome = await submitWithdrawal(ctx, job);

  if (outcome.kind === 'duplicate') throw new BankTranIdReused();
  const { transfer } = outcome.job;
  if (outcome.kind === 'refused') {
    const f = outcome.forced;
    if (!f.bankRspCode) throw refusalOf(f.rspCode, echo);
    throw new BankRefused({
      rspCode: f.rspCode,
      bankRspCode: f.bankRspCode,
      bankTranId,
      bankCode: acc.bankCode,
      now,
      echo,
    });
  }
  if (transfer.status === 'processing') throw new StillProcessing(echo);
  ctx.counter.add(caller.organizationId, date, 'withdraw');
  return Object.assign(
    {
      dps_bank_code_std: collecting.bankCode,
      dps_bank_code_sub: bankCodeSub(collecting.bankCode),
      dps_bank_name: bankName(collecting.bankCode),
      dps_account_num_masked: maskAccountNum(collecting.accountNum),
      dps_print_content: transfer.dpsPrintContent,
      dps_account_holder_name: collecting.holderName,
    },
    bankLeg({ bankTranId, bankCode: acc.bankCode, date: now }),
    {
      fintech_use_num: fintechUseNum,
      account_alias: acc.accountAlias ?? '',
      bank_code_std: acc.bankCode,
      bank_code_sub: bankCodeSub(acc.bankCode),
      bank_name: bankName(acc.bankCode),
      savings_bank_name: '',
      account_num_masked: maskAccountNum(acc.accountNum),
      print_content: transfer.wdPrintContent,
      account_holder_name: acc.holderName,
      tran_amt: String(amount),
      wd_limit_remain_amt: String(outcome.remain),
    },
  );
}
