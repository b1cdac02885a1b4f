// OpenAPI for the emulator. The document itself (testbedOpenApi, at the end) is generated from the endpoint
// registry. The route-schema helpers below are documentation only: route schemas never refuse a request (KFTC answers
// A0004/O0001 with HTTP 200 instead, and unknown fields only warn) and never reshape an answer, so every
// documented route also sets `validatorCompiler: acceptAll` and `serializerCompiler: plainJson`.
import type { ApiDefinition } from './api-catalogue';
import { ENDPOINTS, fieldMeaningKey, type DocEndpoint, type DocField } from '../docs/endpoints';
import { DOCS_EXAMPLES, type DocsExample } from '../docs/examples';
import { translate, isLocale, type Locale } from '../../i18n';

const OPENAPI_TAG = 'testbed-services';
const OPENAPI_TAG_OAUTH = 'testbed-oauth';
const OPENAPI_TAG_MANAGEMENT = 'testbed-management';

/** A validator that accepts anything (schemas here are documentation). */
export const acceptAll = () => (data: unknown) => ({ value: data });
/** A serializer that writes the answer as it is (no field stripping by a response schema). */
export const plainJson = () => (data: unknown) => JSON.stringify(data);
/** Route options that attach a documentation-only schema. */
export function documented(schema: Record<string, unknown>) {
  return { schema, validatorCompiler: acceptAll, serializerCompiler: plainJson };
}

const str = (description?: string) => (description ? { type: 'string', description } : { type: 'string' });
const kftcError = {
  description: 'Refusal (HTTP 200): rsp_code + rsp_message (O-codes) or the envelope with an A-code',
  type: 'object',
  properties: { rsp_code: str(), rsp_message: str() },
};

/** POST /oauth/2.0/token. */
export const tokenSchema = {
  tags: [OPENAPI_TAG_OAUTH],
  summary: 'Access token — authorization_code, refresh_token or client_credentials (form-encoded)',
  operationId: 'oauth_token',
  consumes: ['application/x-www-form-urlencoded'],
  body: {
    type: 'object',
    required: ['grant_type', 'client_id', 'client_secret'],
    properties: {
      grant_type: { type: 'string', enum: ['authorization_code', 'refresh_token', 'client_credentials'] },
      client_id: str(),
      client_secret: str(),
      code: str('authorization_code: the code from the redirect'),
      redirect_uri: str('authorization_code: the redirect_uri of the authorize request'),
      refresh_token: str('refresh_token grant'),
      scope: str('client_credentials: oob or sa; refresh_token: optional narrowing'),
    },
  },
  response: {
    200: {
      description: 'The token (Cache-Control: no-store), or an O0001 refusal with its detail number',
      type: 'object',
      properties: {
        access_token: str('JWT (HS256)'),
        token_type: str('Bearer'),
        expires_in: str(),
        refresh_token: str(),
        scope: str(),
        user_seq_no: str(),
        client_use_code: str(),
        rsp_code: str('only on refusal'),
        rsp_message: str('only on refusal'),
      },
    },
  },
};

/** POST /testbed/sandbox/authorize. */
export const sandboxAuthorizeSchema = {
  tags: [OPENAPI_TAG_OAUTH],
  summary:
    "Sandbox shortcut: an authorization code without the browser pages (registers the user's active accounts) [test bed only]",
  operationId: 'sandbox_authorize',
  body: {
    type: 'object',
    required: ['client_id', 'client_secret', 'user_seq_no', 'scope', 'redirect_uri'],
    properties: {
      client_id: str(),
      client_secret: str(),
      user_seq_no: str('10 digits'),
      scope: str('e.g. "login inquiry transfer"'),
      redirect_uri: str('a registered callback URL'),
    },
  },
  response: {
    200: {
      description: 'The code, or a KFTC refusal',
      type: 'object',
      properties: { code: str(), scope: str(), user_seq_no: str(), rsp_code: str(), rsp_message: str() },
    },
  },
};

