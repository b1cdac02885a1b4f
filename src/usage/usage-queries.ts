// Rule: every number the usage pages and their CSV files show comes from here, counted in the database
// over the emulator's request log (and, for staff, the applications and their audit trail). A scope is
// one organization or the whole log; a period is the last 7, 30 or 90 Korean days (KST, UTC+9) up to
// today. Nothing reads the log's rows: the calls are read from testbed_request_usage, the log's counts
// per (organization, Korean day, api, rsp_code, failed, duration_ms), which the log's writer and its
// prune keep equal to a count over the log (testbed/common/request-usage-rollup.ts). A page costs three
// grouped reads of those rows, whatever the size of the log; percentiles come from the calls per duration.
import type { Knex } from 'knex';
import type { RequestLog } from '../testbed/common/request-log';
import { USAGE_TABLE } from '../testbed/common/request-usage-rollup';
import { fromKst, kstDateOf } from '../testbed/ledger/kst-time';
import { STAGES, STATUSES, type Stage } from '../workflow/state-machine';

export const PERIOD_DAYS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIOD_DAYS)[number];
export const DEFAULT_PERIOD_DAYS: PeriodDays = 30;

/** The OAuth steps: calls to get a token, not service API calls, so they stay out of the mix. */
const OAUTH_STEP_APIS: readonly string[] = ['oauth_token', 'authorize', 'sandbox_authorize'];

/** KFTC's published national call mix (share of service API calls, %). */
const MIX_CATEGORIES = ['balance', 'withdrawal', 'transaction_list', 'other'] as const;
export type MixCategory = (typeof MIX_CATEGORIES)[number];
export const NATIONAL_MIX: Readonly<Record<MixCategory, number>> = {
  balance: 68,
  withdrawal: 21,
  transaction_list: 6,
  other: 5,
};

/** The mix category of a service API (null for OAuth steps and unknown paths, which are not in the mix). */
function mixCategoryOf(api: string | null): MixCategory | null {
  if (api === null || OAUTH_STEP_APIS.includes(api)) return null;
  if (api === 'balance') return 'balance';
  if (api === 'withdraw') return 'withdrawal';
  if (api === 'transaction_list') return 'transaction_list';
  return 'other';
}

/** Percentiles by nearest rank: the value at rank ceil(p/100 × n) of the n values in ascending order. */
const PERCENTILES = [50, 95, 99] as const;
export function nearestRank(p: number, n: number): number {
  return Math.floor((p * n + 99) / 100);
}

export interface UsageScope {
  /** One organization's calls; null = the whole log (staff only), calls of no organization included. */
  organizationId: string | null;
}

export interface UsagePeriod {
  days: PeriodDays;
  /** KST calendar days, oldest first, as YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
  /** UTC instants: start of the first day (inclusive), start of the day after the last (exclusive). */
  from: string;
  to: string;
}

interface DailyCalls {
  day: string;
  calls: number;
  errors: number;
}
export interface ApiCalls {
  api: string | null;
  calls: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}
interface CodeCalls {
  rspCode: string | null;
  calls: number;
  errors: number;
  sharePercent: number;
}
export interface Latency {
  measured: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}
interface MixRow {
  category: MixCategory;
  calls: number;
  percent: number;
  nationalPercent: number;
}

export interface UsageReport {
  period: UsagePeriod;
  /** The instant the numbers were counted at (the end of the period's last day is later). */
  generatedAt: string;
  total: number;
  errors: number;
  /** Calls that did not succeed (SUCCESS_SQL), as a percentage of all calls, one decimal. */
  errorRatePercent: number;
  daily: DailyCalls[];
  apis: ApiCalls[];
  codes: CodeCalls[];
  latency: Latency;
  /** Service API calls in the mix (OAuth steps and unknown paths left out). */
  mixTotal: number;
  mix: MixRow[];
}

interface StageStatusCount {
  stage: Stage;
  status: string;
  count: number;
}
interface StageDuration {
  stage: Stage;
  completedStays: number;
  medianDays: number | null;
  current: number;
}
interface ReviewerLoad {
  userId: string;
  name: string;
  email: string;
  staffRole: string;
  openItems: number;
}
export interface PipelineReport {
  stageStatus: StageStatusCount[];
  totalApplications: number;
  stageDurations: StageDuration[];
  reviewers: ReviewerLoad[];
}

