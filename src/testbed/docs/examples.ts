// One recorded request/response per endpoint (docs-examples.json), produced by calling the emulator itself on
// the demo data with a fixed clock (generate-examples.ts, `npm run docs:examples`); volatile values
// (api_tran_id, tokens, codes) are stable placeholders. test/testbed/docs/examples.test.ts regenerates
// them and fails when one no longer matches what the emulator answers.
import fs from 'node:fs';
import path from 'node:path';

export interface DocsExample {
  request: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
}

export const DOCS_EXAMPLES_FILE = path.join(__dirname, 'docs-examples.json');
export const DOCS_EXAMPLES: Record<string, DocsExample> = JSON.parse(fs.readFileSync(DOCS_EXAMPLES_FILE, 'utf8')) as Record<string, DocsExample>;
