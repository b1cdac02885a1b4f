// Inquiry APIs: balance, transaction_list (inquiry scope, a user's registered account) and real_name,
// remit_list, receive (oob scope, any account). The bank_tran_id is claimed last, after every check,
// so a refused inquiry writes nothing.
import type { TestbedCaller } from '../common/token-guard';
import { checkBankTranId } from '../common/bank-tran-id';
import { BankRefused, BankTranIdReused, ContractAccountUnregistered, type Echo } from '../common/kftc-refusals';
import { bankLeg, kstDate } from '../common/envelope';
import { formatError } from '../common/request-fields';
import { bankCodeSub, bankName, isKnownBank, maskAccountNum } from '../ledger/banks';
import type { BankAccount } from '../ledger/service';
import { isBankUnderMaintenance } from '../scenarios/scenario-triggers';
import { OTHER_BANK_REFUSAL, bankRspCodeFor, refuseUnavailableAccount } from './bank-answers';
import { checkContractAccount, requireContractAccount, requireRegisteredAccount } from './consent-checks';
import { type Parsed, textField } from './field-specs';
import type { ServicesContext } from './services-context';
import { claimInquiryBankTranId } from './write-batch';
import { HOLDER_INFO_TYPES } from './holder-info-types';

const PAGE_SIZE = 25;

const s = textField;

/**
 * Claims the caller's bank_tran_id for today (format, prefix and once-a-day rules live in bank-tran-id.ts;
 * the format was checked when the request was read). Concurrent calls' claims share one write batch.
 */
async function claimCallersBankTranId(
  ctx: ServicesContext,
  caller: TestbedCaller,
  bankTranId: string,
  now: Date,
): Promise<void> {
  const won = await claimInquiryBankTranId(ctx, {
    organizationId: caller.organizationId,
    tranDate: kstDate(now),
    bankTranId: checkBankTranId(bankTranId, caller.clientUseCode),
  });
  if (!won) throw new BankTranIdReused();
}

/** bank_code_std, bank_code_sub, bank_name and savings_bank_name of an account's bank. */
function bankIdentity(bankCode: string) {
  return {
    bank_code_std: bankCode,
    bank_code_sub: bankCodeSub(bankCode),
    bank_name: bankName(bankCode),
    savings_bank_name: '',
  };
}

export async function balance(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const echo = { bank_tran_id: bankTranId, fintech_use_num: s(p, 'fintech_use_num') };
  const acc = await requireRegisteredAccount(ctx, caller, s(p, 'fintech_use_num'), 'inquiry', echo, {
    withLastTranDate: true,
  });
  const now = ctx.clock();
  refuseUnavailableAccount(acc, bankTranId, now, echo);
  await claimCallersBankTranId(ctx, caller, bankTranId, now);
  const lastTranDate = acc.lastTranDate;
  ctx.counter.add(caller.organizationId, kstDate(now), 'balance');
  return Object.assign(bankLeg({ bankTranId, bankCode: acc.bankCode, date: now }), {
    bank_name: bankName(acc.bankCode),
    savings_bank_name: '',
    fintech_use_num: acc.fintechUseNum,
    balance_amt: String(acc.balance),
    available_amt: String(acc.balance),
    account_type: acc.accountType,
    product_name: acc.productName,
    account_issue_date: kstDate(new Date(acc.openedAt)),
    maturity_date: '',
    last_tran_date: lastTranDate ?? '',
  });
}

/** befor_inquiry_trace_info: the last row's yyyyMMddHHmmss + its sequence in base 36 (≤ 20 chars). */
function encodeCursor(stamp: string, seq: number): string {
  return `${stamp}${seq.toString(36)}`;
}
/**
 * Rule: a befor_inquiry_trace_info the emulator did not issue is the first page, not an error. Public
 * clients send "" or "123" (KFTC's own sample app's default) or values like "1T201806172" on a first call.
 */
function decodeCursor(v: string): { stamp: string; seq: number } | undefined {
  const m = /^(\d{14})([0-9a-z]{1,6})$/.exec(v);
  if (!m) return undefined;
  return { stamp: m[1]!, seq: parseInt(m[2]!, 36) };
}

