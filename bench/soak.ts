// Memory of the bench's app server, read from /proc/<pid>/status (Linux) by the parent: an RSS sample
// every second labelled with the scenario running (so the peak can be traced to a scenario), and the soak
// (BENCH_SOAK=<seconds> in bench/run.ts): the KFTC mix in back-to-back slices for that long, comparing the
// RSS after the first minute with the RSS at the end (issue 16: within 10 %), with req/s per slice.
import fs from 'node:fs';

const MiB = 2 ** 20;

/**
 * glibc malloc settings README.md "Operations" recommends for production, given to the bench's app server
 * (BENCH_GLIBC_DEFAULTS=1 leaves glibc's defaults). Each scrypt hash (sign-in, the demo seed) allocates 16 MiB
 * in a libuv worker thread; with glibc's dynamic mmap threshold, the first free raises the threshold and
 * later 16 MiB blocks stay in per-thread arenas for good (about 75 MiB of the app's RSS after start-up). A
 * fixed threshold returns them to the system at once, and two arenas bound the per-thread fragmentation.
 */
export const MALLOC_ENV: Record<string, string> = process.env.BENCH_GLIBC_DEFAULTS
  ? {}
  : { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' };

/**
 * The V8 heap setting README.md "Operations" recommends for production, given to the bench's app server on its
 * command line as `npm start` does (BENCH_V8_DEFAULTS=1 leaves V8's default). V8 lets the old generation grow to
 * up to four times what survived its last full collection before it collects again. The app keeps 50–60 MiB of
 * heap alive (after forced collections, the portal pages and the emulator used), yet its heap reached
 * 170–240 MiB during the bench: most of the peak RSS was garbage not yet collected. Growing by half instead
 * keeps the heap near what is alive, for more, concurrent, full collections (no CPU difference measured).
 */
export const APP_NODE_FLAGS: string[] = process.env.BENCH_V8_DEFAULTS ? [] : ['--heap-growing-percent=50'];

/** Current and peak resident set size of a process, in bytes (null when /proc is not there). */
export function rssOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

export interface RssSample {
  atS: number;
  label: string;
  rssMiB: number;
}

/** Samples a process's RSS every `everyMs`, each sample labelled with what `label()` last named. */
export function watchRss(pid: number, everyMs = 1000) {
  const started = Date.now();
  const samples: RssSample[] = [];
  let current = 'start-up';
  const take = () => {
    const r = rssOf(pid);
    if (r) samples.push({ atS: (Date.now() - started) / 1000, label: current, rssMiB: r.rss / MiB });
  };
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    samples,
    label(name: string): void {
      current = name;
      take();
    },
    stop(): void {
      clearInterval(timer);
      take();
    },
    /** The highest sample of each label, in the order the labels first appeared. */
    peaks(): { label: string; rssMiB: number }[] {
      const by = new Map<string, number>();
      for (const s of samples) by.set(s.label, Math.max(by.get(s.label) ?? 0, s.rssMiB));
      return [...by].map(([label, rssMiB]) => ({ label, rssMiB }));
    },
  };
}

export interface SoakResult {
  seconds: number;
  /** The median RSS of the slices ending in the second minute (60–120 s): "after the first minute". */
  rssAfterFirstMinuteMiB: number;
  /** The median RSS of the slices ending in the last minute. */
  rssAtEndMiB: number;
  growthPct: number;
  peakMiB: number;
  slices: { atS: number; rps: number; p99: number; rssMiB: number }[];
  /** The check: the RSS at the end at most 10 % above the RSS after the first minute (a leak grows it). */
  withinTenPercent: boolean;
}

/** The median of the slices' RSS whose end falls in [fromS, toS); null when no slice does. */
function medianRss(slices: SoakResult['slices'], fromS: number, toS: number): number | null {
  const v = slices
    .filter((s) => s.atS >= fromS && s.atS < toS)
    .map((s) => s.rssMiB)
    .sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Runs `slice` (one autocannon run of the mix) back to back for `seconds`, reading the server's RSS after
 * each. RSS swings by 15–25 % with the collector from one slice to the next, so one sample against another
 * says little: each figure is the median of a minute's slices (the second minute, and the last minute). A
 * leak shows as growth; an RSS that ends lower than it started passes.
 */
export async function soak(
  seconds: number,
  pid: number,
  slice: () => Promise<{ rps: number; p99: number }>,
): Promise<SoakResult> {
  const started = Date.now();
  const slices: SoakResult['slices'] = [];
  while (Date.now() - started < seconds * 1000) {
    const r = await slice();
    const atS = (Date.now() - started) / 1000;
    const rssMiB = (rssOf(pid)?.rss ?? 0) / MiB;
    slices.push({ atS, rps: r.rps, p99: r.p99, rssMiB });
    console.log(`soak ${atS.toFixed(0)} s: ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, RSS ${rssMiB.toFixed(1)} MiB`);
  }
  const lastAt = slices.at(-1)?.atS ?? 0;
  const first = medianRss(slices, 60, 120) ?? slices[0]?.rssMiB ?? 0;
  const end = medianRss(slices, Math.max(120, lastAt - 60), Infinity) ?? slices.at(-1)?.rssMiB ?? 0;
  const growthPct = first ? ((end - first) / first) * 100 : 0;
  return {
    seconds,
    rssAfterFirstMinuteMiB: first,
    rssAtEndMiB: end,
    growthPct,
    peakMiB: (rssOf(pid)?.peak ?? 0) / MiB,
    slices,
    withinTenPercent: growthPct <= 10,
  };
}
