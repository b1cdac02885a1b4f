// Management APIs (oob): bank/status, manage/wd_limit, manage/fee, manage/count. Field names of the
// answers beyond res_cnt/res_list are [inferred] (the public reference does not list them).
import type { TestbedCaller } from '../common/token-guard';
import { kstDate } from '../common/envelope';
import { formatError } from '../common/request-fields';
import { BANK_NAMES } from '../ledger/banks';
import { isBankUnderMaintenance } from '../scenarios/scenario-triggers';
import type { ServicesContext } from './context';
import type { Parsed } from './field-specs';
import { API_NAMES, FEE_PER_CALL } from './fee-schedule';

function s(p: Parsed, k: string): string {
  return (p[k] as string | undefined) ?? '';
}

export function bankStatus() {
  const list = Object.entries(BANK_NAMES).map(([code, name]) => ({
    bank_code_std: code,
    bank_name: name,
    bank_status: isBankUnderMaintenance(code) ? 'N' : 'Y',
  }));
  return { res_cnt: String(list.length), res_list: list };
}

export async function wdLimit(ctx: ServicesContext, caller: TestbedCaller) {
  const date = kstDate(ctx.clock());
  const org = `org:${caller.organizationId}`;
  const [day, month] = await Promise.all([ctx.repo.readUsage(ctx.db, org, date), ctx.repo.readUsage(ctx.db, org, date.slice(0, 6))]);
  const l = ctx.limits;
  return {
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

export async function fee(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const from = s(p, 'from_date');
  const to = s(p, 'to_date');
  if (from > to) throw formatError('to_date', 'from_date 이후여야 함');
  const days = (Date.UTC(+to.slice(0, 4), +to.slice(4, 6) - 1, +to.slice(6, 8)) - Date.UTC(+from.slice(0, 4), +from.slice(4, 6) - 1, +from.slice(6, 8))) / 86_400_000;
  if (days >= MAX_FEE_DAYS) throw formatError('to_date', `조회기간은 최대 ${MAX_FEE_DAYS}일`);
  await ctx.counter.flush();
  const rows = await ctx.repo.countsBetween(ctx.db, caller.organizationId, from, to);
  const list = rows.map((r) => ({
    tran_date: r.usage_date,
    api_code: r.api,
    api_name: API_NAMES[r.api] ?? r.api,
    tran_cnt: String(r.cnt),
    unit_fee_amt: String(FEE_PER_CALL[r.api] ?? 0),
    fee_amt: String(r.cnt * (FEE_PER_CALL[r.api] ?? 0)),
  }));
  const total = rows.reduce((sum, r) => sum + r.cnt * (FEE_PER_CALL[r.api] ?? 0), 0);
  return { from_date: from, to_date: to, total_fee_amt: String(total), res_cnt: String(list.length), res_list: list };
}

export async function count(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const date = s(p, 'inquiry_date');
  await ctx.counter.flush();
  const rows = await ctx.repo.countsBetween(ctx.db, caller.organizationId, date, date);
  const list = rows.map((r) => ({ api_code: r.api, api_name: API_NAMES[r.api] ?? r.api, tran_cnt: String(r.cnt) }));
  return { inquiry_date: date, total_cnt: String(rows.reduce((n, r) => n + r.cnt, 0)), res_cnt: String(list.length), res_list: list };
}