const DAY_MS = 86_400_000;
const TERMINAL_STATUSES = ['rejected', 'withdrawn', 'live'];
/** Statuses in which a claimed application still waits for its reviewer's decision. */
const UNDECIDED_STATUSES = ['submitted', 'in_review'] as const;

/** One decimal place, as pages and CSV files print a percentage or a number of days. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : round1((part / whole) * 100);
}

function yyyymmddToIso(d: string): string {
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

/** The last `days` Korean days up to and including the day of `now`. */
function periodEndingAt(now: Date, days: PeriodDays): UsagePeriod {
  const todayStart = fromKst(kstDateOf(now));
  const from = new Date(todayStart.getTime() - (days - 1) * DAY_MS);
  const to = new Date(todayStart.getTime() + DAY_MS);
  return {
    days,
    firstDay: yyyymmddToIso(kstDateOf(from)),
    lastDay: yyyymmddToIso(kstDateOf(todayStart)),
    from: from.toISOString(),
    to: to.toISOString(),
  };
}

/**
 * An application's stays in each stage, from its audit trail (oldest first): a stay starts when a
 * transition enters a stage and ends when one leaves it for another stage or ends the application
 * (rejected, withdrawn, live). Stays still open are not returned. Days are calendar days (fractional).
 */
export function completedStays(
  events: readonly { fromState: string | null; toState: string; at: string }[],
): { stage: Stage; days: number }[] {
  const out: { stage: Stage; days: number }[] = [];
  let current: { stage: string; since: number } | null = null;
  for (const e of events) {
    const [toStage, toStatus] = e.toState.split(':');
    const at = Date.parse(e.at);
    if (!toStage || Number.isNaN(at)) continue;
    if (current && current.stage !== toStage) {
      if ((STAGES as readonly string[]).includes(current.stage))
        out.push({ stage: current.stage as Stage, days: (at - current.since) / DAY_MS });
      current = null;
    }
    if (!current) current = { stage: toStage, since: at };
    if (toStage !== 'live' && TERMINAL_STATUSES.includes(toStatus ?? '')) {
      if ((STAGES as readonly string[]).includes(current.stage))
        out.push({ stage: current.stage as Stage, days: (at - current.since) / DAY_MS });
      current = null;
    }
  }
  return out;
}

