// One recorded request/response per registry endpoint (docs-examples.json), produced by calling the emulator
// itself on the demo data with a clock that only the recorder moves (record-examples.ts, written by
// `npm run docs:examples`); volatile values (api_tran_id, tokens, authorization codes) are placeholders.
// test/testbed/docs/examples-match-emulator.test.ts records them again and fails when one no longer matches
// what the emulator answers.
import fs from 'node:fs';
import path from 'node:path';

export interface DocsExampleRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface DocsExample {
  request: DocsExampleRequest;
  response: { status: number; headers?: Record<string, string>; body?: unknown };
}

export const DOCS_EXAMPLES_FILE = path.join(__dirname, 'docs-examples.json');
export const DOCS_EXAMPLES: Record<string, DocsExample> = JSON.parse(
  fs.readFileSync(DOCS_EXAMPLES_FILE, 'utf8'),
) as Record<string, DocsExample>;

/** The file's text for a set of examples (stable: two-space JSON, registry order, trailing newline). */
export function docsExamplesText(examples: Record<string, DocsExample>): string {
  return `${JSON.stringify(examples, null, 2)}\n`;
}
