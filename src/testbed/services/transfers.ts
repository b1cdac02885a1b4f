// Transfer APIs: withdraw/fin_num (user → the organization's collection account), deposit/fin_num and
// /acnt_num (the organization's paying account → recipients), transfer/result, return/claim and
// user_remain_amt. Each transfer request runs in ONE database transaction: the bank_tran_id claim, the
// limit usage (locked rows), the postings and the recorded outcome commit together or not at all.
// Concurrent withdrawals share that transaction (writer(), below), each decided as if it ran alone after
// the ones that arrived before it.
// Rule (idempotency): a bank_tran_id moves money at most once — a retry is refused with A0326 before
// anything happens, and transfer/result reports the original outcome.
import type { Knex } from 'knex';
import type { TestbedCaller } from '../common/token-guard';
import { checkBankTranId, claimBankTranId, claimBankTranIds, type BankTranIdClaim } from '../common/bank-tran-id';
import { bankLeg, kstDate } from '../common/envelope';
import { KftcError, bankMessages, messages } from '../common/kftc-error';
import { formatError } from '../common/request-fields';
import { bankCodeSub, bankName, isKnownBank, maskAccountNum } from '../ledger/banks';
import { LedgerRefusal, type BankAccount, type TransactionRow, type TransferInput } from '../ledger/service';
import { createBatcher, together, type Batcher, type ItemOutcome } from '../../db/batcher';
import type { RegisteredFintechAccount } from './repository';
import { PASS_PHRASE_MARKER, TIMEOUT_SETTLE_SECONDS } from '../scenarios/catalogue';
import {
  amountOutcome,
  isBankUnderMaintenance,
  isPassPhraseRefused,
  isTimeoutAmount,
  markerOutcome,
  returnOutcome,
  type ForcedOutcome,
} from '../scenarios/scenario-triggers';
import {
  bankRefusal,
  checkContractAccount,
  checkRegisteredAccount,
  refuse,
  requireContractAccount,
  requireRegisteredAccount,
  type ServicesContext,
} from './context';
import type { Parsed } from './field-specs';
import { depositLimitRefusal, userUsageSubject, withdrawLimitRefusal } from './transfer-limits';

function s(p: Parsed, k: string): string {
  return (p[k] as string | undefined) ?? '';
}

const REFUSAL_BANK_CODE: Record<string, string> = {
  insufficient_funds: '453',
  account_closed: '415',
  account_accident: '419',
  account_suspended: '420',
  account_missing: '412',
};

/** Rule: the requesting customer is named by bank + account number or by fintech number, never both. */
function checkRequestingClient(p: Parsed, prefix = ''): void {
  const hasAccount = Boolean(p.req_client_bank_code || p.req_client_account_num);
  if (hasAccount && p.req_client_fintech_use_num)
    throw formatError(
      `${prefix}req_client_fintech_use_num`,
      'req_client_bank_code+req_client_account_num 과 함께 보낼 수 없음',
    );
  if (Boolean(p.req_client_bank_code) !== Boolean(p.req_client_account_num)) {
    throw formatError(
      `${prefix}${p.req_client_bank_code ? 'req_client_account_num' : 'req_client_bank_code'}`,
      'req_client_bank_code 와 req_client_account_num 은 함께 보내야 함',
    );
  }
}

function bankAnswer(outcome: ForcedOutcome): { bankRspCode: string; bankRspMessage: string } {
  const code = outcome.bankRspCode ?? '';
  return { bankRspCode: code, bankRspMessage: code ? (bankMessages[code] ?? '') : (messages[outcome.rspCode] ?? '') };
}

function usageKeys(org: string, date: string, userSeqNo?: string): [string, string][] {
  const keys: [string, string][] = [];
  if (userSeqNo) keys.push([userUsageSubject(org, userSeqNo), date]);
  keys.push([`org:${org}`, date], [`org:${org}`, date.slice(0, 6)]);
  return keys;
}

/** A withdrawal request as read and format-checked by the handler, before any lookup. */
interface WithdrawRequest {
  caller: TestbedCaller;
  p: Parsed;
  bankTranId: string;
  amount: number;
  fintechUseNum: string;
  echo: Record<string, unknown>;
  marker: ForcedOutcome | null;
  now: Date;
  date: string;
}

interface WithdrawJob {
  req: WithdrawRequest;
  acc: RegisteredFintechAccount;
  collecting: BankAccount;
  keys: [string, string][];
  transfer: TransferInput;
}

