// The stage registry (src/workflow/stages.ts) is where a stage is described; these tests keep the README's
// "Add a stage" steps true (every file and name they point at exists) and make a new stage without its words or
// rows fail here rather than on a page.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, hasMessage } from '../../src/i18n';
import {
  REVIEWED_STAGES,
  STAGE_REGISTRY,
  STAGES,
  applicantStagePath,
  decidedOnReviewScreen,
  stagesForRole,
} from '../../src/workflow/stages';
import { TRANSITIONS } from '../../src/workflow/state-machine';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'src/workflow/README.md'), 'utf8');

/** The section of the README under `## <title>`, up to the next `## `. */
function section(title: string): string {
  const start = README.indexOf(`## ${title}\n`);
  if (start < 0) return '';
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Backticked repository paths: `src/…`, `test/…`, `views/…`. */
function pathsIn(text: string): string[] {
  return [...text.matchAll(/`((?:src|test|views)\/[^`\s]+)`/g)].map((m) => m[1] ?? '');
}

/** "`NAME` in `path`" and "`NAME` (`path`)": a name the step says that file declares. */
function namesIn(text: string): { name: string; path: string }[] {
  return [
    ...text.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`(?:\s+(?:in|from)\s+|\s*\()`((?:src|test|views)\/[^`\s]+)`/g),
  ].map((m) => ({ name: m[1] ?? '', path: m[2] ?? '' }));
}

t.test("the README's steps for adding a stage name files and declarations that exist", async (t) => {
  const steps = section('Add a stage');
  t.match(steps, /^1\. /m, 'the section has numbered steps');
  const paths = [...new Set(pathsIn(steps))];
  t.ok(paths.length >= 8, `the steps name the files to change (${paths.length})`);
  for (const path of paths) t.ok(existsSync(join(ROOT, path)), `${path} exists`);
  const names = namesIn(steps);
  t.ok(names.length >= 8, `the steps name what to change in them (${names.length})`);
  for (const { name, path } of names) {
    const file = existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : '';
    const declared = new RegExp(`\\b(const|let|function|type|interface|class)\\s+${name}\\b`).test(file);
    t.ok(declared, `${path} declares ${name}`);
  }
});

t.test('the detectors of this test see a missing file and a missing name', async (t) => {
  const sample = '1. Add `NOPE` in `src/workflow/stages.ts` and `src/workflow/missing.ts`.';
  t.same(pathsIn(sample), ['src/workflow/stages.ts', 'src/workflow/missing.ts']);
  t.same(namesIn(sample), [{ name: 'NOPE', path: 'src/workflow/stages.ts' }]);
  t.notOk(existsSync(join(ROOT, 'src/workflow/missing.ts')));
  t.notOk(
    /\b(const|let|function|type|interface|class)\s+NOPE\b/.test(
      readFileSync(join(ROOT, 'src/workflow/stages.ts'), 'utf8'),
    ),
  );
});

t.test('every stage has its names in both catalogs, every decided stage its duty message and sections', async (t) => {
  for (const locale of LOCALES) {
    for (const def of STAGE_REGISTRY) {
      t.ok(hasMessage(locale, `workflow.stages.${def.key}`), `${locale}: workflow.stages.${def.key}`);
      if (def.key !== 'live')
        t.ok(hasMessage(locale, `onboarding.stages.${def.key}`), `${locale}: onboarding.stages.${def.key}`);
      if (def.staffRole)
        t.ok(hasMessage(locale, `workflow.errors.duty_decided_${def.key}`), `${locale}: duty_decided_${def.key}`);
      for (const key of def.changeSections ?? [])
        t.ok(hasMessage(locale, `workflow.sections.${key}`), `${locale}: workflow.sections.${key}`);
    }
  }
});

t.test(
  'the transition table follows the registry: each decided stage is claimed, decided and approved by its role',
  async (t) => {
    for (const def of STAGE_REGISTRY) {
      const rows = TRANSITIONS.filter((r) => r.from.stage === def.key && r.event !== 'withdraw');
      if (!def.staffRole) {
        t.ok(
          rows.every((r) => r.event === def.handIn?.event),
          `${def.key}: only the applicant's hand-in (nobody decides it)`,
        );
        continue;
      }
      const { staffRole, approval } = def;
      const next = STAGE_REGISTRY[STAGES.indexOf(def.key) + 1];
      if (!approval || !next) {
        t.fail(`${def.key}: a decided stage is approved into a next stage`);
        continue;
      }
      for (const event of ['claim', 'request_changes', 'reject', approval.event])
        t.ok(
          rows.some((r) => r.event === event && r.roles.includes(staffRole) && r.roles.includes('admin')),
          `${def.key}: ${event} by ${staffRole} or admin`,
        );
      const approvals = rows.filter((r) => r.event === approval.event);
      t.ok(
        approvals.every((r) => r.to.stage === next.key && r.to.status === next.entersAs),
        `${def.key}: approval enters ${next.key}:${next.entersAs}`,
      );
      t.same(
        approvals.map((r) => r.guards ?? []),
        approvals.map(() => approval.guards),
        `${def.key}: approval carries its guards`,
      );
    }
  },
);

t.test('queues, pages and links are derived from the registry', async (t) => {
  t.same(stagesForRole('reviewer'), ['suitability', 'testing']);
  t.same(stagesForRole('inspector'), ['security']);
  t.same(stagesForRole('contract_officer'), ['contract']);
  t.same(stagesForRole('admin'), [...REVIEWED_STAGES]);
  t.same(
    STAGES.filter((s) => decidedOnReviewScreen(s)),
    ['suitability', 'testing'],
    'security and contract are decided on their own pages',
  );
  t.equal(applicantStagePath('x', 'testing'), '/applications/x/testing');
  t.equal(applicantStagePath('x', 'suitability'), null, 'suitability has no page of its own (stage 1 is its form)');
});
