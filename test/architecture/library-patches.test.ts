// Rule (issue 15): every change the project makes to a library's internals sits behind one door,
// src/library-patches.ts: each patch names the exact versions it was verified against, and an upgrade of any of
// them fails here, loudly, until the patch is re-verified. A source file that reaches into a library's internals
// (a require or import of a package's lib/, dist/ or src/ files) without being listed there fails too.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { LIBRARY_PATCHES } from '../../src/library-patches';
import { REPO_ROOT as ROOT, sourceFiles } from '../helpers/source-files';

/** Package paths into a library's internals that `text` requires or imports ('@scope/pkg/lib/x', 'pkg/dist/y'). */
function internalsReachedIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(
    /(?:require\(|from |import\()\s*['"]((?:@[\w.-]+\/)?[a-z][\w.-]*\/(?:lib|dist|src)\/[^'"]+)['"]/g,
  ))
    found.push(m[1]!);
  return found;
}

t.test('the internals check finds a reach into a package and ignores the package itself', async (t) => {
  t.same(internalsReachedIn("const S = require('@fastify/session/lib/session');"), ['@fastify/session/lib/session']);
  t.same(internalsReachedIn("import x from 'knex/lib/dialects/sqlite3';"), ['knex/lib/dialects/sqlite3']);
  t.same(internalsReachedIn("import knex from 'knex'; import { x } from './lib/thing';"), []);
});

t.test('every installed version is the one its patch was verified against', async (t) => {
  t.ok(LIBRARY_PATCHES.length >= 2, 'the patches are listed');
  for (const patch of LIBRARY_PATCHES) {
    t.ok(fs.existsSync(path.join(ROOT, patch.module)), `${patch.module} exists`);
    for (const test of patch.tests) t.ok(fs.existsSync(path.join(ROOT, test)), `${test} exists`);
    for (const [name, version] of Object.entries(patch.verifiedAgainst)) {
      const installed = (
        JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }
      ).version;
      t.equal(
        installed,
        version,
        `${name} ${installed} is installed, but ${patch.module} was verified against ${version}: re-verify it ` +
          `(its header names the internal it relies on), run ${patch.tests.join(', ')}, then update its pin`,
      );
    }
  }
});

t.test("no source file reaches into a library's internals unless src/library-patches.ts lists it", async (t) => {
  const listed = new Set(LIBRARY_PATCHES.map((p) => p.module));
  const reaching = sourceFiles('src').filter(
    (f) => internalsReachedIn(fs.readFileSync(path.join(ROOT, f), 'utf8')).length,
  );
  t.ok(reaching.includes('src/http/session-change-check.ts'), 'the check sees the known one');
  t.same(
    reaching.filter((f) => !listed.has(f)),
    [],
    'files reaching into library internals are listed in src/library-patches.ts',
  );
});
