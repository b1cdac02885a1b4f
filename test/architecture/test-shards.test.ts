// Rule: `npm test` runs every plain test file exactly once. The files run in the shard processes of
// test/shards (test/helpers/shard.ts), so a file that no shard picks up would silently never run.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { assignShards, plainTestFiles, postgresShardsUrl, shardCount } from '../helpers/shard';
import { REPO_ROOT, sourceFiles } from '../helpers/source-files';

const SHARDS_DIR = path.resolve(__dirname, '../shards');
const weights = JSON.parse(fs.readFileSync(path.join(SHARDS_DIR, 'weights.json'), 'utf8')) as Record<string, number>;

t.test('every plain test file is in exactly one shard, and every shard file runs its own number', async (t) => {
  const files = plainTestFiles();
  t.ok(files.length > 100, `found ${files.length} test files`);
  t.notOk(
    files.some((f) => f.startsWith('test/e2e/') || f.startsWith('test/shards/') || f.includes('/fixtures/')),
    'browser tests, the shard files and fixtures are not plain test files',
  );
  const shards = assignShards(files, weights, shardCount());
  const seen = shards.flat();
  t.equal(seen.length, files.length, 'no file twice');
  t.same([...seen].sort(), files, 'every file once');
  const shardFiles = fs.readdirSync(SHARDS_DIR).filter((n) => n.endsWith('.test.ts'));
  t.equal(shardFiles.length, shardCount(), 'no test file in test/shards but the numbered shards');
  for (const [i, name] of shardFiles.sort().entries()) {
    t.equal(Number.parseInt(name, 10), i + 1, `${name} is numbered in sequence`);
    const source = fs.readFileSync(path.join(SHARDS_DIR, name), 'utf8');
    t.match(source, new RegExp(`runShard\\(${i + 1}\\);`), `${name} runs shard ${i + 1}`);
  }
  const postgresDir = path.resolve(__dirname, '../shards/postgres');
  const postgresFiles = fs.readdirSync(postgresDir).filter((n) => n.endsWith('.test.ts'));
  t.same(postgresFiles.sort(), shardFiles.sort(), 'test/shards/postgres holds one file per shard, named alike');
  for (const [i, name] of postgresFiles.entries()) {
    const source = fs.readFileSync(path.join(postgresDir, name), 'utf8');
    t.match(source, new RegExp(`runShardOnPostgres\\(${i + 1}\\);`), `shards/postgres/${name} runs shard ${i + 1}`);
  }
  const tap = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).tap;
  t.same(
    tap.include,
    ['test/e2e/*.test.ts', 'test/shards/*.test.ts'],
    "tap's default run is the browser tests and the shards",
  );
});

t.test('the shards are balanced: no shard outweighs another by more than its heaviest file', async (t) => {
  const files = Array.from({ length: 40 }, (_, i) => `test/x/${String(i).padStart(2, '0')}.test.ts`);
  const w = Object.fromEntries(files.map((f, i) => [f, ((i * 7919) % 97) + 1]));
  const shards = assignShards(files, w, 6);
  const totals = shards.map((s) => s.reduce((sum, f) => sum + w[f], 0));
  const heaviest = Math.max(...files.map((f) => w[f]));
  t.ok(Math.max(...totals) - Math.min(...totals) <= heaviest, `totals ${totals.join(', ')}`);
  t.same(assignShards(files, w, 6), shards, 'the same input gives the same split');
  const unmeasured = assignShards([...files, 'test/x/new.test.ts'], w, 6).flat();
  t.ok(unmeasured.includes('test/x/new.test.ts'), 'a file with no measured time still runs');
});

t.test('the PostgreSQL shards run only on a PostgreSQL database named by TEST_POSTGRES_URL', async (t) => {
  t.equal(postgresShardsUrl({}), undefined, 'no setting: no database (the shard then fails, saying so)');
  t.equal(postgresShardsUrl({ TEST_POSTGRES_URL: 'sqlite::memory:' }), undefined, 'not PostgreSQL: refused');
  t.equal(postgresShardsUrl({ TEST_POSTGRES_URL: '' }), undefined, 'empty: refused');
  const url = 'postgres://u:p@127.0.0.1:5432/db';
  t.equal(postgresShardsUrl({ TEST_POSTGRES_URL: url }), url, 'a postgres:// URL is used as it is');
});

// Test files share one PostgreSQL database, a schema each, and drop their schema when done. A bare ANALYZE walks
// every schema and fails when another file's table vanishes mid-walk (CI stop 23 from a test file, stop 24 from
// bench/scale-data.ts, which tests call): statistics go through analyzeOwnTables, which names only the own tables.
t.test('no code a test can run issues a bare ANALYZE over the whole shared database', async (t) => {
  const files = ['src', 'test', 'bench'].flatMap(sourceFiles);
  t.ok(
    files.includes('bench/scale-data.ts') && files.includes('test/helpers/explain.ts'),
    'bench and helpers are read',
  );
  const offenders = files.filter(
    (f) =>
      f !== 'src/db/analyze.ts' &&
      /raw\(\s*(['"`])ANALYZE\1\s*\)/.test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')),
  );
  t.same(offenders, [], 'use analyzeOwnTables(db) from src/db/analyze');
});
