// Thin shell: config → buildApp → listen; graceful close on SIGTERM/SIGINT (and on a crash) through
// close-with-grace: the listener stops, requests in flight are answered (their keep-alive connections
// closed as they turn idle), the onClose hooks flush the background writers (request log, call counters)
// and close the database, then the process exits 0 (1 after an uncaught error, or when closing takes
// longer than SHUTDOWN_GRACE_MS).
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { loadConfig, ConfigError } from './config';
import { buildApp } from './app';
import { DEMO_ACCOUNTS_TEXT } from './demo-accounts';

/** How long requests in flight and the flushes may take after a signal before the process is ended anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let config;
  try {
    config = loadConfig();
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
    { delay: SHUTDOWN_GRACE_MS, logger: { error: (m: unknown) => (app ? app.log.error(m) : console.error(m)) } },
    async ({ signal, err }) => {
      const built = app ?? (await building?.catch(() => null)) ?? null;
      if (err) {
        if (built) built.log.error({ err }, 'closing after an uncaught error');
        else console.error(err);
      } else if (built) {
        built.log.info({ signal }, 'shutting down: answering requests in flight, flushing, closing the database');
      }
      if (!built) return;
      // app.close() stops listening, closes the idle keep-alive connections once and waits for the rest; a
      // connection whose request was in flight turns idle after its answer and would keep the process
      // waiting for the client's keep-alive timeout: close those as they turn idle.
      const sweep = setInterval(() => built.server.closeIdleConnections(), 50);
      try {
        await built.close();
      } finally {
        clearInterval(sweep);
      }
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
