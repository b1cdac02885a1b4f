// 입금이체 deposit/fin_num and deposit/acnt_num: the organization's paying account pays each item of
// req_list to a registered fintech number or to a bank account by number (acnt_num checks the holder's
// name unless name_check_option=off). The whole request runs in ONE transaction: every bank_tran_id
// claimed, the organization's limits checked on the total (a refusal refuses everything), then each item
// moved or refused by its bank and recorded, so transfer/result reports each item's original outcome.
import type { TestbedCaller } from '../common/token-guard';
import { checkBankTranId, claimBankTranId } from '../common/bank-tran-id';
import { bankLeg, kstDate } from '../common/envelope';
import { KftcError, rspMessage } from '../common/kftc-error';
import { LimitExceeded, PassPhraseMismatch, StillProcessing } from '../common/kftc-refusals';
import { formatError } from '../common/request-fields';
import { bankCodeSub, bankName, isKnownBank, maskAccountNum } from '../ledger/banks';
import { LedgerRefusal, type BankAccount } from '../ledger/service';
import { PASS_PHRASE_MARKER, TIMEOUT_SETTLE_SECONDS } from '../scenarios/catalogue';
import {
  amountOutcome,
  isBankUnderMaintenance,
  isPassPhraseRefused,
  isTimeoutAmount,
  markerOutcome,
  type ForcedOutcome,
} from '../scenarios/scenario-triggers';
import { MAINTENANCE_REFUSAL, bankAnswer, bankRspCodeFor, ledgerRefusalOutcome } from './bank-answers';
import { requireContractAccount, requireRegisteredAccount } from './consent-checks';
import { type Parsed, textField as s } from './field-specs';
import { checkRequestingClient } from './requesting-client';
import type { ServicesContext } from './services-context';
import { depositLimitRefusal, usageKeys } from './transfer-limits';