/** A management API under /v2.0 (scope login; sa stands in). */
export function managementSchema(opts: {
  operationId: string;
  summary: string;
  method: 'GET' | 'POST';
  fields: Record<string, string>;
  required: string[];
  response: string[];
}) {
  const request = {
    type: 'object',
    required: opts.required,
    properties: Object.fromEntries(Object.entries(opts.fields).map(([k, d]) => [k, str(d)])),
  };
  const props: Record<string, unknown> = {
    api_tran_id: str('UUID'),
    api_tran_dtm: str('yyyyMMddHHmmssSSS (KST)'),
    rsp_code: str(),
    rsp_message: str(),
  };
  for (const name of opts.response)
    props[name] = name.endsWith('_list') ? { type: 'array', items: { type: 'object' } } : str();
  return {
    tags: [OPENAPI_TAG_MANAGEMENT],
    summary: opts.summary,
    operationId: opts.operationId,
    security: [{ bearer: ['login', 'sa'] }],
    [opts.method === 'GET' ? 'querystring' : 'body']: request,
    response: {
      200: {
        description: 'KFTC envelope (errors too are HTTP 200 with rsp_code ≠ A0000)',
        type: 'object',
        properties: props,
      },
      default: kftcError,
    },
  };
}

const BANK_LEG_FIELDS = ['bank_tran_id', 'bank_tran_date', 'bank_code_tran', 'bank_rsp_code', 'bank_rsp_message'];

/** "res_list[a, bank leg, b]" → an array of objects with a string property per field. */
function listSchema(fields: string): Record<string, unknown> {
  const names = fields
    .split(',')
    .map((n) => n.trim())
    .flatMap((n) => (n === 'bank leg' ? BANK_LEG_FIELDS : [n]))
    .filter(Boolean);
  return {
    type: 'array',
    items: { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) },
  };
}

export function openApiSchemaFor(api: ApiDefinition, requestSchema: Record<string, unknown>): Record<string, unknown> {
  const responseProps: Record<string, unknown> = {
    api_tran_id: { type: 'string', description: 'UUID' },
    api_tran_dtm: { type: 'string', description: 'yyyyMMddHHmmssSSS (KST)' },
    rsp_code: { type: 'string', description: 'A0000 success; other A/O codes on failure (HTTP 200)' },
    rsp_message: { type: 'string' },
  };
  for (const name of api.response) {
    const m = /^(\w+)\[(.*)\]$/.exec(name);
    if (m) responseProps[m[1]!] = listSchema(m[2]!);
    else responseProps[name] = { type: 'string' };
  }
  const schema: Record<string, unknown> = {
    tags: [OPENAPI_TAG],
    summary: `${api.title} — ${api.summary}${api.inferred ? ' [inferred]' : ''}`,
    operationId: api.key,
    security: [{ bearer: [...api.scopes, 'sa'] }],
    response: {
      200: {
        description: 'KFTC envelope (errors too are HTTP 200 with rsp_code ≠ A0000)',
        type: 'object',
        properties: responseProps,
      },
    },
  };
  if (api.inferredNote) schema.description = `[inferred] ${api.inferredNote}`;
  if (api.method === 'GET') schema.querystring = requestSchema;
  else schema.body = requestSchema;
  return schema;
}

// ── The document served at /docs/testbed/openapi.json, generated from the endpoint registry ────────────
// One operation per method + path of ../docs/endpoints.ts (the token endpoint's grant types are one operation
// whose form body is oneOf the three), with the registry's field tables (type, length, required, enum, the
// API's own meaning of a field), the rsp_codes it can answer (x-kftc-codes, and the rsp_code enum), and the
// recorded examples (../docs/docs-examples.json). Descriptions come from the i18n catalogs: Korean by
// default, English with ?lang=en.

type Json = Record<string, unknown>;

const TAG_OF: Record<DocEndpoint['tag'], string> = {
  oauth: OPENAPI_TAG_OAUTH,
  management: OPENAPI_TAG_MANAGEMENT,
  services: OPENAPI_TAG,
};
const USER_SCOPES = ['login', 'inquiry', 'transfer'];

/** JSON schema of one registry field: type, exact or maximum length, enum, example, list items. */
function fieldSchema(f: DocField, locale: Locale): Json {
  const schema: Json = {
    type: f.type === 'number' ? 'integer' : f.type,
    description: translate(locale, fieldMeaningKey(f)),
  };
  const len = f.length ? /^(≤\s*)?(\d+)$/.exec(f.length) : null;
  if (len) {
    const n = Number(len[2]);
    if (f.type === 'array') schema.maxItems = n;
    else if (len[1]) schema.maxLength = n;
    else {
      schema.minLength = n;
      schema.maxLength = n;
    }
  }
  if (f.values) schema.enum = [...f.values];
  if (f.example) schema.example = f.example;
  if (f.type === 'array') schema.items = objectSchema(f.items ?? [], locale);
  return schema;
}

function objectSchema(fields: readonly DocField[], locale: Locale): Json {
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f, locale)])),
    ...(required.length ? { required } : {}),
  };
}

