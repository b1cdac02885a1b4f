// Issue 16's portal targets for `npm run bench`: each a share of the same run's hello-world baseline (req/s),
// checked against what the portal scenarios measured; a target whose scenario did not run or answered errors
// is a miss, never a pass. Printed by bench/run.ts and written to the `portal` section of bench/results.json.
import { DEMO_APPLICATION_IDS } from '../seeds/02_applications';

/** What bench/run.ts measured for one scenario (the fields the checks read). */
export interface MeasuredScenario {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  cpuMsPerRequest: number;
  ratio?: number;
}

/**
 * The signed-in pages bench/signed-in-pages.ts (over HTTP) and bench/signed-in-inject.ts (in-process) measure, by
 * name, and the ones BENCH_PAGES=staff,notfound (a comma-separated list of names) picks; all of them by default.
 */
export const SIGNED_IN_PAGES: Record<string, string> = {
  staff: '/staff',
  application: `/staff/applications/${DEMO_APPLICATION_IDS.demoFintech}`,
  docs: '/docs',
  notfound: '/no-such-page',
};
export const pickedSignedInPages = (): string[] =>
  (process.env.BENCH_PAGES ?? Object.keys(SIGNED_IN_PAGES).join(',')).split(',').filter((p) => SIGNED_IN_PAGES[p]);

/**
 * What a browser adds to every page request that changes the answer: Accept-Encoding as Chromium sends it (the
 * cached /docs body then goes gzip-compressed, src/http/gzip-splice.ts). BENCH_ACCEPT_ENCODING= (empty) sends none,
 * as a script or an old client would.
 */
export const browserHeaders = (): Record<string, string> => {
  const value = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br, zstd';
  return value ? { 'accept-encoding': value } : {};
};

/** The portal scenarios that have a target (issue 16). */
export const PORTAL = {
  staff: 'portal: /staff (signed in)',
  application: 'portal: application page (signed in)',
  docs: 'portal: /docs (signed in)',
  healthz: 'portal: /healthz',
  hashedCss: 'portal: /public/app.<hash>.css (immutable)',
};

export const PORTAL_TARGETS: { key: string; name: string; scenario: string; minShare: number }[] = [
  { key: 'portal_staff_at_least_8pct', name: 'signed-in /staff', scenario: PORTAL.staff, minShare: 0.08 },
  {
    key: 'portal_application_page_at_least_8pct',
    name: 'signed-in staff application page',
    scenario: PORTAL.application,
    minShare: 0.08,
  },
  { key: 'portal_docs_at_least_10pct', name: 'signed-in /docs', scenario: PORTAL.docs, minShare: 0.1 },
  { key: 'portal_healthz_at_least_40pct', name: '/healthz', scenario: PORTAL.healthz, minShare: 0.4 },
  {
    key: 'portal_static_at_least_30pct',
    name: 'a static asset (hashed name)',
    scenario: PORTAL.hashedCss,
    minShare: 0.3,
  },
];

/** Each portal target against what was measured (a scenario that did not run is a miss, never a pass). */
export function portalChecks(portal: MeasuredScenario[]) {
  return PORTAL_TARGETS.map((target) => {
    const r = portal.find((x) => x.name === target.scenario);
    const measured = r
      ? { share: r.ratio ?? 0, rps: r.rps, p99: r.p99, cpuMsPerRequest: r.cpuMsPerRequest, errors: r.errors }
      : null;
    return {
      ...target,
      measured,
      pass: measured !== null && measured.errors === 0 && measured.share >= target.minShare,
    };
  });
}
