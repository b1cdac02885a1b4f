// Rule: a test completion report says what was tested for every requested API, over a test period that
// has ended (start ≤ end ≤ today in Korea), with optional notes. Harmless date variations are accepted.
import type { FieldError } from '../http/errors';
import { parseIsoDate } from '../onboarding/form-values';

export interface TestingReport {
  periodStart: string;
  periodEnd: string;
  apis: { api: string; tested: string }[];
  notes: string;
}

const REPORT_TEXT_MAX = 4000;
const REPORT_TEXT_MIN = 10;

export function parseTestingReportForm(
  body: Record<string, unknown>,
  requestedApis: readonly string[],
  today?: string,
): { report: TestingReport | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const start = parseIsoDate(text('period_start'));
  const end = parseIsoDate(text('period_end'));
  if (!start) errors.push({ field: 'period_start', message: 'workflow.testing.errors.date_invalid' });
  if (!end) errors.push({ field: 'period_end', message: 'workflow.testing.errors.date_invalid' });
  if (start && end && end < start)
    errors.push({ field: 'period_end', message: 'workflow.testing.errors.end_before_start' });
  if (end && today && end > today)
    errors.push({ field: 'period_end', message: 'workflow.testing.errors.end_in_future' });
  const apis: TestingReport['apis'] = [];
  for (const api of requestedApis) {
    const tested = text(`tested_${api}`);
    if (tested.length < REPORT_TEXT_MIN)
      errors.push({
        field: `tested_${api}`,
        message: 'workflow.testing.errors.tested_required',
        params: { min: REPORT_TEXT_MIN },
      });
    else if (tested.length > REPORT_TEXT_MAX)
      errors.push({
        field: `tested_${api}`,
        message: 'workflow.testing.errors.too_long',
        params: { max: REPORT_TEXT_MAX },
      });
    else apis.push({ api, tested });
  }
  const notes = text('notes');
  if (notes.length > REPORT_TEXT_MAX)
    errors.push({ field: 'notes', message: 'workflow.testing.errors.too_long', params: { max: REPORT_TEXT_MAX } });
  if (errors.length || !start || !end) return { report: null, errors };
  return { report: { periodStart: start, periodEnd: end, apis, notes }, errors };
}
