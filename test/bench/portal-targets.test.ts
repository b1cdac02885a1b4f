import t from 'tap';
import { PORTAL, PORTAL_TARGETS, portalChecks, type MeasuredScenario } from '../../bench/portal-targets';

const scenario = (name: string, ratio: number, errors = 0): MeasuredScenario => ({
  name,
  rps: ratio * 50_000,
  p99: 5,
  errors,
  cpuMsPerRequest: 0.2,
  ratio,
});

t.test('the bench checks the five portal targets of issue 16 as shares of the baseline', async (t) => {
  t.same(
    PORTAL_TARGETS.map((x) => [x.scenario, x.minShare]),
    [
      [PORTAL.staff, 0.08],
      [PORTAL.application, 0.08],
      [PORTAL.docs, 0.1],
      [PORTAL.healthz, 0.4],
      [PORTAL.hashedCss, 0.3],
    ],
  );
  const checks = portalChecks([
    scenario(PORTAL.staff, 0.081),
    scenario(PORTAL.application, 0.079),
    scenario(PORTAL.docs, 0.2, 3),
    scenario(PORTAL.healthz, 0.4),
  ]);
  t.same(
    checks.map((c) => [c.key, c.pass]),
    [
      ['portal_staff_at_least_8pct', true],
      ['portal_application_page_at_least_8pct', false],
      ['portal_docs_at_least_10pct', false],
      ['portal_healthz_at_least_40pct', true],
      ['portal_static_at_least_30pct', false],
    ],
    'below the share, with errors, or not measured at all: each a miss',
  );
  t.equal(checks[0]!.measured!.cpuMsPerRequest, 0.2, 'each reported with its CPU ms per request');
  t.equal(checks[4]!.measured, null, 'a scenario that did not run is reported as not measured');
});
