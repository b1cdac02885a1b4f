// Rule: the emulator's documentation — the OpenAPI document (/docs/testbed/openapi.json) and the /docs
// page — names every answer field the public reference lists, for every service API, the new ones
// (inquiry/fds_detect, return/result) included; what stays a guess carries the inferred mark.
import t from 'tap';
import { build } from '../../helpers/build';
import { APIS } from '../../../src/testbed/services/api-catalogue';
import { REFERENCE_ANSWERS, referenceLists } from './fixtures/reference-lists';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Doc {
  paths: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        description?: string;
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      }
    >
  >;
}

t.test('the OpenAPI document and /docs name every field of the reference lists', async (t) => {
  const ref = referenceLists();
  const app = await build(t);
  const doc = (await app.inject({ method: 'GET', url: '/docs/testbed/openapi.json' })).json() as Doc;
  const page = (await app.inject({ method: 'GET', url: '/docs' })).body;

  for (const entry of REFERENCE_ANSWERS) {
    const api = APIS.find((a) => a.path === entry.path)!;
    t.ok(api, `${entry.path} is a service API`);
    const op = doc.paths[entry.path]?.[api.method.toLowerCase()];
    t.ok(op, `${api.method} ${entry.path} is in the OpenAPI document`);
    const schema = op?.responses?.['200']?.content?.['application/json']?.schema ?? {};
    const documented = schema.properties ?? {};
    const expected = ref.answer(
      entry.source,
      entry.name,
      entry.marker,
      entry.itemsOf ? { itemsOf: entry.itemsOf } : {},
    );
    t.same(
      expected.top.filter((f) => !(f in documented)),
      [],
      `${entry.path}: every top-level field documented`,
    );
    for (const [list, fields] of Object.entries(expected.lists)) {
      const items = documented[list]?.items?.properties ?? {};
      t.same(
        fields.filter((f) => !(f in items)),
        [],
        `${entry.path}: every ${list} item field documented`,
      );
    }
    t.match(page, `<code>${api.method} ${api.path}</code>`, `/docs has ${entry.path}`);
    for (const f of [...expected.top, ...Object.values(expected.lists).flat()])
      if (!page.includes(f)) t.fail(`/docs names ${f} for ${entry.path}`);
  }

  // Inferred marks: where the fields are facts now, the API is not marked as a guess; what is, says why.
  for (const key of [
    'remit_list',
    'return_claim',
    'wd_limit',
    'fee',
    'count',
    'fds_detect',
    'return_result',
  ] as const) {
    const api = APIS.find((a) => a.key === key)!;
    t.notOk(api.inferred, `${key}: its fields are facts of the reference`);
    t.notOk(
      doc.paths[api.path]?.[api.method.toLowerCase()]?.summary?.includes('[inferred]'),
      `${key}: no [inferred] in the OpenAPI summary`,
    );
  }
  for (const key of ['fds_detect', 'return_result', 'return_claim', 'bank_status'] as const) {
    const api = APIS.find((a) => a.key === key)!;
    t.match(
      doc.paths[api.path]?.[api.method.toLowerCase()]?.description ?? '',
      /^\[inferred\] /,
      `${key}: the guessed rules are marked inferred`,
    );
  }
  t.match(page, 'FDS01', '/docs explains the FDS rules');
  t.match(page, '#RTN_PARTIAL', '/docs names the return triggers');
});