/** Distinct rsp_codes (and bank_rsp_codes) with why this endpoint answers them. */
function codesOf(e: DocEndpoint, locale: Locale): { code: string; bank_rsp_code?: string; reason: string }[] {
  return e.codes.map((c) => ({
    code: c.code,
    ...(c.bank ? { bank_rsp_code: c.bank } : {}),
    reason: c.why ? translate(locale, c.why) : translate(locale, `testbed.code_meaning.${c.code}`),
  }));
}

function description(e: DocEndpoint, locale: Locale): string {
  const parts = [translate(locale, `testbed.endpoint.${e.key}.summary`)];
  if (e.inferredNote) parts.unshift(`[inferred] ${translate(locale, `testbed.endpoint.${e.key}.inferred`)}`);
  const codes = codesOf(e, locale).map(
    (c) => `- ${c.code}${c.bank_rsp_code ? ` / ${c.bank_rsp_code}` : ''}: ${c.reason}`,
  );
  return [...parts, '', `${translate(locale, 'testbed.docs.codes')}:`, ...codes].join('\n');
}

function security(e: DocEndpoint): Json[] | undefined {
  if (e.scopes.length === 0) return e.tag === 'oauth' ? [] : undefined;
  const flow = e.scopes.some((s) => USER_SCOPES.includes(s)) ? 'kftcUser' : 'kftcInstitution';
  return [{ [flow]: [...e.scopes] }, { kftcInstitution: ['sa'] }];
}

function exampleOf(key: string): DocsExample | undefined {
  return DOCS_EXAMPLES[key];
}

/**
 * The 200 answer: the registry's response fields (variants of one operation merged: a field is required when
 * every variant requires it); rsp_code lists every code the operation can answer.
 */
function successResponse(variants: DocEndpoint[], locale: Locale, examples: Record<string, DocsExample>): Json {
  const fields = new Map<string, DocField>();
  for (const v of variants)
    for (const f of v.response) {
      const seen = fields.get(f.name);
      fields.set(f.name, seen ? { ...seen, required: seen.required && f.required } : f);
    }
  for (const [name, f] of fields)
    if (!variants.every((v) => v.response.some((x) => x.name === name))) fields.set(name, { ...f, required: false });
  const schema = objectSchema([...fields.values()], locale);
  const codes = [...new Set(variants.flatMap((v) => v.codes.map((c) => c.code)).filter((c) => /^[AO]\d{4}$/.test(c)))];
  const props = schema.properties as Record<string, Json>;
  if (props.rsp_code) props.rsp_code = { ...props.rsp_code, enum: ['A0000', ...codes.filter((c) => c !== 'A0000')] };
  else if (codes.length)
    props.rsp_code = { type: 'string', enum: codes, description: translate(locale, 'testbed.field.rsp_code') };
  if (!props.rsp_message)
    props.rsp_message = { type: 'string', description: translate(locale, 'testbed.field.rsp_message') };
  const named = Object.entries(examples).filter(([, x]) => x.response.body !== undefined);
  return {
    description: translate(locale, 'testbed.docs.response'),
    content: {
      'application/json': {
        schema,
        ...(named.length
          ? {
              examples: Object.fromEntries(
                named.map(([k, x]) => [
                  k,
                  { summary: translate(locale, `testbed.endpoint.${k}.title`), value: x.response.body },
                ]),
              ),
            }
          : {}),
      },
    },
  };
}

