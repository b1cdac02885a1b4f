// The usage numbers equal counts made independently over the log rows: log rows with known values are
// inserted straight into the table and counted into the usage rollup (several Korean days, APIs, codes, durations, three owners, seq out of
// step with created_at), and every figure of the report is recomputed here in plain code and compared.
// Runs on whatever database the suite runs on (SQLite in memory, or PostgreSQL with DATABASE_URL).
import t from 'tap';
import { build } from '../helpers/build';
import { DEMO_IDS } from '../../src/demo-accounts';
import { rebuildUsageRollup } from '../../src/testbed/common/request-usage-rollup';
import { completedStays, median, nearestRank, NATIONAL_MIX, type PeriodDays } from '../../src/usage/usage-queries';

const A = DEMO_IDS.demoFintechOrg;
const B = DEMO_IDS.samplePayOrg;
const NOW = new Date('2026-12-10T03:00:00.000Z'); // 12:00 on 10 December in Korea

interface Row {
  organization_id: string | null;
  api: string | null;
  rsp_code: string | null;
  bank_rsp_code: string | null;
  duration_ms: number | null;
  created_at: string;
}

const APIS = [
  'balance',
  'balance',
  'balance',
  'withdraw',
  'transaction_list',
  'real_name',
  'oauth_token',
  'authorize',
  'deposit_fin_num',
  null,
  'sandbox_authorize',
  'user_me',
];
const CODES: [string | null, string | null][] = [
  ['A0000', '000'],
  ['A0000', null],
  ['A0000', '000'],
  ['A0002', '453'],
  [null, null],
  ['O0001', null],
  ['A0000', '453'],
  ['A0326', null],
  ['A0000', '000'],
];

/** A deterministic spread of rows over 1–11 December (UTC), with the edges of Korean days among them. */
function makeRows(): Row[] {
  const rows: Row[] = [];
  const owners = [A, A, A, B, null];
  const start = Date.parse('2026-11-30T12:00:00.000Z');
  for (let i = 0; i < 400; i++) {
    const at = new Date(start + ((i * 7919) % (11 * 86_400)) * 1000 + (i % 1000));
    const [rsp, bank] = CODES[(i * 5) % CODES.length]!;
    rows.push({
      organization_id: owners[i % owners.length]!,
      api: APIS[(i * 3 + (i >> 3)) % APIS.length]!,
      rsp_code: rsp,
      bank_rsp_code: bank,
      duration_ms: i % 13 === 0 ? null : (i * 37) % 251,
      created_at: at.toISOString(),
    });
  }
  // Korean-day edges: 23:59:59.999 on 3 December and 00:00 on 4 December (KST), and the first instant after the period.
  for (const at of [
    '2026-12-03T14:59:59.999Z',
    '2026-12-03T15:00:00.000Z',
    '2026-12-10T14:59:59.999Z',
    '2026-12-10T15:00:00.000Z',
    '2026-11-10T15:00:00.000Z',
    '2026-11-10T14:59:59.999Z',
  ]) {
    rows.push({
      organization_id: A,
      api: 'balance',
      rsp_code: 'A0000',
      bank_rsp_code: '000',
      duration_ms: 5,
      created_at: at,
    });
  }
  // Written late (a batch): a high seq with an early time, which the period must still count.
  rows.push({
    organization_id: A,
    api: 'withdraw',
    rsp_code: 'A0000',
    bank_rsp_code: '000',
    duration_ms: 999,
    created_at: '2026-12-05T01:00:00.000Z',
  });
  return rows;
}

function kstDay(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 10);
}
function success(r: Row): boolean {
  return r.rsp_code === null || (r.rsp_code === 'A0000' && (r.bank_rsp_code === null || r.bank_rsp_code === '000'));
}
function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}
function rank(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.ceil((p / 100) * s.length) - 1]!;
}