type WithdrawOutcome =
  | { kind: 'moved'; job: WithdrawJob; remain: number }
  | { kind: 'refused'; job: WithdrawJob; forced: ForcedOutcome }
  | { kind: 'duplicate' };

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

/**
 * Decides and writes a batch of checked withdrawals in ONE transaction, in arrival order, with a handful
 * of multi-row statements whatever the batch size: claim every bank_tran_id (the inquiries' of this batch
 * too), lock the usage rows and the accounts involved, decide each withdrawal against the limits and
 * balances the earlier ones left, then write all transactions, postings, balances and usage. The outcome
 * of each is what one-at-a-time processing gives.
 */
async function executeWithdrawals(
  ctx: ServicesContext,
  trx: Knex.Transaction,
  jobs: WithdrawJob[],
  inquiryClaims: BankTranIdClaim[],
): Promise<{ outcomes: WithdrawOutcome[]; claimsWon: boolean[] }> {
  // The claims and the reads go out together (see together()): on SQLite the transaction took the write
  // lock at BEGIN (BEGIN IMMEDIATE, src/db/sqlite-statement-cache.ts), so nothing can change between them
  // whatever order SQLite runs them in; on PostgreSQL they run in the order sent, the claim first. The
  // usage rows and accounts of a withdrawal whose id turns out to be taken are read (and on PostgreSQL
  // locked) for nothing: cheaper than another round trip for every batch.
  const [allWon, usage, batch] = await together([
    claimBankTranIds(trx, [
      ...jobs.map((j) => ({
        organizationId: j.req.caller.organizationId,
        tranDate: j.req.date,
        bankTranId: j.req.bankTranId,
      })),
      ...inquiryClaims,
    ]),
    ctx.repo.lockUsage(
      trx,
      jobs.flatMap((j) => j.keys),
    ),
    ctx.ledger.openBatch(
      trx,
      jobs.flatMap((j) => [j.transfer.fromAccountId, j.transfer.toAccountId]),
    ),
  ]);
  const won = allWon.slice(0, jobs.length);
  const changed = new Set<string>();
  const decide = (job: WithdrawJob): WithdrawOutcome => {
    const rows = job.keys.map(([subject, date]) => usage.get(`${subject}|${date}`)!);
    const used = { dailyUser: rows[0]!.wdAmt, dailyOrg: rows[1]!.wdAmt, monthlyOrg: rows[2]!.wdAmt };
    const amount = job.req.amount;
    let forced: ForcedOutcome | null =
      job.req.marker ??
      (isBankUnderMaintenance(job.acc.bankCode) ? { rspCode: 'A0002', bankRspCode: '499' } : null) ??
      withdrawLimitRefusal(ctx.limits, used, amount) ??
      amountOutcome(amount);
    if (!forced) {
      try {
        batch.apply(job.transfer);
        rows.forEach((row, k) => {
          row.wdAmt += amount;
          row.wdCnt += 1;
          changed.add(`${job.keys[k]![0]}|${job.keys[k]![1]}`);
        });
        return { kind: 'moved', job, remain: Math.max(0, ctx.limits.userDaily - used.dailyUser - amount) };
      } catch (err) {
        if (!(err instanceof LedgerRefusal)) throw err;
        forced = { rspCode: 'A0002', bankRspCode: REFUSAL_BANK_CODE[err.reason] ?? '499' };
      }
    }
    batch.refuse({
      ...job.transfer,
      rspCode: forced.rspCode,
      rspMessage: messages[forced.rspCode] ?? '',
      ...bankAnswer(forced),
    });
    return { kind: 'refused', job, forced };
  };
  const outcomes = jobs.map((job, i): WithdrawOutcome => (won[i] ? decide(job) : { kind: 'duplicate' }));
  await batch.writeAndCommit(ctx.repo.writeUsageStatements([...changed].map((key) => ({ key, ...usage.get(key)! }))));
  return { outcomes, claimsWon: allWon.slice(jobs.length) };
}

// The emulator's writes that concurrent calls share (src/db/batcher.ts): withdrawals, and the bank_tran_id
// claims of inquiries. A batch with withdrawals is ONE transaction that also carries the inquiries'
// claims; a batch of claims only is one insert. So under load the database commits once per batch, not
// once per call. If a batch fails for an unexpected reason, each of its items is retried alone, so one bad
// request never fails the others.
type WriterItem = { kind: 'withdraw'; job: WithdrawJob } | { kind: 'claim'; claim: BankTranIdClaim };
type WriterResult = WithdrawOutcome | boolean;

