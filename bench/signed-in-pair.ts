// npx tsx bench/signed-in-pair.ts <before-tree> [<after-tree>] — two trees' signed-in pages, in-process, measured
// in interleaved batches so that both see the same machine load (issue 16). Starts bench/signed-in-inject.ts
// from each tree as a worker (its own app, SQLite file and demo data, signed in as the demo reviewer), warms
// both up, then for BENCH_PAIR_ROUNDS rounds (default 8) asks each in turn, the order alternating, for
// BENCH_VIEWS views (default 300) of every page. Prints the median CPU ms per view of each tree, the median of
// the per-round after/before ratios, and the statements one view sends. The after tree defaults to this one;
// a before tree is a `git archive` copy of the base commit with the same node_modules and this bench's
// bench/signed-in-inject.ts copied in.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

// The same names and default as bench/signed-in-inject.ts (which runs on import, so it is not imported).
const PAGES = (process.env.BENCH_PAGES ?? 'staff,application,docs,notfound').split(',');
const ROUNDS = Number(process.env.BENCH_PAIR_ROUNDS ?? 8);
const VIEWS = Number(process.env.BENCH_VIEWS ?? 300);
type Figures = { cpuMsPerView: number; statements: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function worker(
  tree: string,
): Promise<{ ask(page: string, views: number): Promise<Figures>; stop(): void; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = fork(path.join(tree, 'bench/signed-in-inject.ts'), [], {
      cwd: tree,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.once('exit', (code) => reject(new Error(`worker in ${tree} exited (${code})`)));
    proc.once('message', () =>
      resolve({
        proc,
        ask: (page, views) =>
          new Promise((done) => {
            proc.once('message', (m) => done(m as Figures));
            proc.send({ page, views });
          }),
        stop: () => proc.send({ stop: true }),
      }),
    );
  });
}

async function main() {
  const beforeTree = path.resolve(process.argv[2] ?? '');
  const afterTree = path.resolve(process.argv[3] ?? path.join(__dirname, '..'));
  const [before, after] = [await worker(beforeTree), await worker(afterTree)];
  try {
    for (const page of PAGES) {
      await before.ask(page, VIEWS);
      await after.ask(page, VIEWS);
    }
    const seen: Record<string, { before: Figures[]; after: Figures[] }> = {};
    for (const page of PAGES) seen[page] = { before: [], after: [] };
    const loads: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const page of PAGES) {
        const order = r % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
        for (const which of order)
          seen[page]![which].push(await (which === 'before' ? before : after).ask(page, VIEWS));
      }
      loads.push(os.loadavg()[0]!);
    }
    console.log(
      `${ROUNDS} rounds of ${VIEWS} views per page and tree; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
    );
    for (const page of PAGES) {
      const s = seen[page]!;
      const ratios = s.after.map((a, i) => a.cpuMsPerView / s.before[i]!.cpuMsPerView);
      console.log(
        `${page.padEnd(12)} before ${median(s.before.map((f) => f.cpuMsPerView)).toFixed(3)} CPU ms/view ` +
          `(${s.before[0]!.statements} statements), after ${median(s.after.map((f) => f.cpuMsPerView)).toFixed(3)} ` +
          `(${s.after[0]!.statements} statements); after/before median ${median(ratios).toFixed(2)} ` +
          `(rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
      );
    }
  } finally {
    before.stop();
    after.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
