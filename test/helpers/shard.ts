// Runs the plain (non-browser) test files in a few processes instead of one process each.
//
// Why: a tap child process costs about 2 s of CPU before a test's first line runs (node, tsx's loader, tap's
// plugins, processinfo), and each file then imports the whole app again (about 1 s more). With some 170 test
// files that fixed cost was half of the suite's CPU. tap runs test/shards/NN.test.ts instead; each one loads its
// share of the test files into one process (README, "Tests and CI").
//
// Each file runs as its own subtest named by its path, and the file sees that subtest as its `t`: the file's
// top-level `t.test`, `t.before` and `t.teardown` belong to it, so a file's shared apps are closed when the file
// ends, and a failure is reported under the file's path. A file that times out fails alone (see runFiles).
// Running one file alone (`npx tap test/x.test.ts`) works as before: the file is a normal tap test file and knows
// nothing of this.
//
// Which file runs in which shard: files are spread by their last measured time (weights.json beside the shard
// files; `npm run -s test:weights` refreshes it from the last run) so the shards take about as long as each
// other. A file with no measured time counts as the median. The assignment depends only on the list of files and
// the weights, so every shard process computes the same split.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(__dirname, '../..');
const SHARDS_DIR = path.join(ROOT, 'test/shards');
/** Folders whose files are not plain tap files run by the shards. */
const NOT_SHARDED = new Set(['test/e2e', 'test/helpers', 'test/shards', 'test/shards/postgres']);
/** Where CI's PostgreSQL shards find their database (see runShardOnPostgres). */
const POSTGRES_SHARDS_URL = 'TEST_POSTGRES_URL';

/** Every plain test file, as a path relative to the repository, sorted. */
export function plainTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!NOT_SHARDED.has(rel) && entry.name !== 'fixtures') walk(rel);
      } else if (entry.name.endsWith('.test.ts')) {
        found.push(rel);
      }
    }
  };
  walk('test');
  return found.sort();
}

/** The shard files (test/shards/NN.test.ts): their number is the shard count. */
export function shardCount(): number {
  return readdirSync(SHARDS_DIR).filter((name) => /^\d+\.test\.ts$/.test(name)).length;
}

function readWeights(): Record<string, number> {
  return JSON.parse(readFileSync(path.join(SHARDS_DIR, 'weights.json'), 'utf8')) as Record<string, number>;
}

/**
 * Spreads the files over `count` shards: heaviest first, each to the lightest shard so far (ties to the lower
 * number). Within a shard, files run heaviest first.
 */
export function assignShards(files: string[], weights: Record<string, number>, count: number): string[][] {
  const known = files.map((f) => weights[f]).filter((w): w is number => typeof w === 'number');
  known.sort((a, b) => a - b);
  const median = known.length > 0 ? known[Math.floor(known.length / 2)] : 1;
  const weighed = files.map((file) => ({ file, weight: weights[file] ?? median }));
  weighed.sort((a, b) => b.weight - a.weight || a.file.localeCompare(b.file));
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], total: 0 }));
  for (const { file, weight } of weighed) {
    let lightest = shards[0];
    for (const shard of shards) if (shard.total < lightest.total) lightest = shard;
    lightest.files.push(file);
    lightest.total += weight;
  }
  return shards.map((s) => s.files);
}

/**
 * What a test file gets from `require('tap')` (its `import t from 'tap'`) while it loads inside its subtest: the
 * subtest, answering for the root test. tap's CommonJS export is the root test itself, with tap's named exports
 * (classes, plugins) as extra properties; those still come from the real module.
 */
function tapExportsFor(original: object, scoped: object, onSetTimeout: (ms: number) => void): object {
  const exportsObject: object = new Proxy(scoped, {
    get(target, key) {
      if (key === 'default' || key === 't' || key === 'tap') return exportsObject;
      if (key === 'setTimeout') {
        return (ms: number) => {
          onSetTimeout(ms);
          return (target as { setTimeout(ms: number): unknown }).setTimeout(ms);
        };
      }
      if (!(key in target)) return Reflect.get(original, key);
      const value: unknown = Reflect.get(target, key);
      // Called as `t.test(…)`, a method would see this proxy as `this`; tap's classes keep private fields.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return exportsObject;
}

/** Runs shard `number` (1-based) of the plain test files in this process. */
export function runShard(number: number): void {
  const count = shardCount();
  if (!Number.isInteger(number) || number < 1 || number > count) {
    throw new Error(`shard ${number} does not exist: test/shards holds ${count}`);
  }
  runFiles(assignShards(plainTestFiles(), readWeights(), count)[number - 1]);
}

/** The PostgreSQL database CI's second run of the shards uses, or undefined when none is named. */
export function postgresShardsUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env[POSTGRES_SHARDS_URL];
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

/**
 * Runs shard `number` of the plain test files again, on the PostgreSQL database named by TEST_POSTGRES_URL
 * (test/shards/postgres/NN.test.ts). CI runs these in the same tap run as `npm test`'s files, so one scheduler
 * keeps both cores busy across the two databases (.ci/run). This process's DATABASE_URL becomes that URL, which
 * is what every test helper reads; the long reliability runs (RELIABILITY_LONG) stay on the SQLite pass.
 * Without the setting the shard fails, saying so: a pass asked for must not turn green by running nothing.
 */
export function runShardOnPostgres(number: number): void {
  const url = postgresShardsUrl(process.env);
  if (!url) {
    t.fail(`${POSTGRES_SHARDS_URL} must name a PostgreSQL database (postgres://…) to run this shard on PostgreSQL`);
    return;
  }
  process.env.DATABASE_URL = url;
  delete process.env.RELIABILITY_LONG;
  runShard(number);
}

/**
 * Runs these test files (paths relative to the repository) in this process, one subtest each.
 *
 * Time limits: tap's --timeout (TAP_TIMEOUT) bounds each file, as a timeout of its subtest; a file that times out
 * fails and the shard goes on with the next file. The runner's own limit on the process is told once, at the
 * start, as the sum of the files' limits, so it only stops a process that hangs. A file that asks for more time
 * at its top level (`t.setTimeout(600_000)`) gets it for its subtest, and the process's limit grows to match.
 */
function runFiles(files: readonly string[]): void {
  const tapEntry = require.cache[require.resolve('tap')];
  if (!tapEntry) throw new Error('tap is not loaded through require: the shard runner cannot scope it');
  const perFileMs = Number(process.env.TAP_TIMEOUT ?? 30) * 1000;
  if (perFileMs > 0) t.setTimeout(perFileMs * files.length);
  for (const [index, file] of files.entries()) {
    const later = files.length - index - 1;
    t.test(file, perFileMs > 0 ? { timeout: perFileMs } : {}, async (scoped) => {
      const original = tapEntry.exports as object;
      tapEntry.exports = tapExportsFor(original, scoped, (ms) => {
        if (perFileMs > 0 && ms > 0) t.setTimeout(ms + perFileMs * later);
      });
      try {
        require(path.join(ROOT, file));
      } finally {
        tapEntry.exports = original;
      }
    });
  }
}