async function executeWrites(ctx: ServicesContext, items: WriterItem[]): Promise<WriterResult[]> {
  const jobs = items.flatMap((i) => (i.kind === 'withdraw' ? [i.job] : []));
  const claims = items.flatMap((i) => (i.kind === 'claim' ? [i.claim] : []));
  const { outcomes, claimsWon } =
    jobs.length === 0
      ? { outcomes: [], claimsWon: await claimBankTranIds(ctx.db, claims) }
      : await ctx.db.transaction((trx) => executeWithdrawals(ctx, trx, jobs, claims));
  let w = 0;
  let c = 0;
  return items.map((i) => (i.kind === 'withdraw' ? outcomes[w++]! : claimsWon[c++]!));
}

const writers = new WeakMap<ServicesContext, Batcher<WriterItem, WriterResult>>();
function writer(ctx: ServicesContext): Batcher<WriterItem, WriterResult> {
  let b = writers.get(ctx);
  if (!b) {
    b = createBatcher<WriterItem, WriterResult>(async (items) => {
      try {
        return (await executeWrites(ctx, items)).map((value) => ({ ok: true as const, value }));
      } catch (err) {
        if (items.length === 1) return [{ ok: false as const, error: err }];
        const alone: ItemOutcome<WriterResult>[] = [];
        for (const item of items) {
          try {
            alone.push({ ok: true, value: (await executeWrites(ctx, [item]))[0]! });
          } catch (e) {
            alone.push({ ok: false, error: e });
          }
        }
        return alone;
      }
    });
    writers.set(ctx, b);
  }
  return b;
}

