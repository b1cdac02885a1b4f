// Rule: a graceful stop loses no request. On SIGTERM the instance first says it is not ready (/readyz 503
// "draining") while it keeps serving for SHUTDOWN_DRAIN_MS, so a load balancer that polls /readyz stops
// sending to it before anything is refused; then it stops accepting connections, answers the requests in
// flight (the emulator's write batches finish with them), flushes the background writers (request log, call
// counters: onClose hooks) and closes the database. All of it within SHUTDOWN_GRACE_MS of the signal, after
// which the process is ended anyway (exit 1). SIGINT (Ctrl-C at a terminal) skips the drain delay.
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../config';

export interface ShutdownSettings {
  /** SHUTDOWN_DRAIN_MS: how long /readyz answers 503 while everything else is still served (default 0). */
  drainMs: number;
  /** SHUTDOWN_GRACE_MS: the bound on the whole stop, from the signal to the database closed (default 10 s). */
  graceMs: number;
}

function wholeMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number of milliseconds`);
  return n;
}

export function loadShutdownSettings(env: NodeJS.ProcessEnv = process.env): ShutdownSettings {
  const drainMs = wholeMs(env, 'SHUTDOWN_DRAIN_MS', 0);
  const graceMs = wholeMs(env, 'SHUTDOWN_GRACE_MS', 10_000);
  if (graceMs < drainMs + 1000)
    throw new ConfigError(
      `SHUTDOWN_GRACE_MS (${graceMs}) must leave at least 1000 ms after SHUTDOWN_DRAIN_MS (${drainMs}) to finish requests`,
    );
  return { drainMs, graceMs };
}

/** Marks the app not ready, waits the drain delay (unless `skipDrain`), then closes it as described above. */
export async function drainAndClose(
  app: FastifyInstance,
  settings: ShutdownSettings,
  opts: { skipDrain?: boolean } = {},
): Promise<void> {
  app.readiness.markDraining();
  if (settings.drainMs > 0 && !opts.skipDrain) await new Promise((r) => setTimeout(r, settings.drainMs));
  // app.close() stops listening, closes the idle keep-alive connections once and waits for the rest; a
  // connection whose request was in flight turns idle after its answer and would keep the process waiting
  // for the client's keep-alive timeout: close those as they turn idle.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