/** Ascending by code, null (no code, unknown API) after every value. */
function nullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function createUsageQueries(deps: { db: Knex; clock: () => Date; log: Pick<RequestLog, 'flush'> }) {
  const { db } = deps;

  /** The rollup rows of the scope and period (the key starts with org_key; the whole log reads by day). */
  function scoped(scope: UsageScope, period: UsagePeriod): Knex.QueryBuilder {
    const q = db(USAGE_TABLE).where('day', '>=', period.firstDay).andWhere('day', '<=', period.lastDay);
    if (scope.organizationId !== null) q.andWhere('org_key', scope.organizationId);
    return q;
  }

  /**
   * p50/p95/p99 per API and overall, by nearest rank, from the calls per duration (a histogram: one row
   * per API and distinct duration in the period), walked in ascending order. Unmeasured calls (-1) are left out.
   */
  async function percentiles(
    scope: UsageScope,
    period: UsagePeriod,
  ): Promise<{ byApi: Map<string | null, Pick<ApiCalls, 'p50' | 'p95' | 'p99'>>; overall: Latency }> {
    const rows = (await scoped(scope, period)
      .where('duration_ms', '>=', 0)
      .select('api', 'duration_ms', db.raw('SUM(calls) AS n'))
      .groupBy('api', 'duration_ms')) as { api: string; duration_ms: number | string; n: number | string }[];
    const hist = rows.map((r) => ({ api: r.api === '' ? null : r.api, ms: Number(r.duration_ms), n: Number(r.n) }));
    const pick = (values: { ms: number; n: number }[]): Pick<Latency, 'p50' | 'p95' | 'p99'> & { measured: number } => {
      values.sort((a, b) => a.ms - b.ms);
      const measured = values.reduce((s, v) => s + v.n, 0);
      const out = { measured, p50: null, p95: null, p99: null } as Latency;
      for (const p of PERCENTILES) {
        if (measured === 0) break;
        const rank = nearestRank(p, measured);
        let seen = 0;
        for (const v of values) {
          seen += v.n;
          if (seen >= rank) {
            out[`p${p}`] = v.ms;
            break;
          }
        }
      }
      return out;
    };
    const perApi = new Map<string | null, { ms: number; n: number }[]>();
    const all = new Map<number, number>();
    for (const h of hist) {
      const list = perApi.get(h.api) ?? [];
      list.push({ ms: h.ms, n: h.n });
      perApi.set(h.api, list);
      all.set(h.ms, (all.get(h.ms) ?? 0) + h.n);
    }
    const byApi = new Map<string | null, Pick<ApiCalls, 'p50' | 'p95' | 'p99'>>();
    for (const [api, list] of perApi) {
      const { p50, p95, p99 } = pick(list);
      byApi.set(api, { p50, p95, p99 });
    }
    const overall = pick([...all].map(([ms, n]) => ({ ms, n })));
    return { byApi, overall };
  }

  return {
    periodEndingAt,

    /** Everything the usage page shows for one scope over the last `days` Korean days (up to `now`). */
    async report(scope: UsageScope, days: PeriodDays, now: Date = deps.clock()): Promise<UsageReport> {
      await deps.log.flush();
      const period = periodEndingAt(now, days);
      const dayList: string[] = [];
      for (let i = 0; i < days; i++)
        dayList.push(yyyymmddToIso(kstDateOf(new Date(Date.parse(period.from) + i * DAY_MS))));
      const empty: UsageReport = {
        period,
        generatedAt: now.toISOString(),
        total: 0,
        errors: 0,
        errorRatePercent: 0,
        daily: dayList.map((day) => ({ day, calls: 0, errors: 0 })),
        apis: [],
        codes: [],
        latency: { measured: 0, p50: null, p95: null, p99: null },
        mixTotal: 0,
        mix: MIX_CATEGORIES.map((category) => ({
          category,
          calls: 0,
          percent: 0,
          nationalPercent: NATIONAL_MIX[category],
        })),
      };
      const errorSum = db.raw('SUM(CASE WHEN failed = 1 THEN calls ELSE 0 END) AS errors');
      const daysRows = (await scoped(scope, period)
        .select('day', db.raw('SUM(calls) AS calls'), errorSum)
        .groupBy('day')) as { day: string; calls: number | string; errors: number | string | null }[];
      const byDay = new Map(empty.daily.map((d) => [d.day, { ...d }]));
      for (const r of daysRows) {
        const d = byDay.get(r.day);
        if (!d) continue;
        d.calls += Number(r.calls);
        d.errors += Number(r.errors ?? 0);
      }
      const daily = [...byDay.values()];
      const total = daily.reduce((s, d) => s + d.calls, 0);
      if (total === 0) return empty;
      const errors = daily.reduce((s, d) => s + d.errors, 0);

      // Calls and failures by (api, rsp_code): both tables below are sums of these few rows.
      const cells = (await scoped(scope, period)
        .select('api', 'rsp_code', db.raw('SUM(calls) AS calls'), errorSum)
        .groupBy('api', 'rsp_code')) as {
        api: string;
        rsp_code: string;
        calls: number | string;
        errors: number | string | null;
      }[];
      const apiTotals = new Map<string | null, { calls: number; errors: number }>();
      const codeTotals = new Map<string | null, { calls: number; errors: number }>();
      for (const r of cells) {
        for (const [map, key] of [
          [apiTotals, r.api === '' ? null : r.api],
          [codeTotals, r.rsp_code === '' ? null : r.rsp_code],
        ] as const) {
          const e = map.get(key) ?? { calls: 0, errors: 0 };
          e.calls += Number(r.calls);
          e.errors += Number(r.errors ?? 0);
          map.set(key, e);
        }
      }
      const { byApi: apiLatency, overall: latency } = await percentiles(scope, period);
      const apis: ApiCalls[] = [...apiTotals]
        .map(([api, c]) => ({
          api,
          calls: c.calls,
          errors: c.errors,
          ...(apiLatency.get(api) ?? { p50: null, p95: null, p99: null }),
        }))
        .sort((a, b) => b.calls - a.calls || nullsLast(a.api, b.api));

      const codes: CodeCalls[] = [...codeTotals]
        .map(([rspCode, c]) => ({
          rspCode,
          calls: c.calls,
          errors: c.errors,
          sharePercent: percentOf(c.calls, total),
        }))
        .sort((a, b) => b.calls - a.calls || nullsLast(a.rspCode, b.rspCode)); // no code (OAuth steps) last among equals

      const mixCalls: Record<MixCategory, number> = { balance: 0, withdrawal: 0, transaction_list: 0, other: 0 };
      for (const a of apis) {
        const c = mixCategoryOf(a.api);
        if (c) mixCalls[c] += a.calls;
      }
      const mixTotal = MIX_CATEGORIES.reduce((s, c) => s + mixCalls[c], 0);
      const mix = MIX_CATEGORIES.map((category) => ({
        category,
        calls: mixCalls[category],
        percent: percentOf(mixCalls[category], mixTotal),
        nationalPercent: NATIONAL_MIX[category],
      }));

      return {
        period,
        generatedAt: now.toISOString(),
        total,
        errors,
        errorRatePercent: percentOf(errors, total),
        daily,
        apis,
        codes,
        latency,
        mixTotal,
        mix,
      };
    },

    /** Staff: the applications per stage and status, median days spent in each stage, open items per staff member. */
    async pipeline(): Promise<PipelineReport> {
      const counts = (await db('applications')
        .select('stage', 'status', db.raw('COUNT(*) AS n'))
        .groupBy('stage', 'status')) as { stage: string; status: string; n: number | string }[];
      const stageIndex = (s: string) => {
        const i = (STAGES as readonly string[]).indexOf(s);
        return i < 0 ? STAGES.length : i;
      };
      const statusIndex = (s: string) => {
        const i = (STATUSES as readonly string[]).indexOf(s);
        return i < 0 ? STATUSES.length : i;
      };
      const stageStatus = counts
        .map((r) => ({ stage: r.stage as Stage, status: r.status, count: Number(r.n) }))
        .sort((a, b) => stageIndex(a.stage) - stageIndex(b.stage) || statusIndex(a.status) - statusIndex(b.status));
      const totalApplications = stageStatus.reduce((s, r) => s + r.count, 0);

      // Only the transitions (rows with a to_state) are read, per application in order: a few per application.
      const events = (await db('audit_events')
        .whereNotNull('application_id')
        .whereNotNull('to_state')
        .orderBy([{ column: 'application_id' }, { column: 'seq' }])
        .select('application_id', 'from_state', 'to_state', 'created_at')) as {
        application_id: string;
        from_state: string | null;
        to_state: string;
        created_at: string;
      }[];
      const stays = new Map<Stage, number[]>(STAGES.map((s) => [s, []]));
      for (let i = 0; i < events.length; ) {
        let j = i;
        while (j < events.length && events[j]!.application_id === events[i]!.application_id) j++;
        for (const s of completedStays(
          events.slice(i, j).map((e) => ({ fromState: e.from_state, toState: e.to_state, at: e.created_at })),
        ))
          stays.get(s.stage)!.push(s.days);
        i = j;
      }
      const currentByStage = new Map<string, number>();
      for (const r of stageStatus)
        if (!TERMINAL_STATUSES.includes(r.status))
          currentByStage.set(r.stage, (currentByStage.get(r.stage) ?? 0) + r.count);
      const stageDurations = STAGES.filter((s) => s !== 'live').map((stage) => {
        const m = median(stays.get(stage)!);
        return {
          stage,
          completedStays: stays.get(stage)!.length,
          medianDays: m === null ? null : round1(m),
          current: currentByStage.get(stage) ?? 0,
        };
      });

      const reviewers = (await db('users as u')
        .leftJoin('applications as a', (j) => {
          j.on('a.claimed_by', '=', 'u.id').onIn('a.status', [...UNDECIDED_STATUSES]);
        })
        .whereNotNull('u.staff_role')
        .andWhere('u.disabled', false)
        .groupBy('u.id', 'u.name', 'u.email', 'u.staff_role')
        .select('u.id', 'u.name', 'u.email', 'u.staff_role', db.raw('COUNT(a.id) AS n'))) as {
        id: string;
        name: string;
        email: string;
        staff_role: string;
        n: number | string;
      }[];
      return {
        stageStatus,
        totalApplications,
        stageDurations,
        reviewers: reviewers
          .map((r) => ({ userId: r.id, name: r.name, email: r.email, staffRole: r.staff_role, openItems: Number(r.n) }))
          .sort((a, b) => b.openItems - a.openItems || a.name.localeCompare(b.name, 'ko')),
      };
    },

    /** The organizations a staff member may pick, by name. */
    async organizations(): Promise<{ id: string; name: string }[]> {
      return db('organizations')
        .select('id', 'name')
        .orderBy([{ column: 'name' }, { column: 'id' }]);
    },
  };
}
export type UsageQueries = ReturnType<typeof createUsageQueries>;
