// .ci/count.js turns tap's own summary lines into CI's closing line. A broken run must never look green.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';

const count = require('../../.ci/count.js') as {
  parseSummary(text: string): { total: number; pass: number; fail: number; todo: number; skip: number } | null;
  failedTests(text: string): string[];
  tally(
    runs: { name: string; file: string; code: number }[],
    checks: { name: string; code: number }[],
  ): { passed: number; failed: number; notes: string[] };
};

// The tail of a real tap 21 run with a failure, a skip, a todo and a file that exited with status 3.
const MIXED = `not ok 3 - test/c.test.ts # time=1045.866ms
    # Subtest: nested
    # { total: 99, pass: 99 }
# No coverage generated
# { total: 9, pass: 4, fail: 3, todo: 1, skip: 1 }
# time=3333.686ms
`;

function fixture(t: { teardown(fn: () => void): void }, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-count-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

t.test("CI counts tap's summary lines: failures, skips and todos as tap reports them", async (t) => {
  t.same(
    count.parseSummary(MIXED),
    { total: 9, pass: 4, fail: 3, todo: 1, skip: 1 },
    'the top-level line, not an indented one',
  );
  t.same(
    count.parseSummary('# { total: 25, pass: 25 }\n# time=1ms\n'),
    { total: 25, pass: 25, fail: 0, todo: 0, skip: 0 },
    'zero counts are left out by tap',
  );
  const dir = fixture(t, { sqlite: MIXED, pg: '# { total: 25, pass: 25 }\n' });
  const r = count.tally(
    [
      { name: 'sqlite', file: path.join(dir, 'sqlite'), code: 1 },
      { name: 'pg', file: path.join(dir, 'pg'), code: 0 },
    ],
    [],
  );
  t.equal(r.passed, 29);
  t.equal(r.failed, 3);
});

t.test('CI counts a run without a tap summary (a crash) and a failed check as failures', async (t) => {
  const dir = fixture(t, {
    crashed: 'TAP version 14\nSegmentation fault\n',
    clean: '# { total: 2, pass: 2 }\n',
    lying: '# { total: 2, pass: 2 }\n',
  });
  t.same(count.parseSummary('TAP version 14\n'), null);
  const crashed = count.tally([{ name: 'pg', file: path.join(dir, 'crashed'), code: 139 }], []);
  t.equal(crashed.failed, 1, 'no summary line: one failure');
  const missing = count.tally([{ name: 'pg', file: path.join(dir, 'never-written'), code: 1 }], []);
  t.equal(missing.failed, 1, 'no output at all: one failure');
  const exitCode = count.tally([{ name: 'sqlite', file: path.join(dir, 'lying'), code: 1 }], []);
  t.same([exitCode.passed, exitCode.failed], [2, 1], 'a non-zero exit with a clean summary: one failure');
  const check = count.tally(
    [{ name: 'sqlite', file: path.join(dir, 'clean'), code: 0 }],
    [{ name: 'type check', code: 2 }],
  );
  t.same([check.passed, check.failed], [2, 1], 'a failed type check: one failure');
  const unaccounted = count.tally([{ name: 'x', file: path.join(dir, 'u'), code: 1 }], []);
  t.equal(unaccounted.failed, 1);
  fs.writeFileSync(path.join(dir, 'u2'), '# { total: 10, pass: 7, skip: 1 }\n');
  t.equal(
    count.tally([{ name: 'x', file: path.join(dir, 'u2'), code: 1 }], []).failed,
    2,
    'tests neither passed, skipped nor todo count as failed',
  );
  fs.writeFileSync(path.join(dir, 'none'), '# { total: 0 }\n');
  t.equal(
    count.tally([{ name: 'x', file: path.join(dir, 'none'), code: 0 }], []).failed,
    1,
    'a run that found no tests: one failure',
  );
});

t.test('CI names each failed assertion by file, subtest and line, and not its failed parents again', async (t) => {
  const tap = [
    '# Subtest: test/api/robustness.test.ts',
    '    # Subtest: a NUL character is refused',
    '        ok 1 - should be equal',
    '        not ok 2 - should be equal',
    '          ---',
    '          at:',
    '            fileName: test/api/robustness.test.ts',
    '            lineNumber: 89',
    '          ...',
    '        1..2',
    '    not ok 1 - a NUL character is refused # time=9ms',
    '    ok 2 - another rule',
    'not ok 1 - test/api/robustness.test.ts # time=10ms',
    '# Subtest: test/b.test.ts',
    'ok 2 - test/b.test.ts',
    '# { total: 3, pass: 2, fail: 1 }',
  ].join('\n');
  t.same(count.failedTests(tap), [
    'test/api/robustness.test.ts › a NUL character is refused › should be equal (test/api/robustness.test.ts:89)',
  ]);
  const dir = fixture(t, { sqlite: tap });
  const r = count.tally([{ name: 'sqlite', file: path.join(dir, 'sqlite'), code: 1 }], []);
  t.ok(
    r.notes.includes(
      'sqlite: FAILED test/api/robustness.test.ts › a NUL character is refused › should be equal (test/api/robustness.test.ts:89)',
    ),
  );
});
