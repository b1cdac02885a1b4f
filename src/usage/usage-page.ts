// The usage report as a page: each chart (an accessible SVG from ./svg-charts.ts) beside the rows of the
// table printed under it, both made from the same numbers of one report, plus the CSV link of each.
import { translate, type Locale } from '../i18n';
import type { PipelineReport, UsageReport } from './usage-queries';
import { barChart, columnChart, pairedPercentChart } from './svg-charts';
import { apiName, codeMeaning, count, dayLabel, momentLabel, percent } from './usage-labels';
import { usageQuery, type UsageTable } from './usage-filters';

export interface PageLinks {
  base: string;
  days: number;
  organization: string | null;
}

function csvHref(links: PageLinks, table: UsageTable): string {
  return `${links.base}.csv${usageQuery({ days: links.days, organization: links.organization, table })}`;
}

const ms = (locale: Locale, v: number | null) =>
  v === null ? translate(locale, 'usage.latency.none') : translate(locale, 'usage.latency.ms', { ms: count(v) });
const pctOf = (part: number, whole: number) => percent(whole === 0 ? 0 : (part / whole) * 100);

export function usageView(locale: Locale, report: UsageReport, links: PageLinks, opts: { allOrganizations: boolean }) {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, `usage.${key}`, params);
  const { period } = report;
  const csv = (table: UsageTable) => ({
    href: csvHref(links, table),
    text: t('csv_named', { table: t(`tables.${table}`) }),
  });

  const maxDay = report.daily.reduce((best, d) => (d.calls > best.calls ? d : best), report.daily[0]!);
  const daily = {
    svg: columnChart(
      {
        id: 'chart-daily',
        title: t('daily.chart_title', { days: period.days }),
        desc: t('daily.chart_desc', {
          first: dayLabel(locale, period.firstDay),
          last: dayLabel(locale, period.lastDay),
          total: count(report.total),
          max_day: dayLabel(locale, maxDay.day),
          max: count(maxDay.calls),
        }),
      },
      report.daily.map((d) => ({ label: dayLabel(locale, d.day), value: d.calls })),
    ),
    rows: report.daily.map((d) => ({
      day: d.day,
      label: dayLabel(locale, d.day, true),
      calls: count(d.calls),
      errors: count(d.errors),
      errorRate: pctOf(d.errors, d.calls),
    })),
    csv: csv('daily'),
  };

  const top = report.apis[0];
  const apis = {
    svg: barChart(
      {
        id: 'chart-apis',
        title: t('apis.chart_title'),
        desc: t('apis.chart_desc', {
          count: report.apis.length,
          total: count(report.total),
          top: top ? apiName(locale, top.api) : '',
          top_calls: count(top?.calls ?? 0),
        }),
      },
      report.apis.map((a) => ({ label: apiName(locale, a.api), value: a.calls, valueText: count(a.calls) })),
    ),
    rows: report.apis.map((a) => ({
      name: apiName(locale, a.api),
      key: a.api,
      calls: count(a.calls),
      share: pctOf(a.calls, report.total),
      errors: count(a.errors),
      p50: ms(locale, a.p50),
      p95: ms(locale, a.p95),
      p99: ms(locale, a.p99),
    })),
    csv: csv('apis'),
  };

  const codes = {
    rows: report.codes.map((c) => ({
      code: c.rspCode ?? t('errors_table.no_code'),
      isCode: c.rspCode !== null,
      meaning: c.rspCode ? codeMeaning(c.rspCode) : t('errors_table.no_code_meaning'),
      calls: count(c.calls),
      share: percent(c.sharePercent),
      errors: count(c.errors),
    })),
    lead: t('errors_table.lead', { rate: percent(report.errorRatePercent) }),
    csv: csv('errors'),
  };

  const latency = {
    measured: count(report.latency.measured),
    p50: ms(locale, report.latency.p50),
    p95: ms(locale, report.latency.p95),
    p99: ms(locale, report.latency.p99),
    csv: csv('latency'),
  };

  const mixPct = Object.fromEntries(report.mix.map((m) => [m.category, percent(m.percent)]));
  const mix = {
    svg: pairedPercentChart(
      { id: 'chart-mix', title: t('mix.chart_title'), desc: t('mix.chart_desc', mixPct) },
      { first: t(opts.allOrganizations ? 'mix.series_all' : 'mix.series_org'), second: t('mix.series_national') },
      report.mix.map((m) => ({
        label: t(`mix.categories.${m.category}`),
        first: m.percent,
        second: m.nationalPercent,
      })),
    ),
    rows: report.mix.map((m) => ({
      label: t(`mix.categories.${m.category}`),
      calls: count(m.calls),
      percent: percent(m.percent),
      national: percent(m.nationalPercent),
    })),
    excluded: t('mix.excluded', { total: count(report.mixTotal) }),
    lead: t(opts.allOrganizations ? 'mix.lead_all' : 'mix.lead'),
    csv: csv('mix'),
  };

  return {
    summary: {
      calls: count(report.total),
      errors: count(report.errors),
      errorRate: percent(report.errorRatePercent),
      p95: ms(locale, report.latency.p95),
    },
    generatedText: momentLabel(locale, report.generatedAt),
    rangeText: t('period.range', {
      from: dayLabel(locale, period.firstDay),
      to: dayLabel(locale, period.lastDay),
      days: period.days,
    }),
    daily,
    apis,
    codes,
    latency,
    mix,
  };
}

export function pipelineView(locale: Locale, p: PipelineReport, links: PageLinks) {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, `usage.${key}`, params);
  const csv = (table: UsageTable) => ({
    href: csvHref(links, table),
    text: t('csv_named', { table: t(`tables.${table}`) }),
  });
  return {
    total: t('pipeline.total', { count: count(p.totalApplications) }),
    stageStatus: p.stageStatus.map((r) => ({
      stage: translate(locale, `workflow.stages.${r.stage}`),
      status: translate(locale, `workflow.statuses.${r.status}`),
      count: count(r.count),
    })),
    stageDays: p.stageDurations.map((r) => ({
      stage: translate(locale, `workflow.stages.${r.stage}`),
      completed: count(r.completedStays),
      current: count(r.current),
      median:
        r.medianDays === null ? t('pipeline.no_median') : t('pipeline.median_days', { days: r.medianDays.toFixed(1) }),
    })),
    reviewers: p.reviewers.map((r) => ({
      name: r.name,
      email: r.email,
      role: translate(locale, `accounts.staff_roles.${r.staffRole}`),
      open: count(r.openItems),
    })),
    csv: { pipeline: csv('pipeline'), stageDays: csv('stage_days'), reviewers: csv('reviewers') },
  };
}
