// What the bench's server processes (bench/server.ts, bench/scale-server.ts, bench/signed-in-inject.ts) share: the
// app as they run it, their peak RSS, and one shutdown: on SIGTERM or when the parent goes away, close the app and
// the database, remove the temporary directory holding the SQLite file, and exit.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/**
 * The real app with production settings on a new SQLite file (in a new temporary directory `dir`, named from
 * `prefix`), migrated and holding the demo data, not yet listening. The settings go through the process's
 * environment, where the app reads them (LOG_LEVEL defaults to warn).
 */
export async function productionDemoApp(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.NODE_ENV = 'production';
  process.env.SESSION_SECRET = crypto.randomBytes(32).toString('hex');
  process.env.DATABASE_URL = `sqlite:${path.join(dir, 'bench.sqlite')}`;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  process.env.PORT = '0';
  const { loadConfig } = await import('../src/config');
  const { createDb } = await import('../src/db/knex');
  const { migrateLatest, loadDemoSeed } = await import('../src/db/migrate');
  const { buildApp } = await import('../src/app');
  const config = loadConfig(process.env);
  const db = createDb(config.databaseUrl, { poolMax: config.dbPoolMax, sqliteCacheMiB: config.sqliteCacheMiB });
  await migrateLatest(db);
  await loadDemoSeed(db); // explicitly: buildApp never seeds in production
  const app = await buildApp({ config, db, migrate: false });
  return { app, db, dir };
}
