// `npm run docs:examples`: records one request/response example per documented emulator endpoint by
// calling the emulator itself (an in-memory app with the demo data, the test configuration and the
// recorder's clock) and writes src/testbed/docs/docs-examples.json, which /docs and the OpenAPI document
// show. Run it after changing an emulator answer; test/testbed/docs/examples-match-emulator.test.ts fails
// until you do.
import fs from 'node:fs';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import {
  EXAMPLES_SEED_TIME,
  examplesClock,
  recordDocsExamples,
  withDateFrom,
} from '../src/testbed/docs/record-examples';
import { DOCS_EXAMPLES_FILE, docsExamplesText, type DocsExample } from '../src/testbed/docs/examples';

/** Builds a fresh in-memory app, records every example and closes the app again. */
export async function generateDocsExamples(): Promise<Record<string, DocsExample>> {
  const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv, {
    loadDemoData: true,
    baseUrl: 'http://localhost:3000',
    logLevel: 'warn',
  });
  const db = createDb('sqlite::memory:');
  const clock = examplesClock();
  // The demo seed runs inside buildApp, dating its history from the system clock: shift that to a fixed day.
  const app = await withDateFrom(EXAMPLES_SEED_TIME, () => buildApp({ config, db, clock }));
  try {
    await app.ready();
    return await recordDocsExamples(app, clock);
  } finally {
    await app.close();
    await db.destroy();
  }
}

async function main() {
  const examples = await generateDocsExamples();
  fs.writeFileSync(DOCS_EXAMPLES_FILE, docsExamplesText(examples));
  process.stdout.write(`wrote ${Object.keys(examples).length} examples to ${DOCS_EXAMPLES_FILE}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
