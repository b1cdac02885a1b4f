// Rule: the examples on /docs and in the OpenAPI document (src/testbed/docs/docs-examples.json) are what the
// emulator answers now. They are recorded again here, in-process, exactly as `npm run docs:examples` does;
// any difference fails with the instruction to run it.
import t from 'tap';
import { generateDocsExamples } from '../../../scripts/generate-docs-examples';
import { DOCS_EXAMPLES, type DocsExample } from '../../../src/testbed/docs/examples';
import { ENDPOINTS } from '../../../src/testbed/docs/endpoints';

const RUN = 'stale example: run `npm run docs:examples` and commit src/testbed/docs/docs-examples.json';

// One recording shared by the tests below (each takes seconds: a whole app with the demo data).
let recorded: Promise<Record<string, DocsExample>> | null = null;
const fresh = () => (recorded ??= generateDocsExamples());

t.test('every registry endpoint has a stored example, and nothing else has one', async (t) => {
  t.same(
    Object.keys(DOCS_EXAMPLES),
    ENDPOINTS.map((e) => e.key),
    `${RUN} (the stored keys differ from the registry)`,
  );
});

t.test('the stored examples are what the emulator answers now', async (t) => {
  const now = await fresh();
  for (const e of ENDPOINTS) {
    t.same(DOCS_EXAMPLES[e.key], now[e.key], `${e.key}: ${RUN}`);
  }
});

t.test('recording twice gives the same file: volatile values are normalised', async (t) => {
  const [a, b] = [await fresh(), await generateDocsExamples()];
  t.same(a, b, 'two recordings agree');
  const text = JSON.stringify(a);
  t.notMatch(text, /eyJ[\w-]+\.[\w-]+\./, 'no JWT in the examples');
  const ids = (x: Record<string, DocsExample>) => JSON.stringify(x).match(/"api_tran_id":"[^"]*"/g) ?? [];
  t.ok(
    ids(a).every((m) => m === '"api_tran_id":"<api_tran_id>"'),
    'api_tran_id is a placeholder',
  );
});