/** Claims an inquiry's bank_tran_id, sharing the next write batch; false when already used that KST day. */
export async function claimInquiryBankTranId(ctx: ServicesContext, claim: BankTranIdClaim): Promise<boolean> {
  return (await writer(ctx).submit({ kind: 'claim', claim })) as boolean;
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
  if (marker && marker.rspCode === 'A0319') throw refuse('A0319', echo);
  const collecting = checkContractAccount(await contract, echo);
  const now = ctx.clock();
  const date = kstDate(now);
  const job = withdrawJob({ caller, p, bankTranId, amount, fintechUseNum, echo, marker, now, date }, acc, collecting);

  const outcome = (await writer(ctx).submit({ kind: 'withdraw', job })) as WithdrawOutcome;

  if (outcome.kind === 'duplicate') throw new KftcError('A0326', messages.A0326!);
  const { transfer } = outcome.job;
  if (outcome.kind === 'refused') {
    const f = outcome.forced;
    if (!f.bankRspCode) throw refuse(f.rspCode, echo);
    throw bankRefusal({
      rspCode: f.rspCode,
      bankRspCode: f.bankRspCode,
      bankTranId,
      bankCode: acc.bankCode,
      now,
      echo,
    });
  }
  if (transfer.status === 'processing') throw new KftcError('A0001', messages.A0001!, echo);
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
    throw refuse('A0307', {}, `wd_pass_phrase ${PASS_PHRASE_MARKER}: 시나리오`);
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
    if (limit) throw refuse(limit.rspCode, echo);
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
        (isBankUnderMaintenance(t.bankCode) ? { rspCode: 'A0002', bankRspCode: '499' } : null) ??
        (!t.account ? { rspCode: 'A0002', bankRspCode: '412' } : null) ??
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
          forced = { rspCode: 'A0002', bankRspCode: REFUSAL_BANK_CODE[err.reason] ?? '499' };
        }
      }
      const f = forced!;
      await ctx.ledger.recordRefusal(
        {
          ...base,
          fromAccountId: paying.id,
          toAccountId: t.account?.id ?? null,
          rspCode: f.rspCode,
          rspMessage: messages[f.rspCode] ?? '',
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
  if (results.some((r) => r.processing)) throw new KftcError('A0001', messages.A0001!, echo);
  const ok = results.filter((r) => !r.forced).length;
  if (ok > 0) ctx.counter.add(caller.organizationId, date, 'deposit', ok);
  const allOk = ok === results.length;
  return Object.assign(allOk ? {} : { rsp_code: 'A0009', rsp_message: messages.A0009 }, {
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

const PROCESSING = { code: '', message: '처리중' };

/** The item fields after the bank leg, in the public order (reference §8), from a recorded summary. */
function resultParties(summary: Record<string, string>, tranAmt: string): Record<string, string> {
  const wdBank = summary.wd_bank_code_std ?? '';
  const dpsBank = summary.dps_bank_code_std ?? '';
  return {
    wd_bank_code_std: wdBank,
    wd_bank_code_sub: wdBank ? bankCodeSub(wdBank) : '',
    wd_bank_name: summary.wd_bank_name ?? '',
    wd_savings_bank_name: '',
    wd_fintech_use_num: summary.wd_fintech_use_num ?? '',
    wd_account_num_masked: summary.wd_account_num_masked ?? '',
    wd_print_content: summary.wd_print_content ?? '',
    wd_account_holder_name: summary.wd_account_holder_name ?? '',
    dps_bank_code_std: dpsBank,
    dps_bank_code_sub: dpsBank ? bankCodeSub(dpsBank) : '',
    dps_bank_name: summary.dps_bank_name ?? '',
    dps_savings_bank_name: '',
    dps_fintech_use_num: summary.dps_fintech_use_num ?? '',
    dps_account_num_masked: summary.dps_account_num_masked ?? '',
    dps_print_content: summary.dps_print_content ?? '',
    dps_account_holder_name: summary.dps_account_holder_name ?? '',
    tran_amt: summary.tran_amt ?? tranAmt,
  };
}

/** One transfer/result item: the original outcome, or "processing" until it settles, or not found. */
function resultItem(
  tranNo: string,
  orgId: string,
  orgDate: string,
  row: TransactionRow | undefined,
  now: Date,
  checkType: string,
  orgAmount: number,
) {
  const kind = checkType === '1' ? 'withdraw' : 'deposit';
  if (!row || row.kind !== kind || Number(row.amount) !== orgAmount) {
    return {
      found: false,
      processing: false,
      item: Object.assign(
        {
          tran_no: tranNo,
          bank_tran_id: orgId,
          bank_tran_date: orgDate,
          bank_code_tran: '',
          bank_rsp_code: '',
          bank_rsp_message: messages.A0310,
        },
        resultParties({}, String(orgAmount)),
      ),
    };
  }
  const summary = row.response_summary ? (JSON.parse(row.response_summary) as Record<string, string>) : {};
  const processing = row.status === 'processing' && !!row.settles_at && now.toISOString() < row.settles_at;
  const ok = !processing && row.rsp_code === 'A0000';
  const bankRspCode = processing ? PROCESSING.code : (row.bank_rsp_code ?? '');
  return {
    found: true,
    processing,
    ok,
    item: Object.assign(
      {
        tran_no: tranNo,
        bank_tran_id: row.bank_tran_id ?? orgId,
        bank_tran_date: row.bank_tran_date ?? orgDate,
        bank_code_tran: summary.bank_code_tran ?? '',
        bank_rsp_code: bankRspCode,
        // "" on success as in every other answer (rows recorded before this rule say "정상").
        bank_rsp_message: processing ? PROCESSING.message : bankRspCode === '000' ? '' : (row.bank_rsp_message ?? ''),
      },
      resultParties(summary, String(orgAmount)),
    ),
  };
}

export async function transferResult(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const items = p.req_list as Parsed[];
  if (Number(p.req_cnt) !== items.length) throw formatError('req_cnt', `req_list 건수(${items.length})와 같아야 함`);
  const now = ctx.clock();
  const results = [];
  for (const item of items) {
    const row = await ctx.repo.findOriginal(
      ctx.db,
      caller.organizationId,
      s(item, 'org_bank_tran_date'),
      s(item, 'org_bank_tran_id'),
    );
    results.push(
      resultItem(
        s(item, 'tran_no'),
        s(item, 'org_bank_tran_id'),
        s(item, 'org_bank_tran_date'),
        row,
        now,
        s(p, 'check_type'),
        item.org_tran_amt as number,
      ),
    );
  }
  if (results.every((r) => !r.found)) throw refuse('A0310', { check_type: s(p, 'check_type') });
  const allOk = results.every((r) => r.found && r.ok);
  const onlyProcessing = results.every((r) => r.found && (r.ok || r.processing));
  const rsp = allOk
    ? {}
    : onlyProcessing
      ? { rsp_code: 'A0001', rsp_message: messages.A0001 }
      : { rsp_code: 'A0009', rsp_message: messages.A0009 };
  return { ...rsp, res_cnt: String(results.length), res_list: results.map((r) => r.item) };
}

/**
 * 자금반환청구: claims a mistaken deposit back from its recipient into the organization's paying account.
 * The recipient is named by org_dps_bank_code_std + org_dps_account_num or by org_dps_fintech_use_num
 * alone (the bank is then the registered account's). The claim is accepted at once (A0000, bank 000) and
 * settles at once [inferred: the real one takes days]: returned in full, partly (#RTN_PARTIAL in
 * claim_message: half), refused by the recipient (#RTN_REFUSED) or refused for lack of funds (the
 * recipient's balance is below the amount). return/result reports the outcome. A deposit already
 * returned (in full or partly) cannot be claimed again (A0008); a refused one can.
 */
export async function returnClaim(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const byFintech = s(p, 'org_dps_fintech_use_num');
  if (!byFintech) {
    if (!p.org_dps_bank_code_std)
      throw formatError(
        'org_dps_bank_code_std',
        'org_dps_bank_code_std + org_dps_account_num 또는 org_dps_fintech_use_num 필수',
      );
    if (!p.org_dps_account_num)
      throw formatError(
        'org_dps_account_num',
        'org_dps_bank_code_std + org_dps_account_num 또는 org_dps_fintech_use_num 필수',
      );
  }
  const echo = {
    bank_tran_id: bankTranId,
    org_bank_tran_id: s(p, 'org_bank_tran_id'),
    org_bank_tran_date: s(p, 'org_bank_tran_date'),
  };
  const original = await ctx.repo.findOriginal(
    ctx.db,
    caller.organizationId,
    s(p, 'org_bank_tran_date'),
    s(p, 'org_bank_tran_id'),
  );
  if (
    !original ||
    original.kind !== 'deposit' ||
    original.rsp_code !== 'A0000' ||
    !original.dps_account_id ||
    !original.wd_account_id
  )
    throw refuse('A0310', echo);
  const recipient = await ctx.ledger.findAccount(original.dps_account_id);
  const paying = await ctx.ledger.findAccount(original.wd_account_id);
  if (!recipient || !paying) throw refuse('A0310', echo);
  if (p.org_dps_bank_code_std && recipient.bankCode !== s(p, 'org_dps_bank_code_std'))
    throw refuse('A0310', echo, 'org_dps_bank_code_std');
  if (p.org_dps_account_num && recipient.accountNum !== s(p, 'org_dps_account_num'))
    throw refuse('A0310', echo, 'org_dps_account_num');
  if (byFintech && original.dps_fintech_use_num !== byFintech) throw refuse('A0310', echo, 'org_dps_fintech_use_num');
  if (Number(original.amount) !== p.org_tran_amt) throw formatError('org_tran_amt', '원거래 금액과 다름', echo);
  const orgAmount = Number(original.amount);
  const forced = returnOutcome(s(p, 'claim_message'));
  const now = ctx.clock();
  const date = kstDate(now);
  await ctx.db.transaction(async (trx: Knex.Transaction) => {
    await claimBankTranId(trx, {
      organizationId: caller.organizationId,
      clientUseCode: caller.clientUseCode,
      bankTranId,
      date,
    });
    if ((await ctx.repo.returnedAmount(trx, original.id)) > 0) throw refuse('A0008', echo);
    const claim = {
      id: ctx.ids(),
      organization_id: caller.organizationId,
      bank_tran_id: bankTranId,
      tran_date: date,
      org_transaction_id: original.id,
      claim_code: s(p, 'claim_code'),
      claim_message: s(p, 'claim_message') || null,
      created_at: now.toISOString(),
    };
    if (forced?.kind === 'refused') {
      await ctx.repo.insertReturnClaim(trx, {
        ...claim,
        return_transaction_id: null,
        amount: 0,
        status: 'refused',
        return_fail_code: forced.failCode,
        return_fail_message: forced.failMessage,
        return_date: null,
      });
      return;
    }
    const amount = forced?.kind === 'partial' ? Math.floor(orgAmount / 2) : orgAmount;
    try {
      const r = await ctx.ledger.transfer(
        {
          kind: 'return',
          fromAccountId: recipient.id,
          toAccountId: paying.id,
          amount,
          organizationId: caller.organizationId,
          bankTranId,
          bankTranDate: date,
          wdPrintContent: '자금반환',
          dpsPrintContent: '자금반환',
          reversesTransactionId: original.id,
          responseSummary: { bank_code_tran: recipient.bankCode, tran_amt: String(amount) },
        },
        trx,
      );
      await ctx.repo.insertReturnClaim(trx, {
        ...claim,
        return_transaction_id: r.transactionId,
        amount,
        status: amount === orgAmount ? 'returned' : 'partial',
        return_fail_code: null,
        return_fail_message: null,
        return_date: date,
      });
    } catch (err) {
      if (!(err instanceof LedgerRefusal)) throw err;
      const code = REFUSAL_BANK_CODE[err.reason] ?? '499';
      await ctx.repo.insertReturnClaim(trx, {
        ...claim,
        return_transaction_id: null,
        amount: 0,
        status: 'refused',
        return_fail_code: code,
        return_fail_message: bankMessages[code] ?? '',
        return_date: null,
      });
    }
  });
  const recipientFin = original.dps_fintech_use_num ?? '';
  return Object.assign(
    { dps_bank_code_std: recipient.bankCode },
    bankLeg({ bankTranId, bankCode: recipient.bankCode, date: now }),
    {
      wd_bank_code_std: paying.bankCode,
      wd_bank_code_sub: bankCodeSub(paying.bankCode),
      wd_bank_name: bankName(paying.bankCode),
      org_bank_tran_date: s(p, 'org_bank_tran_date'),
      org_bank_tran_id: s(p, 'org_bank_tran_id'),
      org_dps_bank_code_std: recipient.bankCode,
      // As sent; derived from the fintech number it is masked like every other account of a user [inferred].
      org_dps_account_num: s(p, 'org_dps_account_num') || maskAccountNum(recipient.accountNum),
      org_dps_fintech_use_num: byFintech || recipientFin,
      org_tran_amt: String(orgAmount),
      return_account_num: s(p, 'return_account_num') || paying.accountNum,
    },
  );
}

/**
 * 자금반환결과조회: the outcome of a return claim, by the claim's own bank_tran_date + bank_tran_id.
 * An unknown claim → A0310 [inferred].
 */
export async function returnResult(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const claimDate = s(p, 'claim_bank_tran_date');
  const claimId = s(p, 'claim_bank_tran_id');
  const claim = await ctx.repo.findReturnClaim(ctx.db, caller.organizationId, claimDate, claimId);
  if (!claim) throw refuse('A0310', { claim_bank_tran_date: claimDate, claim_bank_tran_id: claimId });
  const returned = claim.status !== 'refused';
  return {
    claim_bank_tran_date: claimDate,
    claim_bank_tran_id: claimId,
    claim_normal_yn: 'Y',
    claim_bank_rsp_code: '000',
    claim_bank_rsp_message: '',
    return_yn: returned ? 'Y' : 'N',
    return_fail_code: claim.return_fail_code ?? '',
    return_fail_message: claim.return_fail_message ?? '',
    total_return_yn: claim.status === 'returned' ? 'Y' : 'N',
    return_amt: String(Number(claim.amount)),
    return_date: claim.return_date ?? '',
    org_tran_amt: String(Number(claim.org_amount)),
  };
}

export async function userRemainAmt(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const userSeqNo = s(p, 'user_seq_no');
  if (caller.kind === 'user' && caller.userSeqNo !== userSeqNo) throw refuse('A0313', { user_seq_no: userSeqNo });
  // An institution token (scope sa) may ask only about its own or registered test people.
  if (
    caller.kind === 'org' &&
    !(await ctx.repo.organizationUserSeqNos(ctx.db, caller.organizationId)).includes(userSeqNo)
  )
    throw refuse('A0337', { user_seq_no: userSeqNo });
  const usage = await ctx.repo.readUsage(
    ctx.db,
    userUsageSubject(caller.organizationId, userSeqNo),
    kstDate(ctx.clock()),
  );
  return {
    user_seq_no: userSeqNo,
    day_wd_limit_amt: String(ctx.limits.userDaily),
    day_wd_amt: String(usage.wdAmt),
    wd_limit_remain_amt: String(Math.max(0, ctx.limits.userDaily - usage.wdAmt)),
  };
}