export async function transactionList(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const base = s(p, 'inquiry_base');
  if (base === 'T') {
    if (!p.from_time) throw formatError('from_time', '필수 항목 누락 (inquiry_base=T)');
    if (!p.to_time) throw formatError('to_time', '필수 항목 누락 (inquiry_base=T)');
  }
  const from = s(p, 'from_date') + (base === 'T' ? s(p, 'from_time') : '000000');
  const to = s(p, 'to_date') + (base === 'T' ? s(p, 'to_time') : '235959');
  if (from > to) throw formatError('to_date', 'from_date 이후여야 함');
  const after = decodeCursor(s(p, 'befor_inquiry_trace_info'));
  const echo = { bank_tran_id: bankTranId, fintech_use_num: s(p, 'fintech_use_num') };
  const acc = await requireRegisteredAccount(ctx, caller, s(p, 'fintech_use_num'), 'inquiry', echo);
  const now = ctx.clock();
  refuseUnavailableAccount(acc, bankTranId, now, echo);
  await claimCallersBankTranId(ctx, caller, bankTranId, now);
  const order = s(p, 'sort_order') === 'A' ? 'A' : 'D';
  const rows = await ctx.repo.statement(ctx.reads, {
    accountId: acc.bankAccountId,
    inout: s(p, 'inquiry_type') as 'A' | 'I' | 'O',
    from,
    to,
    order,
    after,
    limit: PAGE_SIZE + 1,
  });
  const page = rows.slice(0, PAGE_SIZE);
  const more = rows.length > PAGE_SIZE;
  const last = page[page.length - 1];
  ctx.counter.add(caller.organizationId, kstDate(now), 'transaction_list');
  return Object.assign(bankLeg({ bankTranId, bankCode: acc.bankCode, date: now }), {
    bank_name: bankName(acc.bankCode),
    savings_bank_name: '',
    fintech_use_num: acc.fintechUseNum,
    balance_amt: String(acc.balance),
    page_record_cnt: String(page.length),
    next_page_yn: more ? 'Y' : 'N',
    befor_inquiry_trace_info: more && last ? encodeCursor(last.tran_date + last.tran_time, Number(last.seq)) : '',
    res_list: page.map((r) => ({
      tran_date: r.tran_date,
      tran_time: r.tran_time,
      inout_type: r.inout_type,
      tran_type: r.tran_type,
      print_content: r.print_content,
      tran_amt: String(Math.abs(Number(r.amount))),
      after_balance_amt: String(Number(r.balance_after)),
      branch_name: r.branch_name,
    })),
  });
}

/** The account a bank_code_std + account_num names in the caller's sandbox world, or the bank's refusal (412 / status / maintenance). */
async function findCustomerAccount(
  ctx: ServicesContext,
  caller: TestbedCaller,
  bankCode: string,
  accountNum: string,
  bankTranId: string,
  echo: Echo,
): Promise<BankAccount> {
  const now = ctx.clock();
  if (!isKnownBank(bankCode)) throw formatError('bank_code_std', '참가은행 코드가 아님', echo);
  if (isBankUnderMaintenance(bankCode))
    throw new BankRefused({ bankRspCode: OTHER_BANK_REFUSAL, bankTranId, bankCode, now, echo });
  const account = await ctx.ledger.findAccountInWorld(caller.organizationId, bankCode, accountNum, ctx.reads);
  if (!account || account.purpose === 'system')
    throw new BankRefused({ bankRspCode: bankRspCodeFor('missing'), bankTranId, bankCode, now, echo });
  refuseUnavailableAccount(account, bankTranId, now, echo);
  return account;
}

export async function realName(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const infoType = (p.account_holder_info_type as string | undefined) ?? ' ';
  const info = s(p, 'account_holder_info');
  const rule = HOLDER_INFO_TYPES[infoType]!;
  if (!rule.pattern.test(info))
    throw formatError('account_holder_info', `${rule.hint} (account_holder_info_type "${infoType}")`);
  const echo = { bank_tran_id: bankTranId, bank_code_std: s(p, 'bank_code_std'), account_num: s(p, 'account_num') };
  const account = await findCustomerAccount(ctx, caller, s(p, 'bank_code_std'), s(p, 'account_num'), bankTranId, echo);
  const now = ctx.clock();
  const given = rule.check?.(info);
  if (given) {
    const known =
      account.holderInfo ?? (account.userSeqNo ? await ctx.repo.holderBirthDate(ctx.db, account.userSeqNo) : undefined);
    const knownKind = known && known.length === 10 ? 'business' : 'birth';
    // [inferred] a real-name number that does not match the account's holder: the bank refuses (499).
    if (known && (knownKind !== given.kind || known !== given.value)) {
      throw new BankRefused({
        bankRspCode: OTHER_BANK_REFUSAL,
        bankTranId,
        bankCode: account.bankCode,
        now,
        echo: { ...echo, bank_rsp_message: '기타 처리불가 (실명번호 불일치)' },
      });
    }
  }
  await claimCallersBankTranId(ctx, caller, bankTranId, now);
  ctx.counter.add(caller.organizationId, kstDate(now), 'real_name');
  return Object.assign(bankLeg({ bankTranId, bankCode: account.bankCode, date: now }), bankIdentity(account.bankCode), {
    account_num: account.accountNum,
    account_seq: s(p, 'account_seq'),
    account_holder_info_type: infoType,
    account_holder_info: info,
    account_holder_name: account.holderName,
    account_type: account.accountType,
  });
}

