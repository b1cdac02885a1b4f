// Rule: the steps src/testbed/README.md gives for a new KFTC endpoint name files that exist, so the guide
// cannot drift from the tree (a renamed or moved file fails here until the README follows).
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'src/testbed/README.md'), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`## ${title}`);
  if (start < 0) return '';
  const next = README.indexOf('\n## ', start + 3);
  return README.slice(start, next < 0 ? undefined : next);
}

t.test('"Where a new KFTC endpoint goes" is numbered steps naming files that exist', async (t) => {
  const steps = section('Where a new KFTC endpoint goes');
  t.ok(steps, 'the section exists');
  t.ok(/^1\. /m.test(steps) && /^4\. /m.test(steps), 'numbered steps');
  const named = [...steps.matchAll(/`((?:src|test)\/[^`\s]+\.ts)`/g)].map((m) => m[1]!);
  t.ok(named.length >= 10, `${named.length} files named`);
  const missing = named.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  t.same(missing, [], 'every named file exists');
});

t.test('the file-by-file walk through a withdrawal names files that exist', async (t) => {
  const walk = README.slice(README.indexOf('How a withdrawal reads'), README.indexOf('KFTC codes:'));
  const named = [...walk.matchAll(/`([a-z-]+\/[a-z-]+\.ts|[a-z-]+\.ts)`/g)].map((m) => m[1]!);
  t.ok(named.length >= 8, `${named.length} files named`);
  const missing = named.filter((f) => !fs.existsSync(path.join(ROOT, 'src/testbed', f)));
  t.same(missing, [], 'every named file exists under src/testbed');
});
