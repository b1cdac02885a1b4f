// Rule: each table of the usage pages downloads as CSV with the same numbers as the table (raw counts,
// percentages and days to one decimal, milliseconds as integers), written by the audit trail's CSV
// writer (UTF-8 byte-order mark, RFC 4180 quoting, formula-like cells neutralised), CRLF line ends.
import { CSV_BOM, csvRow } from '../workflow/audit-csv';
import type { PipelineReport, UsageReport } from './usage-queries';
import type { UsageTable } from './usage-filters';
import { round1 } from './usage-queries';
import { codeMeaning } from './usage-labels';

function file(header: string[], rows: unknown[][]): string {
  return `${CSV_BOM + [csvRow(header), ...rows.map(csvRow)].join('\r\n')}\r\n`;
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : round1((part / whole) * 100)).toFixed(1);
const ms = (v: number | null) => (v === null ? '' : v);

export function usageCsv(table: UsageTable, report: UsageReport | null, pipeline: PipelineReport | null): string {
  switch (table) {
    case 'daily':
      return file(
        ['day', 'calls', 'errors', 'error_rate_percent'],
        (report?.daily ?? []).map((d) => [d.day, d.calls, d.errors, pct(d.errors, d.calls)]),
      );
    case 'apis':
      return file(
        ['api', 'calls', 'share_percent', 'errors', 'p50_ms', 'p95_ms', 'p99_ms'],
        (report?.apis ?? []).map((a) => [
          a.api ?? '',
          a.calls,
          pct(a.calls, report!.total),
          a.errors,
          ms(a.p50),
          ms(a.p95),
          ms(a.p99),
        ]),
      );
    case 'errors':
      return file(
        ['rsp_code', 'meaning', 'calls', 'share_percent', 'errors'],
        (report?.codes ?? []).map((c) => [
          c.rspCode ?? '',
          c.rspCode ? codeMeaning(c.rspCode) : '',
          c.calls,
          c.sharePercent.toFixed(1),
          c.errors,
        ]),
      );
    case 'latency': {
      const l = report?.latency ?? { measured: 0, p50: null, p95: null, p99: null };
      return file(['measured', 'p50_ms', 'p95_ms', 'p99_ms'], [[l.measured, ms(l.p50), ms(l.p95), ms(l.p99)]]);
    }
    case 'mix':
      return file(
        ['category', 'calls', 'percent', 'national_percent'],
        (report?.mix ?? []).map((m) => [m.category, m.calls, m.percent.toFixed(1), m.nationalPercent.toFixed(1)]),
      );
    case 'pipeline':
      return file(
        ['stage', 'status', 'applications'],
        (pipeline?.stageStatus ?? []).map((r) => [r.stage, r.status, r.count]),
      );
    case 'stage_days':
      return file(
        ['stage', 'completed_stays', 'median_days', 'current'],
        (pipeline?.stageDurations ?? []).map((r) => [
          r.stage,
          r.completedStays,
          r.medianDays === null ? '' : r.medianDays.toFixed(1),
          r.current,
        ]),
      );
    case 'reviewers':
      return file(
        ['name', 'email', 'staff_role', 'open_items'],
        (pipeline?.reviewers ?? []).map((r) => [r.name, r.email, r.staffRole, r.openItems]),
      );
  }
}
