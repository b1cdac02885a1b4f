// Thin shell: config → buildApp → listen; graceful close on SIGTERM/SIGINT.
import { loadConfig, ConfigError } from './config';
import { buildApp } from './app';
import { DEMO_ACCOUNTS_TEXT } from './demo-accounts';

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
  const app = await buildApp({ config });
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  console.log(`\nOpen Banking onboarding portal: ${config.baseUrl}`);
  if (config.loadDemoData) console.log(DEMO_ACCOUNTS_TEXT);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
