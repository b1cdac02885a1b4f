// Rule: the usage pages accept only the filters they offer and name the field of any other value (422
// with an error summary), never a 500: days = 7 | 30 | 90 (default 30); organization (staff) = the id of
// an existing organization, or empty for all; table (CSV) = one of the tables the page shows.
import type { FieldError } from '../http/errors';
import { isUuid } from '../db/ids';
import { DEFAULT_PERIOD_DAYS, PERIOD_DAYS, type PeriodDays } from './usage-queries';

const USAGE_TABLES = ['daily', 'apis', 'errors', 'latency', 'mix'] as const;
const PIPELINE_TABLES = ['pipeline', 'stage_days', 'reviewers'] as const;
export type UsageTable = (typeof USAGE_TABLES)[number] | (typeof PIPELINE_TABLES)[number];

export interface UsageFilterValues {
  days: string;
  organization: string;
  table: string;
}
export interface UsageFilter {
  days: PeriodDays;
  organizationId: string | null;
  table: UsageTable | null;
}

function text(q: Record<string, unknown>, k: string): string {
  const v = q[k];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

export function parseUsageFilters(
  query: unknown,
  opts: { staff: boolean; organizationExists?: (id: string) => boolean; csv?: boolean },
): { filter: UsageFilter; values: UsageFilterValues; errors: FieldError[] } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const values: UsageFilterValues = {
    days: text(q, 'days'),
    organization: opts.staff ? text(q, 'organization') : '',
    table: text(q, 'table'),
  };
  const errors: FieldError[] = [];
  const filter: UsageFilter = { days: DEFAULT_PERIOD_DAYS, organizationId: null, table: null };
  if (values.days) {
    const n = /^\d{1,3}$/.test(values.days) ? Number(values.days) : NaN;
    if ((PERIOD_DAYS as readonly number[]).includes(n)) filter.days = n as PeriodDays;
    else errors.push({ field: 'days', message: 'usage.errors.days' });
  }
  if (opts.staff && values.organization) {
    if (isUuid(values.organization) && (!opts.organizationExists || opts.organizationExists(values.organization)))
      filter.organizationId = values.organization;
    else errors.push({ field: 'organization', message: 'usage.errors.organization' });
  }
  if (opts.csv) {
    const allowed: readonly string[] = opts.staff ? [...USAGE_TABLES, ...PIPELINE_TABLES] : USAGE_TABLES;
    if (allowed.includes(values.table)) filter.table = values.table as UsageTable;
    else errors.push({ field: 'table', message: 'usage.errors.table' });
  }
  return { filter, values, errors };
}

/** The query string of a filter (the page's own links and the CSV links). */
export function usageQuery(values: { days?: string | number; organization?: string | null; table?: string }): string {
  const p = new URLSearchParams();
  if (values.days !== undefined && values.days !== '') p.set('days', String(values.days));
  if (values.organization) p.set('organization', values.organization);
  if (values.table) p.set('table', values.table);
  const s = p.toString();
  return s ? `?${s}` : '';
}
