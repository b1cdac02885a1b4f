// Reads tap's own summary lines ("# { total: N, pass: P, fail: F, ... }") from each run's output and prints
// the one closing line CI recognises. Exit non-zero on any failure, a failed type check or a failed run.
const fs = require('node:fs');
const args = process.argv.slice(2);
const files = args.filter((a) => !/^\d+$/.test(a));
const codes = args.filter((a) => /^\d+$/.test(a)).map(Number);
let passed = 0, failed = 0;
for (const f of files) {
  const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  const m = [...text.matchAll(/^# \{ total: (\d+)(.*)\}$/gm)].pop();
  if (!m) { failed += 1; console.log(`no tap summary in ${f}`); continue; }
  const part = (name) => { const r = new RegExp(`${name}: (\\d+)`).exec(m[2]); return r ? Number(r[1]) : 0; };
  passed += part('pass');
  failed += part('fail') + part('todo') * 0;
}
const codeFailures = codes.filter((c) => c !== 0).length;
if (codeFailures && failed === 0) failed += codeFailures; // a crashed run or a failed type check counts as a failure
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