interface DepositTarget {
  item: Parsed;
  index: number;
  bankTranId: string;
  amount: number;
  bankCode: string;
  accountNum: string;
  account: BankAccount | undefined;
  fintechUseNum: string;
  alias: string;
  givenName: string;
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

export async function deposit(ctx: ServicesContext, caller: TestbedCaller, p: Parsed, variant: 'fin_num' | 'acnt_num') {
  const items = p.req_list as Parsed[];
  if (Number(p.req_cnt) !== items.length) throw formatError('req_cnt', `req_list 건수(${items.length})와 같아야 함`);
  // Any pass phrase is accepted: the public material shows clients sending their own in the sandbox and
  // nothing of the test bed refusing them (reference §8). A0307 stays reachable by scenario (#A0307).
  if (isPassPhraseRefused(s(p, 'wd_pass_phrase')))
    throw new PassPhraseMismatch({}, `wd_pass_phrase ${PASS_PHRASE_MARKER}: 시나리오`);
  const echo = { cntr_account_num: s(p, 'cntr_account_num') };
  const paying = await requireContractAccount(ctx, caller, p, 'deposit_paying', echo);
  const targets: DepositTarget[] = [];
  for (const [index, item] of items.entries()) {
    let bankTranId: string;
    try {
      bankTranId = checkBankTranId(item.bank_tran_id, caller.clientUseCode);
    } catch (err) {
      if (err instanceof KftcError)
        throw formatError(
          `req_list[${index}].bank_tran_id`,
          err.rspMessage.replace(/^.*\[bank_tran_id: (.*)\]$/, '$1'),
        );
      throw err;
    }
    checkRequestingClient(item, `req_list[${index}].`);
    const itemEcho = { tran_no: s(item, 'tran_no'), bank_tran_id: bankTranId };
    if (variant === 'fin_num') {
      const acc = await requireRegisteredAccount(ctx, caller, s(item, 'fintech_use_num'), 'deposit', itemEcho);
      targets.push({
        item,
        index,
        bankTranId,
        amount: item.tran_amt as number,
        bankCode: acc.bankCode,
        accountNum: acc.accountNum,
        account: await ctx.ledger.findAccount(acc.bankAccountId),
        fintechUseNum: acc.fintechUseNum,
        alias: acc.accountAlias ?? '',
        givenName: '',
      });
    } else {
      const bankCode = s(item, 'bank_code_std');
      if (!isKnownBank(bankCode)) throw formatError(`req_list[${index}].bank_code_std`, '참가은행 코드가 아님');
      const account = await ctx.ledger.findAccountInWorld(caller.organizationId, bankCode, s(item, 'account_num'));
      targets.push({
        item,
        index,
        bankTranId,
        amount: item.tran_amt as number,
        bankCode,
        accountNum: s(item, 'account_num'),
        account: account?.purpose === 'system' ? undefined : account,
        fintechUseNum: '',
        alias: '',
        givenName: s(item, 'account_holder_name'),
      });
    }
  }
  const now = ctx.clock();
  const date = kstDate(now);
  const wdPrint = s(p, 'wd_print_content');
  const nameCheck = s(p, 'name_check_option') !== 'off';
  const keys = usageKeys(caller.organizationId, date);
  const total = targets.reduce((sum, t) => sum + t.amount, 0);

  const results = await ctx.db.transaction(async (trx) => {
    for (const t of targets)
      await claimBankTranId(trx, {
        organizationId: caller.organizationId,
        clientUseCode: caller.clientUseCode,
        bankTranId: t.bankTranId,
        date,
      });
    const usage = await ctx.repo.lockUsage(trx, keys);
    const limit = depositLimitRefusal(
      ctx.limits,
      {
        dailyOrg: usage.get(`${keys[0]![0]}|${keys[0]![1]}`)?.dpAmt ?? 0,
        monthlyOrg: usage.get(`${keys[1]![0]}|${keys[1]![1]}`)?.dpAmt ?? 0,
      },
      total,
    );
    if (limit) throw new LimitExceeded(limit.rspCode, echo);
    const out: { target: DepositTarget; forced: ForcedOutcome | null; processing: boolean }[] = [];
    let moved = 0;
    for (const t of targets) {
      const printContent = s(t.item, 'print_content');
      const summary = {
        bank_code_tran: t.bankCode,
        wd_bank_code_std: paying.bankCode,
        wd_bank_name: bankName(paying.bankCode),
        wd_fintech_use_num: '',
        wd_account_num_masked: maskAccountNum(paying.accountNum),
        wd_print_content: wdPrint,
        wd_account_holder_name: paying.holderName,
        dps_bank_code_std: t.bankCode,
        dps_bank_name: bankName(t.bankCode),
        dps_fintech_use_num: t.fintechUseNum,
        dps_account_num_masked: maskAccountNum(t.accountNum),
        dps_print_content: printContent,
        dps_account_holder_name: t.account?.holderName ?? t.givenName,
        tran_amt: String(t.amount),
      };
      const base = {
        kind: 'deposit' as const,
        amount: t.amount,
        organizationId: caller.organizationId,
        userSeqNo: t.account?.userSeqNo ?? null,
        bankTranId: t.bankTranId,
        bankTranDate: date,
        dpsFintechUseNum: t.fintechUseNum || null,
        wdPrintContent: wdPrint || printContent,
        dpsPrintContent: printContent,
        responseSummary: summary,
        requestSummary: {
          tran_no: s(t.item, 'tran_no'),
          bank_code_std: t.bankCode,
          account_num: t.accountNum,
          account_holder_name: t.givenName,
          fintech_use_num: t.fintechUseNum,
          tran_amt: String(t.amount),
        },
      };
      const timeout = isTimeoutAmount(t.amount);
      const marker = markerOutcome(printContent, wdPrint);
      let forced: ForcedOutcome | null =
        (marker?.bankRspCode ? marker : null) ??
        (isBankUnderMaintenance(t.bankCode) ? MAINTENANCE_REFUSAL : null) ??
        (!t.account ? { rspCode: 'A0002', bankRspCode: bankRspCodeFor('missing') } : null) ??
        (variant === 'acnt_num' && nameCheck && t.account && !sameName(t.givenName, t.account.holderName)
          ? { rspCode: 'A0312', bankRspCode: '815' }
          : null) ??
        amountOutcome(t.amount);
      if (!forced && t.account) {
        try {
          await ctx.ledger.transfer(
            {
              ...base,
              fromAccountId: paying.id,
              toAccountId: t.account.id,
              status: timeout ? 'processing' : 'settled',
              settlesAt: timeout ? new Date(now.getTime() + TIMEOUT_SETTLE_SECONDS * 1000).toISOString() : null,
            },
            trx,
          );
          moved += t.amount;
          out.push({ target: t, forced: null, processing: timeout });
          continue;
        } catch (err) {
          if (!(err instanceof LedgerRefusal)) throw err;
          forced = ledgerRefusalOutcome(err);
        }
      }
      const f = forced!;
      await ctx.ledger.recordRefusal(
        {
          ...base,
          fromAccountId: paying.id,
          toAccountId: t.account?.id ?? null,
          rspCode: f.rspCode,
          rspMessage: rspMessage(f.rspCode),
          ...bankAnswer(f),
        },
        trx,
      );
      out.push({ target: t, forced: f, processing: false });
    }
    if (moved > 0) await ctx.repo.addUsage(trx, keys, 'dp', moved);
    return out;
  });

  // A timeout means the gateway never got the bank's answer: the caller must ask transfer/result.
  if (results.some((r) => r.processing)) throw new StillProcessing(echo);
  const ok = results.filter((r) => !r.forced).length;
  if (ok > 0) ctx.counter.add(caller.organizationId, date, 'deposit', ok);
  const allOk = ok === results.length;
  return Object.assign(allOk ? {} : { rsp_code: 'A0009', rsp_message: rspMessage('A0009') }, {
    wd_bank_code_std: paying.bankCode,
    wd_bank_code_sub: bankCodeSub(paying.bankCode),
    wd_bank_name: bankName(paying.bankCode),
    wd_account_num_masked: maskAccountNum(paying.accountNum),
    wd_print_content: wdPrint,
    wd_account_holder_name: paying.holderName,
    res_cnt: String(results.length),
    res_list: results.map(({ target: t, forced }) =>
      Object.assign(
        { tran_no: s(t.item, 'tran_no') },
        bankLeg({ bankTranId: t.bankTranId, bankCode: t.bankCode, date: now, ...(forced ? bankAnswer(forced) : {}) }),
        {
          fintech_use_num: t.fintechUseNum,
          account_alias: t.alias,
          bank_code_std: t.bankCode,
          bank_code_sub: bankCodeSub(t.bankCode),
          bank_name: bankName(t.bankCode),
          savings_bank_name: '',
          account_num_masked: maskAccountNum(t.accountNum),
          print_content: s(t.item, 'print_content'),
          account_holder_name: t.account?.holderName ?? t.givenName,
          tran_amt: String(t.amount),
          cms_num: '',
        },
      ),
    ),
  });
}