/** What the report must say, counted here over the rows. */
function expected(rows: Row[], org: string | null, days: number) {
  const lastDay = '2026-12-10';
  const dayList: string[] = [];
  for (let i = days - 1; i >= 0; i--)
    dayList.push(new Date(Date.parse(`${lastDay}T00:00:00.000Z`) - i * 86_400_000).toISOString().slice(0, 10));
  const inScope = rows.filter(
    (r) => (org === null || r.organization_id === org) && dayList.includes(kstDay(r.created_at)),
  );
  const daily = dayList.map((day) => {
    const on = inScope.filter((r) => kstDay(r.created_at) === day);
    return { day, calls: on.length, errors: on.filter((r) => !success(r)).length };
  });
  const apiKeys = [...new Set(inScope.map((r) => r.api))];
  const apis = new Map(
    apiKeys.map((api) => {
      const on = inScope.filter((r) => r.api === api);
      const d = on.map((r) => r.duration_ms).filter((x): x is number => x !== null);
      return [
        api,
        {
          calls: on.length,
          errors: on.filter((r) => !success(r)).length,
          p50: rank(d, 50),
          p95: rank(d, 95),
          p99: rank(d, 99),
        },
      ];
    }),
  );
  const codes = new Map(
    [...new Set(inScope.map((r) => r.rsp_code))].map((c) => {
      const on = inScope.filter((r) => r.rsp_code === c);
      return [
        c,
        {
          calls: on.length,
          errors: on.filter((r) => !success(r)).length,
          sharePercent: pct(on.length, inScope.length),
        },
      ];
    }),
  );
  const durations = inScope.map((r) => r.duration_ms).filter((x): x is number => x !== null);
  const cat = (api: string | null) =>
    api === null || ['oauth_token', 'authorize', 'sandbox_authorize'].includes(api)
      ? null
      : api === 'balance'
        ? 'balance'
        : api === 'withdraw'
          ? 'withdrawal'
          : api === 'transaction_list'
            ? 'transaction_list'
            : 'other';
  const inMix = inScope.filter((r) => cat(r.api) !== null);
  const mix = ['balance', 'withdrawal', 'transaction_list', 'other'].map((c) => {
    const n = inMix.filter((r) => cat(r.api) === c).length;
    return {
      category: c,
      calls: n,
      percent: pct(n, inMix.length),
      nationalPercent: NATIONAL_MIX[c as keyof typeof NATIONAL_MIX],
    };
  });
  const errors = inScope.filter((r) => !success(r)).length;
  return {
    total: inScope.length,
    errors,
    errorRatePercent: pct(errors, inScope.length),
    daily,
    apis,
    codes,
    latency: {
      measured: durations.length,
      p50: rank(durations, 50),
      p95: rank(durations, 95),
      p99: rank(durations, 99),
    },
    mixTotal: inMix.length,
    mix,
  };
}

