// Rule: no import cycles in src/. The graph is every relative import, re-export and dynamic import of every
// .ts file under src/ (read with the TypeScript compiler's pre-processor, type-only imports included: a
// type cycle still ties two modules together), and a cycle is any strongly connected set of files.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '../../src');

/**
 * Cycles outside src/testbed that other work owns, each as its files (relative to src/, sorted) joined by
 * ' ↔ '. Listed so the test guards src/testbed now and the rest from the moment this list is emptied;
 * a listed cycle that no longer exists fails the test too, so the list only shrinks.
 */
const KNOWN_CYCLES_OUTSIDE_TESTBED: readonly string[] = [];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
    (c) => c.endsWith('.ts') && fs.existsSync(c) && fs.statSync(c).isFile(),
  );
}

function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .filter((i) => i.fileName.startsWith('.'))
      .map((i) => resolveImport(file, i.fileName))
      .filter((f): f is string => f !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected sets of two or more files, or one file that imports itself (Tarjan's algorithm). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const at = (m: Map<string, number>, k: string): number => m.get(k) ?? -1;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(at(low, v), at(low, w)));
      } else if (onStack.has(w)) low.set(v, Math.min(at(low, v), at(index, w)));
    }
    if (at(low, v) !== at(index, v)) return;
    const members: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      members.push(w);
    } while (w !== v);
    if (members.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(members);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** One concrete path around a strongly connected set, for the failure message: a → b → … → a. */
function pathAround(members: string[], graph: Map<string, string[]>): string[] {
  const inSet = new Set(members);
  const start = [...members].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inSet.has(w)) continue;
      if (w === start) {
        const route = [v];
        while (route[0] !== start) route.unshift(previous.get(route[0]!)!);
        return [...route, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return members;
}

const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
const graph = importGraph(sourceFiles(SRC));
const cycles = cyclesOf(graph).map((members) => ({
  key: members.map(rel).sort().join(' ↔ '),
  route: pathAround(members, graph).map(rel).join(' → '),
  inTestbed: members.some((f) => rel(f).startsWith('testbed/')),
}));

t.test('the import graph is read: the app imports the test bed plugin', async (t) => {
  t.ok(graph.get(path.join(SRC, 'app.ts'))?.includes(path.join(SRC, 'testbed/plugin.ts')));
  t.ok(graph.size > 100, `${graph.size} files`);
});

t.test('the cycle finder finds a cycle and names its path', async (t) => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
  ]);
  const found = cyclesOf(g);
  t.equal(found.length, 1);
  t.same(pathAround(found[0]!, g), ['a', 'b', 'c', 'a']);
  t.same(cyclesOf(new Map([['x', ['x']]])), [['x']], 'a file importing itself');
  t.same(cyclesOf(new Map([['x', ['y']]])), [], 'no cycle');
});

t.test('no import cycle runs through src/testbed', async (t) => {
  const inTestbed = cycles.filter((c) => c.inTestbed).map((c) => c.route);
  t.same(inTestbed, [], inTestbed.length ? `cycles:\n${inTestbed.join('\n')}` : 'none');
});

t.test('no import cycle in src/ except the known ones outside the test bed, and those still exist', async (t) => {
  const others = cycles.filter((c) => !c.inTestbed);
  const unknown = others.filter((c) => !KNOWN_CYCLES_OUTSIDE_TESTBED.includes(c.key)).map((c) => c.route);
  t.same(unknown, [], unknown.length ? `new cycles:\n${unknown.join('\n')}` : 'none');
  const gone = KNOWN_CYCLES_OUTSIDE_TESTBED.filter((k) => !others.some((c) => c.key === k));
  t.same(gone, [], 'a listed cycle that is gone: remove it from KNOWN_CYCLES_OUTSIDE_TESTBED');
});
