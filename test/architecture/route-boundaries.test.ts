// Rule: a route file is HTTP only (validated input → one service call → view or JSON). It imports no
// repository module and not the services bag (src/services.ts, the composition root: src/app.ts hands each
// route plugin the few services it uses), and it runs no SQL: no knex call (`.from(`, `db(`, `trx(`), no
// transaction, no `app.db`. Route files are the ones named routes.ts, *-routes.ts and pages.ts under src/.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const SERVICES_BAG = path.join(SRC, 'services');

type Rule = 'repository-import' | 'services-bag-import' | 'knex-call' | 'database-handle';

/**
 * Route files outside the first step of issue 15 that still break a rule, with the rules they break. Each
 * entry is owned by the module's own redesign (workflow, inspection, contract, onboarding, the JSON API and
 * the test bed); empty this list as they land. An entry that no longer breaks its rule fails the test below,
 * so the list only shrinks.
 */
const KNOWN_EXCEPTIONS: Record<string, Rule[]> = {};

function isRouteFile(file: string): boolean {
  const base = path.basename(file);
  return base === 'routes.ts' || base.endsWith('-routes.ts') || base === 'pages.ts';
}

function routeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (isRouteFile(full)) out.push(full);
  }
  return out.sort();
}

/** The code without comments (a comment may name what the code must not do). */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\s\/\/\s.*$/gm, '');
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
/** `.from(` on anything but the standard library's converters (Buffer.from, Array.from). */
const KNEX_FROM = /([A-Za-z0-9_$]+)?\s*\.from\(/g;
const KNEX_RUNNER = /\b(?:db|trx)\(/;
const DATABASE_HANDLE = /\bapp\.db\b|\.transaction\(/;

/** The rules a route file's source breaks (`file` is where it lives, for resolving relative imports). */
function violations(file: string, source: string): Rule[] {
  const code = withoutComments(source);
  const found = new Set<Rule>();
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? '';
    if (/repository/i.test(spec)) found.add('repository-import');
    if (spec.startsWith('.') && path.resolve(path.dirname(file), spec).replace(/\.ts$/, '') === SERVICES_BAG)
      found.add('services-bag-import');
  }
  for (const m of code.matchAll(KNEX_FROM)) {
    if (!/^(Array|Buffer|Uint8Array|Set|Map|Object|Readable)$/.test(m[1] ?? '')) found.add('knex-call');
  }
  if (KNEX_RUNNER.test(code)) found.add('knex-call');
  if (DATABASE_HANDLE.test(code)) found.add('database-handle');
  return [...found].sort();
}

t.test('the checker finds each kind of breach (so a clean result means something)', async (t) => {
  const file = path.join(SRC, 'example', 'routes.ts');
  t.same(violations(file, "import type { Services } from '../services';"), ['services-bag-import']);
  t.same(violations(file, "import { createXRepository } from './repository';"), ['repository-import']);
  t.same(violations(file, "const n = await app.db('users').count();"), ['database-handle', 'knex-call']);
  t.same(violations(file, "await trx('users').insert(row);"), ['knex-call']);
  t.same(violations(file, "const rows = await knex.select('*').from('users');"), ['knex-call']);
  t.same(violations(file, 'await db.transaction(async (t) => work(t));'), ['database-handle']);
  t.same(
    violations(file, "import { x } from '../testbed/services';"),
    [],
    'another folder named services is not the bag',
  );
  t.same(violations(file, "reply.send(Buffer.from(bytes)); // app.db('x') in a comment"), []);
  t.ok(isRouteFile('src/a/routes.ts') && isRouteFile('src/a/b-routes.ts') && isRouteFile('src/a/pages.ts'));
  t.notOk(isRouteFile('src/a/service.ts'));
});

t.test('no route file imports a repository or the services bag, or runs SQL', async (t) => {
  const files = routeFiles(SRC);
  t.ok(files.length >= 20, `${files.length} route files under src/`);
  const seen = new Set<string>();
  for (const file of files) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    const broken = violations(file, fs.readFileSync(file, 'utf8'));
    const allowed = KNOWN_EXCEPTIONS[rel] ?? [];
    if (rel in KNOWN_EXCEPTIONS) seen.add(rel);
    t.same(
      broken.filter((r) => !allowed.includes(r)),
      [],
      `${rel}: HTTP only (ask a service; take the services it needs as plugin options)`,
    );
    for (const rule of allowed)
      t.ok(broken.includes(rule), `${rel} no longer breaks ${rule}: remove it from KNOWN_EXCEPTIONS`);
  }
  for (const rel of Object.keys(KNOWN_EXCEPTIONS))
    t.ok(seen.has(rel), `${rel} in KNOWN_EXCEPTIONS is not a route file (moved or renamed?)`);
});