t.test('the usage numbers equal counts over the log rows, for one organization and for all', async (t) => {
  const app = await build(t, { demo: true });
  await app.services.testbedRequestLog.flush();
  t.equal(Number((await app.db('testbed_request_log').count({ n: '*' }))[0]!.n), 0, 'the demo data has no log rows');
  const rows = makeRows();
  for (let i = 0; i < rows.length; i += 50) {
    await app
      .db('testbed_request_log')
      .insert(
        rows
          .slice(i, i + 50)
          .map((r) => ({ ...r, method: 'GET', path: `/v2.0/${r.api ?? 'nowhere'}`, client_use_code: 'M202600001' })),
      );
  }
  await rebuildUsageRollup(app.db); // rows written straight into the table, counted as the log's writer would

  for (const [org, days] of [
    [A, 7],
    [A, 30],
    [B, 7],
    [null, 7],
    [null, 90],
  ] as [string | null, PeriodDays][]) {
    await t.test(`${org === null ? 'all' : org === A ? 'demo fintech' : 'sample pay'}, ${days} days`, async (t) => {
      const report = await app.services.usage.report({ organizationId: org }, days, NOW);
      const want = expected(rows, org, days);
      t.equal(report.period.lastDay, '2026-12-10', 'the period ends today in Korea');
      t.equal(report.period.days, days);
      t.equal(report.daily.length, days, 'one row per Korean day, empty days included');
      t.ok(want.total > 0, `there are calls to count (${want.total})`);
      t.equal(report.total, want.total, 'calls');
      t.equal(report.errors, want.errors, 'failed calls');
      t.equal(report.errorRatePercent, want.errorRatePercent, 'error rate');
      t.same(report.daily, want.daily, 'calls a day (Korean days)');
      t.equal(report.apis.length, want.apis.size, 'one row per API');
      for (const a of report.apis)
        t.same(
          { calls: a.calls, errors: a.errors, p50: a.p50, p95: a.p95, p99: a.p99 },
          want.apis.get(a.api),
          `API ${a.api}: calls, errors, percentiles`,
        );
      t.ok(
        report.apis.every((a, i) => i === 0 || a.calls <= report.apis[i - 1]!.calls),
        'APIs by calls, most first',
      );
      t.equal(report.codes.length, want.codes.size, 'one row per rsp_code');
      for (const c of report.codes)
        t.same(
          { calls: c.calls, errors: c.errors, sharePercent: c.sharePercent },
          want.codes.get(c.rspCode),
          `rsp_code ${c.rspCode}`,
        );
      t.same(report.latency, want.latency, 'p50/p95/p99 over every measured call');
      t.equal(report.mixTotal, want.mixTotal, 'service API calls in the mix (OAuth steps and unknown paths left out)');
      t.same(report.mix, want.mix, 'the mix beside the national mix');
    });
  }

  await t.test('the Korean day edges', async (t) => {
    const r7 = await app.services.usage.report({ organizationId: A }, 7, NOW);
    const want = expected(rows, A, 7);
    t.equal(r7.period.from, '2026-12-03T15:00:00.000Z', 'the period starts at 00:00 on 4 December in Korea');
    t.equal(r7.period.to, '2026-12-10T15:00:00.000Z', 'and ends before 00:00 on 11 December in Korea');
    t.equal(r7.daily[0]!.day, '2026-12-04');
    t.equal(r7.daily[0]!.calls, want.daily[0]!.calls, 'a call at 00:00 KST counts on that day');
    const r30 = await app.services.usage.report({ organizationId: A }, 30, NOW);
    t.equal(r30.period.firstDay, '2026-11-11', '30 days back');
    t.equal(
      r30.total,
      rows.filter(
        (r) =>
          r.organization_id === A &&
          r.created_at >= '2026-11-10T15:00:00.000Z' &&
          r.created_at < '2026-12-10T15:00:00.000Z',
      ).length,
      'the 30-day total by instants',
    );
  });

  await t.test("no organization's report includes another's or unowned calls", async (t) => {
    const a = await app.services.usage.report({ organizationId: A }, 90, NOW);
    const b = await app.services.usage.report({ organizationId: B }, 90, NOW);
    const all = await app.services.usage.report({ organizationId: null }, 90, NOW);
    const unowned = rows.filter(
      (r) => r.organization_id === null && r.created_at >= all.period.from && r.created_at < all.period.to,
    ).length;
    t.ok(unowned > 0);
    t.equal(a.total + b.total + unowned, all.total, 'one organization + the other + unowned = all');
  });

  await t.test('an empty period gives zeros, not errors', async (t) => {
    const r = await app.services.usage.report({ organizationId: A }, 7, new Date('2027-03-01T00:00:00.000Z'));
    t.equal(r.total, 0);
    t.equal(r.daily.length, 7);
    t.ok(r.daily.every((d) => d.calls === 0));
    t.same(r.latency, { measured: 0, p50: null, p95: null, p99: null });
    t.same(
      r.mix.map((m) => m.nationalPercent),
      [68, 21, 6, 5],
      'the national mix is still shown',
    );
  });
});

t.test('percentiles by nearest rank', async (t) => {
  t.equal(nearestRank(50, 1), 1);
  t.equal(nearestRank(95, 100), 95);
  t.equal(nearestRank(95, 10), 10, 'ceil(9.5) = 10');
  t.equal(nearestRank(99, 101), 100, 'ceil(99.99) = 100');
  t.equal(nearestRank(50, 4), 2);
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 2, 3]), 2.5);
  t.equal(median([]), null);
});

