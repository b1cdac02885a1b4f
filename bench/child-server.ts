// What the bench's server processes (bench/server.ts, bench/scale-server.ts) share: their peak RSS, and
// one shutdown: on SIGTERM or when the parent goes away, close the app and the database, remove the
// temporary directory holding the SQLite file, and exit.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';

/** The process's peak resident set (VmHWM), or the current RSS where /proc is not available. */
export function peakRssBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}

/** Closes `app` (when there is one), destroys `db` and removes `dir` on SIGTERM or disconnect, then exits. */
export function shutDownOnExit(parts: { app?: Pick<FastifyInstance, 'close'>; db?: Knex; dir: string }): void {
  const shutdown = async () => {
    await parts.app?.close();
    await parts.db?.destroy();
    fs.rmSync(parts.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('disconnect', () => void shutdown());
}
