// Management APIs (oob): bank/status, manage/wd_limit, manage/fee, manage/count, and user_remain_amt. The answers carry the
// public field sets (reference §8: res_cnt + res_list of the listed fields); the emulator's earlier
// summary fields stay beside them. What the values mean where the public material only names the field
// (bank_type, api_manage_id, the fee split) is [inferred] and documented on /docs.
import type { TestbedCaller } from '../common/token-guard';
import { kstDate } from '../common/envelope';
import { NotTheTokensUser, UserNotFound } from '../common/kftc-refusals';
import { formatError } from '../common/request-fields';
import { BANK_NAMES, bankType } from '../ledger/banks';
import { isBankUnderMaintenance } from '../scenarios/scenario-triggers';
import type { ServicesContext } from './services-context';
import { type Parsed, textField } from './field-specs';
import { API_NAMES, FEE_PER_CALL, HANDLING_AGENT_SHARE } from './fee-schedule';
import { userUsageSubject } from './transfer-limits';

const s = textField;

export function bankStatus() {
  const list = Object.entries(BANK_NAMES).map(([code, name]) => ({
    bank_type: bankType(code),
    bank_code_std: code,
    bank_name: name,
    bank_status: isBankUnderMaintenance(code) ? 'N' : 'Y',
  }));
  return { res_cnt: String(list.length), res_list: list };
}

/**
 * 이용기관 출금한도조회: per participating bank, the organization's daily withdrawal limit, what it
 * withdrew today from accounts at that bank, and the per-transfer limit (perc_wd_limit_amt). The sandbox
 * limits are the same at every bank; the organization-wide totals stay beside the list.
 */
export async function wdLimit(ctx: ServicesContext, caller: TestbedCaller) {
  const date = kstDate(ctx.clock());
  const org = `org:${caller.organizationId}`;
  const [day, month, byBank] = await Promise.all([
    ctx.repo.readUsage(ctx.db, org, date),
    ctx.repo.readUsage(ctx.db, org, date.slice(0, 6)),
    ctx.repo.withdrawnByBank(ctx.db, caller.organizationId, date),
  ]);
  const l = ctx.limits;
  const list = Object.keys(BANK_NAMES).map((code) => ({
    bank_code_std: code,
    day_wd_limit_amt: String(l.orgWithdrawDaily),
    day_wd_amt: String(byBank.get(code) ?? 0),
    perc_wd_limit_amt: String(l.userPerTransfer),
  }));
  return {
    res_cnt: String(list.length),
    res_list: list,
    client_use_code: caller.clientUseCode,
    day_wd_limit_amt: String(l.orgWithdrawDaily),
    day_wd_amt: String(day.wdAmt),
    day_wd_remain_amt: String(Math.max(0, l.orgWithdrawDaily - day.wdAmt)),
    month_wd_limit_amt: String(l.orgWithdrawMonthly),
    month_wd_amt: String(month.wdAmt),
    month_wd_remain_amt: String(Math.max(0, l.orgWithdrawMonthly - month.wdAmt)),
    day_dps_limit_amt: String(l.orgDepositDaily),
    day_dps_amt: String(day.dpAmt),
    month_dps_limit_amt: String(l.orgDepositMonthly),
    month_dps_amt: String(month.dpAmt),
    user_once_wd_limit_amt: String(l.userPerTransfer),
    user_day_wd_limit_amt: String(l.userDaily),
  };
}

const MAX_FEE_DAYS = 31;

/** Calls per API over a date range, one row per API (api_code order). */
function perApi(rows: { api: string; cnt: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.api, (out.get(r.api) ?? 0) + r.cnt);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * 수수료조회: per API (api_manage_id) the fee for the organization's successful calls in the range:
 * use_org_fee what the organization pays, hdl_agt_fee the handling bank's share of it [inferred split].
 */
export async function fee(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const from = s(p, 'from_date');
  const to = s(p, 'to_date');
  if (from > to) throw formatError('to_date', 'from_date 이후여야 함');
  const days =
    (Date.UTC(+to.slice(0, 4), +to.slice(4, 6) - 1, +to.slice(6, 8)) -
      Date.UTC(+from.slice(0, 4), +from.slice(4, 6) - 1, +from.slice(6, 8))) /
    86_400_000;
  if (days >= MAX_FEE_DAYS) throw formatError('to_date', `조회기간은 최대 ${MAX_FEE_DAYS}일`);
  await ctx.counter.flush();
  const calls = perApi(await ctx.repo.countsBetween(ctx.db, caller.organizationId, from, to));
  let total = 0;
  const list = [...calls].map(([api, cnt]) => {
    const useOrgFee = cnt * (FEE_PER_CALL[api] ?? 0);
    total += useOrgFee;
    return {
      api_manage_id: api,
      use_org_fee: String(useOrgFee),
      hdl_agt_fee: String(Math.floor(useOrgFee * HANDLING_AGENT_SHARE)),
      api_name: API_NAMES[api] ?? api,
      tran_cnt: String(cnt),
      unit_fee_amt: String(FEE_PER_CALL[api] ?? 0),
    };
  });
  return { res_cnt: String(list.length), res_list: list, from_date: from, to_date: to, total_fee_amt: String(total) };
}

/** 집계조회: per API (api_manage_id) the successful calls on one day and, for transfers, the amount moved. */
export async function count(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const date = s(p, 'inquiry_date');
  await ctx.counter.flush();
  const [calls, amounts] = await Promise.all([
    ctx.repo.countsBetween(ctx.db, caller.organizationId, date, date).then(perApi),
    ctx.repo.transferredByKind(ctx.db, caller.organizationId, date),
  ]);
  const list = [...calls].map(([api, cnt]) => ({
    api_manage_id: api,
    normal_count: String(cnt),
    normal_tran_amt: String(amounts.get(api) ?? 0),
    api_name: API_NAMES[api] ?? api,
  }));
  return {
    res_cnt: String(list.length),
    res_list: list,
    inquiry_date: date,
    total_cnt: String([...calls.values()].reduce((n, c) => n + c, 0)),
  };
}

/** 사용자 출금한도 잔여조회 user_remain_amt: the user's daily withdrawal limit and what is left of it today. */
export async function userRemainAmt(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const userSeqNo = s(p, 'user_seq_no');
  if (caller.kind === 'user' && caller.userSeqNo !== userSeqNo) throw new NotTheTokensUser({ user_seq_no: userSeqNo });
  // An institution token (scope sa) may ask only about its own or registered test people.
  if (
    caller.kind === 'org' &&
    !(await ctx.repo.organizationUserSeqNos(ctx.db, caller.organizationId)).includes(userSeqNo)
  )
    throw new UserNotFound({ user_seq_no: userSeqNo });
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
