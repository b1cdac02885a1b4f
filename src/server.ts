// Thin shell: config → buildApp → listen; graceful close on SIGTERM/SIGINT (and on a crash) through
// close-with-grace and src/ops/shutdown.ts: /readyz turns 503 at once (and, with SHUTDOWN_DRAIN_MS, the
// instance keeps serving that long so a load balancer stops sending), the listener stops, requests in flight
// are answered (their keep-alive connections closed as they turn idle), the onClose hooks flush the
// background writers (request log, call counters) and close the database, then the process exits 0 (1 after
// an uncaught error, or when all of it takes longer than SHUTDOWN_GRACE_MS).
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { loadConfig, ConfigError } from './config';
import { buildApp } from './app';
import { DEMO_ACCOUNTS_TEXT } from './demo-accounts';
import { drainAndClose, loadShutdownSettings } from './ops/shutdown';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  let shutdown: ReturnType<typeof loadShutdownSettings>;
  try {
    config = loadConfig();
    shutdown = loadShutdownSettings();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  // Installed before the app is built, so a signal during migrations waits for them, then closes.
  let app: FastifyInstance | null = null;
  let building: Promise<FastifyInstance> | null = null;
  closeWithGrace(
    { delay: shutdown.graceMs, logger: { error: (m: unknown) => (app ? app.log.error(m) : console.error(m)) } },
    async ({ signal, err }) => {
      const built = app ?? (await building?.catch(() => null)) ?? null;
      if (err) {
        if (built) built.log.error({ err }, 'closing after an uncaught error');
        else console.error(err);
      } else if (built) {
        built.log.info(
          { signal, drainMs: shutdown.drainMs },
          'shutting down: not ready, answering requests in flight, flushing, closing the database',
        );
      }
      if (!built) return;
      await drainAndClose(built, shutdown, { skipDrain: Boolean(err) || signal === 'SIGINT' });
    },
  );
  building = buildApp({ config });
  app = await building;
  await app.listen({ port: config.port, host: config.host });
  console.log(`\nOpen Banking onboarding portal: ${config.baseUrl}`);
  if (config.loadDemoData) console.log(DEMO_ACCOUNTS_TEXT);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