function operation(variants: DocEndpoint[], locale: Locale): Json {
  const e = variants[0]!;
  const examples = Object.fromEntries(
    variants.flatMap((v) => {
      const x = exampleOf(v.key);
      return x ? [[v.key, x]] : [];
    }),
  );
  const op: Json = {
    tags: [TAG_OF[e.tag]],
    operationId: variants.length > 1 ? e.path.split('/').filter(Boolean).pop()! : e.key,
    summary:
      variants.map((v) => translate(locale, `testbed.endpoint.${v.key}.title`)).join(' / ') +
      (e.inferred ? ' [inferred]' : ''),
    description: variants
      .map(
        (v) =>
          (variants.length > 1 ? `### ${translate(locale, `testbed.endpoint.${v.key}.title`)}\n` : '') +
          description(v, locale),
      )
      .join('\n\n'),
    'x-kftc-codes': Object.fromEntries(variants.map((v) => [v.key, codesOf(v, locale)])),
  };
  const sec = security(e);
  if (sec) op.security = sec;
  const params: Json[] = (e.headers ?? []).map((h) => ({
    name: h.name,
    in: 'header',
    required: h.required,
    description: translate(locale, fieldMeaningKey(h)),
    schema: fieldSchema(h, locale),
  }));
  if (e.request === 'query' || e.request === 'browser') {
    const ex = examples[e.key]?.request.query ?? {};
    for (const f of e.fields) {
      const p: Json = {
        name: f.name,
        in: 'query',
        required: f.required,
        description: translate(locale, fieldMeaningKey(f)),
        schema: fieldSchema(f, locale),
      };
      if (ex[f.name] !== undefined) p.example = ex[f.name];
      params.push(p);
    }
  } else {
    const type = e.request === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
    const schemas = variants.map((v) => objectSchema(v.fields, locale));
    const bodies = Object.entries(examples).filter(([, x]) => x.request.body !== undefined);
    op.requestBody = {
      required: true,
      content: {
        [type]: {
          schema: schemas.length > 1 ? { oneOf: schemas } : schemas[0],
          ...(bodies.length
            ? {
                examples: Object.fromEntries(
                  bodies.map(([k, x]) => [
                    k,
                    { summary: translate(locale, `testbed.endpoint.${k}.title`), value: x.request.body },
                  ]),
                ),
              }
            : {}),
        },
      },
    };
  }
  if (params.length) op.parameters = params;
  if (e.request === 'browser') {
    const location = examples[e.key]?.response.headers?.location;
    op.responses = {
      303: {
        description: translate(locale, `testbed.endpoint.${e.key}.summary`),
        headers: {
          Location: {
            description:
              'redirect_uri?code=…&scope=…&client_info=…&state=… | redirect_uri?error=…&error_description=…&state=…',
            schema: { type: 'string', format: 'uri', ...(location ? { example: location } : {}) },
          },
        },
      },
      200: {
        description: 'text/html: the sign-in, account and consent pages',
        content: { 'text/html': { schema: { type: 'string' } } },
      },
    };
  } else {
    op.responses = { 200: successResponse(variants, locale, examples) };
  }
  return op;
}

/** The emulator's OpenAPI 3 document, generated from the endpoint registry. */
function testbedOpenApiDocument(locale: Locale, baseUrl: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const groups = new Map<string, DocEndpoint[]>();
  for (const e of ENDPOINTS) {
    const id = `${e.method} ${e.path}`;
    groups.set(id, [...(groups.get(id) ?? []), e]);
  }
  for (const variants of groups.values()) {
    const e = variants[0]!;
    paths[e.path] ??= {};
    paths[e.path]![e.method.toLowerCase()] = operation(variants, locale);
  }
  const scopeText = (s: string) => `${translate(locale, 'testbed.field.scope')} — ${s}`;
  return {
    openapi: '3.0.3',
    info: {
      title: translate(locale, 'testbed.docs.title'),
      version: '2.0',
      description: `${translate(locale, 'testbed.docs.lead')}\n\n${translate(locale, 'testbed.docs.rule_http200')}`,
    },
    servers: [{ url: baseUrl }],
    tags: (['oauth', 'management', 'services'] as const).map((tag) => ({
      name: TAG_OF[tag],
      description: translate(locale, `testbed.docs.group.${tag}`),
    })),
    paths,
    components: {
      securitySchemes: {
        kftcUser: {
          type: 'oauth2',
          description: translate(locale, 'testbed.endpoint.oauth_authorize.summary'),
          flows: {
            authorizationCode: {
              authorizationUrl: `${baseUrl}/oauth/2.0/authorize`,
              tokenUrl: `${baseUrl}/oauth/2.0/token`,
              refreshUrl: `${baseUrl}/oauth/2.0/token`,
              scopes: Object.fromEntries(USER_SCOPES.map((s) => [s, scopeText(s)])),
            },
          },
        },
        kftcInstitution: {
          type: 'oauth2',
          description: translate(locale, 'testbed.endpoint.token_client_credentials.summary'),
          flows: {
            clientCredentials: {
              tokenUrl: `${baseUrl}/oauth/2.0/token`,
              scopes: { oob: scopeText('oob'), sa: scopeText('sa') },
            },
          },
        },
      },
    },
  };
}

/** The document per language (?lang=en; Korean otherwise), built once per language. */
export function testbedOpenApi(baseUrl: string): (lang: unknown) => Json {
  const built = new Map<Locale, Json>();
  return (lang) => {
    const locale: Locale = isLocale(lang) ? lang : 'ko';
    let doc = built.get(locale);
    if (!doc) {
      doc = testbedOpenApiDocument(locale, baseUrl);
      built.set(locale, doc);
    }
    return doc;
  };
}
