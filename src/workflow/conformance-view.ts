// The conformance checklist as pages show it: each scenario's name and how to satisfy it (translated),
// passed or open, with links to the requests that satisfied it (the applicant's own request log, or the
// staff view of the organization's log).
import { translate, type Locale } from '../i18n';
import type { ConformanceResult } from './conformance';
import { scenarioMessageId } from './conformance';
import type { FieldError } from '../http/errors';

export function conformanceView(result: ConformanceResult | null, locale: Locale, requestHref: (id: number) => string) {
  if (!result) return null;
  const scenarios = result.scenarios.map((s) => {
    const id = scenarioMessageId(s.key);
    return {
      key: s.key,
      anchor: `scenario-${id}`,
      passed: s.status === 'passed',
      status: s.status,
      title: translate(locale, `requests.conformance.scenarios.${id}.title`),
      how: translate(locale, `requests.conformance.scenarios.${id}.how`),
      evidence: s.evidence.map((e) => ({ id: e, href: requestHref(e) })),
    };
  });
  return {
    complete: result.complete,
    since: result.since,
    scenarios,
    passedCount: scenarios.filter((s) => s.passed).length,
    total: scenarios.length,
  };
}

/** One form error per open scenario, linking to it on the page. */
export function openScenarioErrors(open: readonly string[], locale: Locale): FieldError[] {
  return open.map((key) => {
    const id = scenarioMessageId(key);
    return {
      field: `scenario-${id}`,
      message: 'requests.conformance.open_error',
      params: { scenario: translate(locale, `requests.conformance.scenarios.${id}.title`) },
    };
  });
}