t.test("stays in a stage come from the audit trail's transitions", async (t) => {
  const d = (day: number) => new Date(Date.UTC(2026, 10, day)).toISOString();
  const stays = completedStays([
    { fromState: null, toState: 'application:draft', at: d(1) },
    { fromState: 'application:draft', toState: 'suitability:submitted', at: d(3) },
    { fromState: 'suitability:submitted', toState: 'suitability:in_review', at: d(4) },
    { fromState: 'suitability:in_review', toState: 'suitability:changes_requested', at: d(5) },
    { fromState: 'suitability:changes_requested', toState: 'suitability:submitted', at: d(6) },
    { fromState: 'suitability:submitted', toState: 'testing:in_progress', at: d(10) },
    { fromState: 'testing:in_progress', toState: 'testing:withdrawn', at: d(12) },
  ]);
  t.same(
    stays,
    [
      { stage: 'application', days: 2 },
      { stage: 'suitability', days: 7 },
      { stage: 'testing', days: 2 },
    ],
    'a stay ends on the next stage or a withdrawal',
  );
  t.same(
    completedStays([{ fromState: null, toState: 'application:draft', at: d(1) }]),
    [],
    'a stay still open is not counted',
  );
});

t.test(
  'the pipeline: applications per stage and status, median days per stage, open items per staff member',
  async (t) => {
    const app = await build(t, { demo: true });
    const reviewer = await app.db('users').where({ email: 'reviewer@portal.example' }).first('id');
    let p = await app.services.usage.pipeline();
    t.same(
      p.stageStatus,
      [
        { stage: 'suitability', status: 'submitted', count: 1 },
        { stage: 'testing', status: 'in_progress', count: 1 },
      ],
      'the demo applications',
    );
    t.equal(p.totalApplications, 2);
    // Demo trail: 데모핀테크 created 2 Nov 01:00, submitted 5 Nov 02:30, approved 10 Nov 05:00;
    // 샘플페이 created 18 Nov 00:40, submitted 20 Nov 07:15.
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
    const application = [
      days('2026-11-02T01:00:00.000Z', '2026-11-05T02:30:00.000Z'),
      days('2026-11-18T00:40:00.000Z', '2026-11-20T07:15:00.000Z'),
    ];
    const byStage = Object.fromEntries(p.stageDurations.map((s) => [s.stage, s]));
    t.same(byStage.application, {
      stage: 'application',
      completedStays: 2,
      medianDays: Math.round(((application[0]! + application[1]!) / 2) * 10) / 10,
      current: 0,
    });
    t.same(byStage.suitability, {
      stage: 'suitability',
      completedStays: 1,
      medianDays: Math.round(days('2026-11-05T02:30:00.000Z', '2026-11-10T05:00:00.000Z') * 10) / 10,
      current: 1,
    });
    t.same(byStage.testing, { stage: 'testing', completedStays: 0, medianDays: null, current: 1 });
    t.notOk('live' in byStage, 'no stay ends in live');
    t.ok(p.reviewers.length >= 4, 'every staff member is listed');
    t.ok(
      p.reviewers.every((r) => r.openItems === 0),
      'nobody has claimed anything yet',
    );

    await app.db('applications').where({ organization_id: B }).update({ status: 'in_review', claimed_by: reviewer.id });
    await app.db('applications').where({ organization_id: A }).update({ claimed_by: reviewer.id }); // testing:in_progress: not waiting for a decision
    p = await app.services.usage.pipeline();
    t.equal(
      p.reviewers.find((r) => r.email === 'reviewer@portal.example')!.openItems,
      1,
      'a claimed application in review is open; one in progress is not',
    );
    t.equal(p.reviewers[0]!.email, 'reviewer@portal.example', 'most open items first');
    t.same(
      p.stageStatus.find((r) => r.stage === 'suitability'),
      { stage: 'suitability', status: 'in_review', count: 1 },
    );
  },
);
