// Rule: a folder README (src/*/README.md) names only files, declarations and functions that exist, so the
// steps it gives — where a new stage, a new KFTC endpoint, a new portal page or a new /api/v1 endpoint goes —
// cannot drift from the tree: a file moved or a function renamed fails here until the README follows.
// (test/workflow/stage-registry.test.ts and test/testbed/readme-steps.test.ts check the first two guides'
// steps in more detail.)
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

const READMES = fs
  .readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, 'src', d.name, 'README.md')))
  .map((d) => `src/${d.name}/README.md`);

/** The guides the issue asks for: which README, which section, and at least how many files its steps name. */
const GUIDES = [
  { readme: 'src/workflow/README.md', section: 'Add a stage', minFiles: 8 },
  { readme: 'src/testbed/README.md', section: 'Where a new KFTC endpoint goes', minFiles: 10 },
  { readme: 'src/http/README.md', section: 'Add a page', minFiles: 6 },
  { readme: 'src/api/README.md', section: 'Add an endpoint', minFiles: 4 },
] as const;

/** Words in backticks that are prose or data, not code. */
const NOT_CODE = new Set(['unclaim', 'loca']);

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** The code without comments (a comment may still name what no longer exists). */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
    .replace(/\{\{!--[\s\S]*?--\}\}/g, '');
}

const CODE_DIRS = ['src', 'test', 'views', 'migrations', 'seeds', 'bench', 'scripts', 'public'];
const codeFiles = CODE_DIRS.flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? walk(path.join(ROOT, d)) : [])).filter(
  (f) => /\.(ts|hbs|js|css)$/.test(f) && f !== __filename, // not this file: its samples name what does not exist
);
const basenames = new Set(walk(ROOT).map((f) => path.basename(f)));
const codeWords = new Set(
  codeFiles.flatMap((f) => withoutComments(fs.readFileSync(f, 'utf8')).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []),
);

/** Backticked spans of a Markdown text (a span may wrap onto the next line; fenced code blocks are left out). */
function spans(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? '').replace(/\s*\n\s*/g, ' '));
}

