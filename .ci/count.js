// Sums tap's own summary lines of every test run and prints the ONE closing line CI recognises:
//   tests: N passed, M failed
// Usage: node .ci/count.js --run <name>=<tap output file>:<exit code> … [--check <name>=<exit code> …]
//
// tap 21 ends a run with a top-level comment such as
//   # { total: 9, pass: 4, fail: 3, todo: 1, skip: 1 }
// (keys with a zero count are left out: a clean run prints "# { total: 25, pass: 25 }"; todo and skip
// count as neither passed nor failed). Rules, so that no broken run can look green:
// - a run without that line (tap crashed, was killed, bailed out, never started) counts as 1 failure;
// - a run that found no tests at all (total 0) counts as 1 failure;
// - failures are the larger of `fail` and total - pass - skip - todo (nothing unaccounted for);
// - a run that exits non-zero although its summary shows no failure counts as 1 failure;
// - a failed check (type check, database set-up) counts as 1 failure.
// Exits 1 when anything failed.
'use strict';
const fs = require('node:fs');

/** Parses the last top-level tap summary line of `text`, or returns null when there is none. */
function parseSummary(text) {
  const lines = [...text.matchAll(/^# \{ (total: \d+[^}\n]*)\}\s*$/gm)];
  if (lines.length === 0) return null;
  const body = lines[lines.length - 1][1];
  const counts = { total: 0, pass: 0, fail: 0, todo: 0, skip: 0 };
  for (const [, key, value] of body.matchAll(/(\w+): (\d+)/g)) counts[key] = Number(value);
  return counts;
}

/**
 * The failed leaf assertions of a tap run, each as "file › subtest › … › assertion (file:line)", so that
 * the CI log names what failed even when only its last lines are kept.
 */
function failedTests(text) {
  const stack = [];
  const found = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const sub = /^( *)# Subtest: (.*)$/.exec(line);
    if (sub) {
      const depth = Math.floor(sub[1].length / 4);
      stack.length = depth;
      stack[depth] = sub[2];
      continue;
    }
    const bad = /^( *)not ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (!bad) continue;
    const depth = Math.floor(bad[1].length / 4);
    const pathParts = [...stack.slice(0, depth), bad[2]];
    const last = found[found.length - 1];
    // A failed subtest is reported after its failed children: keep only the deepest.
    if (last && last.depth > depth && last.parts.slice(0, pathParts.length).join('\u0000') === pathParts.join('\u0000'))
      continue;
    let where = '';
    for (let j = i + 1; j < Math.min(lines.length, i + 12); j++) {
      const file = /fileName: (\S+)/.exec(lines[j]);
      const lineNo = /lineNumber: (\d+)/.exec(lines[j + 1] ?? '');
      if (file && lineNo) {
        where = ` (${file[1]}:${lineNo[1]})`;
        break;
      }
    }
    found.push({ depth, parts: pathParts, text: pathParts.join(' › ') + where });
  }
  return found.map((f) => f.text);
}

function tally(runs, checks) {
  let passed = 0;
  let failed = 0;
  const notes = [];
  for (const run of runs) {
    const text = fs.existsSync(run.file) ? fs.readFileSync(run.file, 'utf8') : '';
    const s = parseSummary(text);
    if (!s) {
      failed += 1;
      notes.push(`${run.name}: no tap summary line in ${run.file} (exit code ${run.code}): counted as 1 failure`);
      continue;
    }
    const unaccounted = s.total - s.pass - s.skip - s.todo;
    let runFailed = Math.max(s.fail, unaccounted, 0);
    if (s.total === 0) {
      runFailed = 1;
      notes.push(`${run.name}: tap ran no tests at all: counted as 1 failure`);
    }
    if (runFailed === 0 && run.code !== 0) {
      runFailed = 1;
      notes.push(
        `${run.name}: tap exited with ${run.code} although its summary shows no failure: counted as 1 failure`,
      );
    }
    passed += s.pass;
    failed += runFailed;
    if (runFailed > 0) {
      const names = failedTests(text);
      for (const name of names.slice(0, 30)) notes.push(`${run.name}: FAILED ${name}`);
      if (names.length > 30) notes.push(`${run.name}: … and ${names.length - 30} more failures`);
    }
    notes.push(
      `${run.name}: ${s.pass} passed, ${runFailed} failed` +
        (s.skip ? `, ${s.skip} skipped` : '') +
        (s.todo ? `, ${s.todo} todo` : '') +
        ` (of ${s.total})`,
    );
  }
  for (const check of checks) {
    if (check.code !== 0) {
      failed += 1;
      notes.push(`${check.name}: failed (exit code ${check.code}): counted as 1 failure`);
    }
  }
  return { passed, failed, notes };
}

function parseArgs(argv) {
  const runs = [];
  const checks = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i] ?? '';
    if (flag === '--run') {
      const m = /^([^=]+)=(.*):(-?\d+)$/.exec(value);
      if (!m) throw new Error(`--run expects <name>=<file>:<exit code>, got "${value}"`);
      runs.push({ name: m[1], file: m[2], code: Number(m[3]) });
    } else if (flag === '--check') {
      const m = /^([^=]+)=(-?\d+)$/.exec(value);
      if (!m) throw new Error(`--check expects <name>=<exit code>, got "${value}"`);
      checks.push({ name: m[1], code: Number(m[2]) });
    } else {
      throw new Error(`unknown argument "${flag}"`);
    }
  }
  return { runs, checks };
}

if (require.main === module) {
  let result;
  try {
    const { runs, checks } = parseArgs(process.argv.slice(2));
    result = tally(runs, checks);
  } catch (err) {
    console.log(`count.js: ${err.message}`);
    result = { passed: 0, failed: 1, notes: [] };
  }
  for (const n of result.notes) console.log(`  ${n}`);
  console.log(`tests: ${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed > 0 ? 1 : 0);
}

module.exports = { parseSummary, failedTests, tally, parseArgs };
