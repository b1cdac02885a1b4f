// One owner for an application row: only src/workflow/repository.ts (reached through src/workflow/applications.ts)
// runs SQL on the `applications` table. Every other module loads, locks and checks access through the owner, so
// the rules for who may see an application and how its row is locked live in one place.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** The owner: the one file with SQL on the table. */
const OWNER = 'src/workflow/repository.ts';

/**
 * Read-only reporting queries kept outside the owner on purpose: they aggregate over every application and never
 * load, lock or change one. Each entry says what it reads; a stale entry (no longer mentioning the table) fails.
 */
const READ_ONLY_REPORTING: Record<string, string> = {
  // /staff/usage pipeline: applications counted per stage and status, open items per staff member (COUNT, GROUP BY).
  'src/usage/usage-queries.ts': 'pipeline counts',
};

/** A knex call naming the table (`db('applications')`, `trx<Row>('applications as a')`, `.leftJoin('applications …`). */
const KNEX_TABLE = /\(\s*(['"`])applications(\s+as\s+\w+)?\1/;
/** The table in hand-written SQL (`knex.raw('… FROM applications …')`). */
const RAW_SQL = /\b(from|join|update|into)\s+["`]?applications\b/i;

function mentionsTable(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (KNEX_TABLE.test(line) || RAW_SQL.test(line) ? [i + 1] : []));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

t.test('the detector finds the table in knex calls and SQL, and not in routes, tags or prose', async (t) => {
  for (const line of [
    "await db('applications').where({ id })",
    'await trx<ApplicationRow>("applications").forUpdate()',
    "db('users as u').leftJoin('applications as a', (j) => j)",
    "run.raw('SELECT count(*) FROM applications WHERE status = ?', [s])",
    'knex.raw(`update applications set updated_at = ?`)',
  ])
    t.same(mentionsTable(line), [1], `found in: ${line}`);
  for (const line of [
    "tags: ['applications'],",
    "reply.redirect('/applications')",
    "t.equal(res.headers.location, '/applications/new')",
    "await db('application_versions').where({ application_id: id })",
    '// the applications of an organization, newest first',
  ])
    t.same(mentionsTable(line), [], `not found in: ${line}`);
});

t.test('no module other than the owner runs SQL on the applications table', async (t) => {
  const offenders: string[] = [];
  const seen = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const rel = relative(ROOT, file).split('\\').join('/');
    const lines = mentionsTable(readFileSync(file, 'utf8'));
    if (!lines.length) continue;
    seen.add(rel);
    if (rel === OWNER || rel in READ_ONLY_REPORTING) continue;
    offenders.push(`${rel}:${lines.join(',')}`);
  }
  t.same(offenders, [], 'ask src/workflow/applications.ts instead (load, lock, find, create, touch)');
  t.ok(seen.has(OWNER), 'the owner itself is found (the scan reads the real files)');
  for (const file of Object.keys(READ_ONLY_REPORTING))
    t.ok(seen.has(file), `${file} still reads the table (else remove it from the allow-list)`);
});
