// 이상금융거래 탐지내역 조회 (inquiry/fds_detect): detections produced by the emulator's own rules over
// the organization's recorded withdrawals (every attempt the ledger recorded, refused ones included).
// KFTC does not publish its FDS policies: the rules below are the emulator's [inferred], documented on
// /docs. Detections are derived from the ledger on each call (nothing stored), so they are the same on
// every instance and never disagree with the transactions they describe.
import type { TestbedCaller } from '../common/token-guard';
import { kstDateTime } from '../common/envelope';
import { formatError } from '../common/request-fields';
import { maskAccountNum } from '../ledger/banks';
import { hasFdsMarker } from '../scenarios/scenario-triggers';
import type { ServicesContext } from './services-context';
import { type Parsed, textField } from './field-specs';
import type { TransferLimits } from './transfer-limits';

/** Rule FDS01: this many withdrawals from one account within RAPID_WINDOW_MS is one detection. */
export const RAPID_COUNT = 5;
export const RAPID_WINDOW_MS = 10 * 60 * 1000;
/** Rule FDS02: a withdrawal of at least this share of the per-transfer limit, and not above it. */
const JUST_UNDER_SHARE = 0.95;
/** At most this many detections per answer; cnt_exceed_yn says when there were more. */
const MAX_DETECTIONS = 100;

const POLICY_RULES = {
  rapid: 'FDS01',
  justUnderLimit: 'FDS02',
  scenario: 'FDS99',
} as const;

export interface WithdrawalFact {
  at: Date;
  userSeqNo: string;
  bankCode: string;
  accountNum: string;
  fintechUseNum: string;
  amount: number;
  printContents: string[];
}

export interface Detection {
  at: Date;
  policyRule: string;
  w: WithdrawalFact;
}

/** The detections a day's withdrawals (in time order) produce. Pure. */
export function detect(
  withdrawals: readonly WithdrawalFact[],
  limits: Pick<TransferLimits, 'userPerTransfer'>,
): Detection[] {
  const out: Detection[] = [];
  const recent = new Map<string, Date[]>(); // account → withdrawals in the current window since the last detection
  for (const w of withdrawals) {
    if (hasFdsMarker(...w.printContents)) out.push({ at: w.at, policyRule: POLICY_RULES.scenario, w });
    if (w.amount >= limits.userPerTransfer * JUST_UNDER_SHARE && w.amount <= limits.userPerTransfer)
      out.push({ at: w.at, policyRule: POLICY_RULES.justUnderLimit, w });
    const key = `${w.bankCode}|${w.accountNum}`;
    const times = (recent.get(key) ?? []).filter((t) => w.at.getTime() - t.getTime() < RAPID_WINDOW_MS);
    times.push(w.at);
    if (times.length >= RAPID_COUNT) {
      out.push({ at: w.at, policyRule: POLICY_RULES.rapid, w });
      recent.set(key, []); // the next detection needs RAPID_COUNT new withdrawals
    } else {
      recent.set(key, times);
    }
  }
  return out;
}

const s = textField;

export async function fdsDetect(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const date = s(p, 'inquiry_date');
  const from = date + (s(p, 'from_time') || '000000');
  const to = date + (s(p, 'to_time') || '235959');
  if (from > to) throw formatError('to_time', 'from_time 이후여야 함');
  const rows = await ctx.repo.withdrawalsOn(ctx.reads, caller.organizationId, date);
  const facts: WithdrawalFact[] = rows.map((r) => ({
    at: new Date(r.created_at),
    userSeqNo: r.user_seq_no ?? '',
    bankCode: r.bank_code,
    accountNum: r.account_num,
    fintechUseNum: r.wd_fintech_use_num ?? '',
    amount: Number(r.amount),
    printContents: [r.wd_print_content ?? '', r.dps_print_content ?? ''],
  }));
  const found = detect(facts, ctx.limits).filter((d) => {
    const stamp = kstDateTime(d.at);
    return stamp >= from && stamp <= to;
  });
  const page = found.slice(0, MAX_DETECTIONS);
  return {
    cnt_exceed_yn: found.length > MAX_DETECTIONS ? 'Y' : 'N',
    res_cnt: String(page.length),
    res_list: page.map((d) => ({
      detect_time: kstDateTime(d.at),
      policy_rule: d.policyRule,
      user_seq_no: d.w.userSeqNo,
      bank_code: d.w.bankCode,
      // Masked like every other user account in an institution-token answer [inferred].
      account_num: maskAccountNum(d.w.accountNum),
      fintech_use_num: d.w.fintechUseNum,
      tran_amt: String(d.w.amount),
    })),
  };
}