/** Rule: cntr_account_num must be one of the caller's registered contract accounts of that purpose (else A0322). */
export async function receive(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const echo = {
    bank_tran_id: bankTranId,
    bank_code_std: s(p, 'bank_code_std'),
    account_num: s(p, 'account_num'),
    tran_amt: String(p.tran_amt),
  };
  const paying = await requireContractAccount(ctx, caller, p, 'deposit_paying', echo);
  const account = await findCustomerAccount(ctx, caller, s(p, 'bank_code_std'), s(p, 'account_num'), bankTranId, echo);
  const now = ctx.clock();
  await claimCallersBankTranId(ctx, caller, bankTranId, now);
  ctx.counter.add(caller.organizationId, kstDate(now), 'receive');
  return Object.assign(bankLeg({ bankTranId, bankCode: account.bankCode, date: now }), bankIdentity(account.bankCode), {
    account_num: account.accountNum,
    account_seq: s(p, 'account_seq'),
    account_num_masked: maskAccountNum(account.accountNum),
    print_content: s(p, 'print_content'),
    account_holder_name: account.holderName,
    wd_bank_code_std: paying.bankCode,
    wd_bank_name: bankName(paying.bankCode),
    // The spec's sample answer gives the organization's own paying account in full (reference §8).
    wd_account_num: paying.accountNum,
    tran_amt: String(p.tran_amt),
    cms_num: '',
  });
}

/**
 * 송금인정보조회: who paid into the organization's own receiving account (its registered withdrawal
 * collection account, named by bank_code_std + account_num; anything else → A0322), paged 25 rows at a
 * time like the transaction list (same befor_inquiry_trace_info cursor, same leniency for a cursor the
 * emulator did not issue). remitter_account_num is masked like account_num_masked [inferred].
 */
export async function remitList(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const from = s(p, 'from_date') + (s(p, 'from_time') || '000000');
  const to = s(p, 'to_date') + (s(p, 'to_time') || '235959');
  if (from > to) throw formatError('to_date', 'from_date 이후여야 함');
  const bankCode = s(p, 'bank_code_std');
  const echo = { bank_tran_id: bankTranId, bank_code_std: bankCode, account_num: s(p, 'account_num') };
  const collecting = checkContractAccount(
    await ctx.contractAccounts.submit({
      organizationId: caller.organizationId,
      purpose: 'withdraw_collecting',
      accountNum: s(p, 'account_num'),
    }),
    echo,
  );
  if (collecting.bankCode !== bankCode) throw new ContractAccountUnregistered(echo);
  const now = ctx.clock();
  await claimCallersBankTranId(ctx, caller, bankTranId, now);
  const order = s(p, 'sort_order') === 'A' ? 'A' : 'D';
  const after = decodeCursor(s(p, 'befor_inquiry_trace_info'));
  const [rows, total] = await Promise.all([
    ctx.repo.remitters(ctx.reads, { accountId: collecting.id, from, to, order, after, limit: PAGE_SIZE + 1 }),
    ctx.repo.countRemitters(ctx.reads, collecting.id, from, to),
  ]);
  const page = rows.slice(0, PAGE_SIZE);
  const more = rows.length > PAGE_SIZE;
  const last = page[page.length - 1];
  ctx.counter.add(caller.organizationId, kstDate(now), 'remit_list');
  return Object.assign(bankLeg({ bankTranId, bankCode: collecting.bankCode, date: now }), {
    bank_code_std: collecting.bankCode,
    account_num: collecting.accountNum,
    bank_name: bankName(collecting.bankCode),
    savings_bank_name: '',
    balance_amt: String(collecting.balance),
    total_record_cnt: String(total),
    page_record_cnt: String(page.length),
    next_page_yn: more ? 'Y' : 'N',
    befor_inquiry_trace_info: more && last ? encodeCursor(last.tran_date + last.tran_time, Number(last.seq)) : '',
    res_list: page.map((r) => ({
      tran_date: r.tran_date,
      tran_time: r.tran_time,
      tran_type: r.tran_type,
      print_content: r.print_content,
      tran_amt: String(Number(r.amount)),
      after_balance_amt: String(Number(r.balance_after)),
      branch_name: r.branch_name,
      remitter_name: r.remitter_name ?? '',
      remitter_bank_code: r.remitter_bank_code ?? '',
      remitter_account_num: r.remitter_account_num ? maskAccountNum(r.remitter_account_num) : '',
    })),
  });
}