/** A span that is a placeholder or a pattern (`*-routes.ts`, `<lang>`, `{ko,en}`, `YYYYMMDD…`), not a name. */
const isPattern = (span: string) => /[*<{]|YYYY/.test(span);

/** File paths in a span (also inside a command such as `npx tsx bench/x.ts`); URLs (`/api/v1/…`) are not. */
function pathsIn(span: string): string[] {
  if (isPattern(span)) return [];
  return [
    ...span.matchAll(/(?<![\w/.-])((?:\.\.\/)*(?:[\w-]+\/)*[\w.-]+\.(?:ts|hbs|md|json|css|js|sql|ya?ml))\b/g),
  ].map((m) => m[1] ?? '');
}

/**
 * Where a path named in `readme` is: beside the README, under src/, or from the repository's root. A bare file
 * name (`routes.ts`) may be any file of that name; a path that leaves the repository (`../shared/…`) is not
 * checked. Undefined: nowhere.
 */
function resolve(readme: string, file: string): string | undefined {
  const dir = path.dirname(readme);
  for (const candidate of [path.join(dir, file), path.join('src', file), path.normalize(file)]) {
    if (!candidate.startsWith('..') && fs.existsSync(path.join(ROOT, candidate))) return candidate;
  }
  if (path.normalize(file).startsWith('..')) return file;
  if (!file.includes('/') && basenames.has(file)) return file;
  return undefined;
}

/** "`NAME` in `path`", "`NAME` from `path`", "`NAME()` (`path`)": a name the README places in that file. */
function placedNames(text: string): { name: string; file: string }[] {
  const re = /`([A-Za-z_][A-Za-z0-9_]*)(?:\(\))?`(?:\s+(?:in|from)\s+|\s*\()`((?:\.\.\/)*[\w./-]+\.ts)`/g;
  return [...text.matchAll(re)].map((m) => ({ name: m[1] ?? '', file: m[2] ?? '' }));
}

/** Identifiers a span names as code: every word of four letters or more, `fn(` calls included. */
function codeNamesIn(span: string): string[] {
  if (isPattern(span) || /^(npm|npx|node)\s/.test(span) || /^[\w./-]+\.[a-z]+$/.test(span)) return [];
  return (span.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((w) => w.length >= 4 && !NOT_CODE.has(w));
}

/** The README's section under `## <title>`, up to the next `## `. */
function section(text: string, title: string): string {
  const start = text.indexOf(`## ${title}\n`);
  if (start < 0) return '';
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

function fileDeclaresOrUses(file: string | undefined, name: string): boolean {
  if (!file || !fs.existsSync(path.join(ROOT, file))) return false;
  const code = withoutComments(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  return new RegExp(`\\b${name}\\b`).test(code);
}

t.test('the folder READMEs are found', async (t) => {
  t.ok(READMES.length >= 15, `${READMES.length} READMEs`);
  for (const g of GUIDES) t.ok(READMES.includes(g.readme), g.readme);
});

t.test('every file a folder README names exists', async (t) => {
  for (const readme of READMES) {
    const text = fs.readFileSync(path.join(ROOT, readme), 'utf8');
    const missing = [...new Set(spans(text).flatMap(pathsIn))].filter((f) => !resolve(readme, f));
    t.same(missing, [], `${readme}: every named file exists`);
  }
});

t.test('a name a folder README places in a file is in that file', async (t) => {
  for (const readme of READMES) {
    const text = fs.readFileSync(path.join(ROOT, readme), 'utf8');
    const misplaced = placedNames(text)
      .filter(({ name, file }) => !fileDeclaresOrUses(resolve(readme, file), name))
      .map(({ name, file }) => `${name} in ${file}`);
    t.same(misplaced, [], `${readme}: every "X in file" holds`);
  }
});

t.test('every function, type and constant a folder README names exists in the code', async (t) => {
  for (const readme of READMES) {
    const text = fs.readFileSync(path.join(ROOT, readme), 'utf8');
    const unknown = [...new Set(spans(text).flatMap(codeNamesIn))].filter((w) => !codeWords.has(w));
    t.same(unknown, [], `${readme}: every name is in the code`);
  }
});

t.test('each guide is numbered steps naming files and what to change in them', async (t) => {
  for (const g of GUIDES) {
    const steps = section(fs.readFileSync(path.join(ROOT, g.readme), 'utf8'), g.section);
    t.match(steps, /^1\. /m, `${g.readme} "${g.section}" has numbered steps`);
    const files = new Set(spans(steps).flatMap(pathsIn));
    t.ok(files.size >= g.minFiles, `${g.readme} "${g.section}" names ${files.size} files`);
  }
});

t.test('the detectors see a missing file, a misplaced name and an unknown function', async (t) => {
  const readme = 'src/workflow/README.md';
  const sample = 'Add `transferMany()` and `STAGE_REGISTRY` in `src/workflow/routes.ts` and `missing.ts`.';
  t.same(spans(sample).flatMap(pathsIn), ['src/workflow/routes.ts', 'missing.ts']);
  t.equal(resolve(readme, 'missing.ts'), undefined, 'a missing file is found missing');
  t.equal(resolve(readme, 'stages.ts'), 'src/workflow/stages.ts', 'a file beside the README is found');
  t.same(placedNames(sample), [{ name: 'STAGE_REGISTRY', file: 'src/workflow/routes.ts' }]);
  t.notOk(fileDeclaresOrUses(resolve(readme, 'src/workflow/routes.ts'), 'STAGE_REGISTRY'), 'not in routes.ts');
  t.ok(fileDeclaresOrUses(resolve(readme, 'src/workflow/stages.ts'), 'STAGE_REGISTRY'), 'but in stages.ts');
  t.notOk(codeWords.has('transferMany'), 'a function that does not exist is not in the code');
  t.ok(codeWords.has('submittedRecord'), 'one that exists is');
});
