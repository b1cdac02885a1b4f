// Rule: /docs shows, in Korean and in English, each registry endpoint's recorded example request and
// response (docs-examples.json), as text: anything from the emulator's answers is HTML-escaped.
import t from 'tap';
import { build } from '../../helpers/build';
import { ENDPOINTS } from '../../../src/testbed/docs/endpoints';
import { DOCS_EXAMPLES } from '../../../src/testbed/docs/examples';

t.test("/docs shows every endpoint's example request and response in both languages", async (t) => {
  const app = await build(t);
  for (const lang of ['ko', 'en']) {
    const page = (await app.inject({ method: 'GET', url: `/docs?lang=${lang}` })).body;
    for (const e of ENDPOINTS) {
      const x = DOCS_EXAMPLES[e.key]!;
      const section = page.slice(
        page.indexOf(`id="api-${e.key}"`),
        page.indexOf('</section>', page.indexOf(`id="api-${e.key}"`)),
      );
      t.match(
        section,
        `aria-labelledby="api-${e.key}-example-request"><code>${x.request.method} ${x.request.path}`,
        `${lang}: ${e.key} request line`,
      );
      t.match(
        section,
        `aria-labelledby="api-${e.key}-example-response"><code>HTTP/1.1 ${x.response.status}`,
        `${lang}: ${e.key} response status`,
      );
    }
    t.match(page, 'Authorization: Bearer &lt;access_token&gt;', `${lang}: placeholders are escaped`);
    t.notMatch(page, /<access_token>|<api_tran_id>/, `${lang}: no raw angle brackets from the examples`);
  }
});

t.test('each example response starts folded, so the page stays short enough to scan', async (t) => {
  const app = await build(t);
  const page = (await app.inject({ method: 'GET', url: '/docs' })).body;
  for (const e of ENDPOINTS)
    t.match(page, new RegExp(`<details>\\s*<summary id="api-${e.key}-example-response">`), `${e.key}: response folded`);
});
