// Refreshes test/shards/weights.json (how long each plain test file took) from the shard processes' results of
// the last `npm test` or `npx tap`, which tap keeps in .tap/test-results. test/helpers/shard.ts spreads the files
// over the shards by these times; files the last run did not time keep their old weight.
// Usage: npm run -s test:weights
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, '.tap/test-results/test/shards');
const WEIGHTS = path.join(ROOT, 'test/shards/weights.json');

/** A file's subtest line in a shard's output: `ok 3 - test/x/y.test.ts # time=1234.5ms`. */
const FILE_LINE = /^(?:not )?ok \d+ - (test\/\S+\.test\.ts) # time=([\d.]+)ms$/;
/** Only the plain test files are spread over the shards; the browser tests (test/e2e) run on their own. */
const isPlain = (file: string) => !file.startsWith('test/e2e/');

const weights = JSON.parse(fs.readFileSync(WEIGHTS, 'utf8')) as Record<string, number>;
let timed = 0;
const results = fs.existsSync(RESULTS) ? fs.readdirSync(RESULTS).filter((n) => n.endsWith('.tap')) : [];
for (const name of results) {
  for (const line of fs.readFileSync(path.join(RESULTS, name), 'utf8').split('\n')) {
    const match = FILE_LINE.exec(line);
    if (!match) continue;
    weights[match[1]] = Math.round(Number(match[2]));
    timed++;
  }
}
if (timed === 0) {
  console.error('no timings found in .tap/test-results/test/shards: run `npx tap` first');
  process.exit(1);
}
const kept = Object.keys(weights)
  .filter((file) => isPlain(file) && fs.existsSync(path.join(ROOT, file)))
  .sort();
fs.writeFileSync(WEIGHTS, `${JSON.stringify(Object.fromEntries(kept.map((f) => [f, weights[f]])), null, 2)}\n`);
console.log(`${timed} files timed from ${results.length} shard results; ${kept.length} weights written to ${WEIGHTS}`);
