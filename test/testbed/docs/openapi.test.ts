// Rule: /docs/testbed/openapi.json is generated from the endpoint registry: a valid OpenAPI 3 document whose
// operations are exactly the registry's (OAuth authorize and token included), each with its request fields
// (type, length, required, enum), its response fields, the codes it can answer and the recorded examples.
import t from 'tap';
import { build, type TestContext } from '../../helpers/build';
import { ENDPOINTS, type DocField } from '../../../src/testbed/docs/endpoints';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: string[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  oneOf?: Schema[];
  description?: string;
}
interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Op {
  security?: Record<string, string[]>[];
  parameters?: Param[];
  'x-kftc-codes'?: Record<string, { code: string }[]>;
  requestBody?: { content: Record<string, { schema: Schema; examples?: Record<string, unknown> }> };
  responses: Record<
    string,
    {
      content?: Record<string, { schema: Schema; examples?: Record<string, unknown> }>;
      headers?: Record<string, unknown>;
    }
  >;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Op>>;
  components: {
    securitySchemes: Record<string, { type: string; flows?: Record<string, { scopes: Record<string, string> }> }>;
  };
}

async function fetchDoc(t: TestContext, lang?: string): Promise<Doc> {
  const app = await build(t);
  const res = await app.inject({ method: 'GET', url: `/docs/testbed/openapi.json${lang ? `?lang=${lang}` : ''}` });
  if (res.statusCode !== 200) throw new Error(`openapi.json: HTTP ${res.statusCode}`);
  return res.json() as Doc;
}

t.test('the emulator OpenAPI document validates as OpenAPI 3, in Korean and in English', async (t) => {
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  for (const lang of [undefined, 'en']) {
    const doc = await fetchDoc(t, lang);
    t.match(doc.openapi, /^3\.0\./);
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    t.ok(
      result.valid,
      `valid OpenAPI (${lang ?? 'ko'})${result.valid ? '' : `: ${JSON.stringify(result.errors).slice(0, 2000)}`}`,
    );
  }
});

t.test(
  "the OpenAPI paths are exactly the registry's method + path pairs, OAuth authorize and token included",
  async (t) => {
    const doc = await fetchDoc(t);
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const registry = [...new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`))].sort();
    t.same(documented, registry);
    t.ok(doc.paths['/oauth/2.0/authorize']?.get, 'GET /oauth/2.0/authorize');
    t.ok(doc.paths['/oauth/2.0/token']?.post, 'POST /oauth/2.0/token');
  },
);

t.test(
  "every operation carries the registry's request and response fields with type, length, required and enum",
  async (t) => {
    const doc = await fetchDoc(t);
    const check = (where: string, f: DocField, s: Schema | undefined) => {
      if (!s) return t.fail(`${where}: ${f.name} missing`);
      t.equal(s.type, f.type === 'number' ? 'integer' : f.type, `${where}: ${f.name} type`);
      if (f.values) t.same(s.enum, f.values, `${where}: ${f.name} enum`);
      const len = f.length ? /^(≤\s*)?(\d+)$/.exec(f.length) : null;
      if (len) t.equal(f.type === 'array' ? s.maxItems : s.maxLength, Number(len[2]), `${where}: ${f.name} length`);
      if (len && !len[1] && f.type !== 'array')
        t.equal(s.minLength, Number(len[2]), `${where}: ${f.name} exact length`);
      t.ok(s.description && !s.description.startsWith('⟦'), `${where}: ${f.name} described`);
      for (const item of f.items ?? []) check(`${where}.${f.name}[]`, item, s.items?.properties?.[item.name]);
    };
    for (const e of ENDPOINTS) {
      const op = doc.paths[e.path]?.[e.method.toLowerCase()];
      if (!op) {
        t.fail(`${e.key}: no operation`);
        continue;
      }
      const where = e.key;
      if (e.request === 'query' || e.request === 'browser') {
        for (const f of e.fields) {
          const p = op.parameters?.find((x) => x.name === f.name && x.in === 'query');
          t.equal(p?.required, f.required, `${where}: ${f.name} required`);
          check(where, f, p?.schema);
        }
      } else {
        const content = Object.values(op.requestBody?.content ?? {})[0];
        const schemas = content?.schema.oneOf ?? (content ? [content.schema] : []);
        const schema = schemas.find(
          (s) =>
            e.fields.every((f) => s.properties?.[f.name]) &&
            (!e.fields[0]?.values || s.properties?.[e.fields[0].name]?.enum?.join() === e.fields[0].values.join()),
        );
        t.ok(schema, `${where}: request body schema`);
        for (const f of e.fields) {
          t.equal(schema?.required?.includes(f.name) ?? false, f.required, `${where}: ${f.name} required`);
          check(where, f, schema?.properties?.[f.name]);
        }
      }
      if (e.request === 'browser') {
        t.ok(op.responses['303']?.headers?.Location, `${where}: the redirect and its Location`);
      } else {
        const schema = op.responses['200']?.content?.['application/json']?.schema;
        for (const f of e.response) check(`${where} (response)`, f, schema?.properties?.[f.name]);
      }
    }
  },
);

t.test(
  'every operation lists the codes the registry says it can answer, and carries the recorded examples',
  async (t) => {
    const doc = await fetchDoc(t);
    for (const e of ENDPOINTS) {
      const op = doc.paths[e.path]![e.method.toLowerCase()]!;
      t.same(
        (op['x-kftc-codes']?.[e.key] ?? []).map((c) => c.code),
        e.codes.map((c) => c.code),
        `${e.key}: x-kftc-codes`,
      );
      const rspEnum = op.responses['200']?.content?.['application/json']?.schema.properties?.rsp_code?.enum ?? [];
      for (const c of e.codes)
        if (/^[AO]\d{4}$/.test(c.code)) t.ok(rspEnum.includes(c.code), `${e.key}: rsp_code enum has ${c.code}`);
      if (e.request === 'browser') continue;
      t.ok(op.responses['200']?.content?.['application/json']?.examples?.[e.key], `${e.key}: response example`);
      if (e.request !== 'query')
        t.ok(Object.values(op.requestBody!.content)[0]!.examples?.[e.key], `${e.key}: request example`);
    }
  },
);

t.test('user APIs need a user token scope, oob APIs an institution token; OAuth endpoints need none', async (t) => {
  const doc = await fetchDoc(t);
  const schemes = doc.components.securitySchemes;
  t.same(Object.keys(schemes.kftcUser?.flows?.authorizationCode?.scopes ?? {}), ['login', 'inquiry', 'transfer']);
  t.same(Object.keys(schemes.kftcInstitution?.flows?.clientCredentials?.scopes ?? {}), ['oob', 'sa']);
  t.same(doc.paths['/v2.0/account/balance/fin_num']!.get!.security, [
    { kftcUser: ['inquiry'] },
    { kftcInstitution: ['sa'] },
  ]);
  t.same(doc.paths['/v2.0/inquiry/real_name']!.post!.security, [
    { kftcInstitution: ['oob'] },
    { kftcInstitution: ['sa'] },
  ]);
  t.same(doc.paths['/oauth/2.0/token']!.post!.security, []);
});
