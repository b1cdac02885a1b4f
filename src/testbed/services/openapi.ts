// OpenAPI pieces for the emulator (documentation only): route schemas never refuse a request (KFTC answers
// A0004/O0001 with HTTP 200 instead, and unknown fields only warn) and never reshape an answer, so every
// documented route also sets `validatorCompiler: acceptAll` and `serializerCompiler: plainJson`.
import type { ApiDefinition } from './api-catalogue';

export const OPENAPI_TAG = 'testbed-services';
export const OPENAPI_TAG_OAUTH = 'testbed-oauth';
export const OPENAPI_TAG_MANAGEMENT = 'testbed-management';
export const OPENAPI_TAGS = [
  { name: OPENAPI_TAG_OAUTH, description: 'Tokens (POST /oauth/2.0/token) and the sandbox authorize shortcut' },
  { name: OPENAPI_TAG_MANAGEMENT, description: 'User and registered-account management (scope login)' },
  { name: OPENAPI_TAG, description: 'Balance, transactions, inquiries, transfers, manage' },
];

/** A validator that accepts anything (schemas here are documentation). */
export const acceptAll = () => (data: unknown) => ({ value: data });
/** A serializer that writes the answer as it is (no field stripping by a response schema). */
export const plainJson = () => (data: unknown) => JSON.stringify(data);
/** Route options that attach a documentation-only schema. */
export function documented(schema: Record<string, unknown>) {
  return { schema, validatorCompiler: acceptAll, serializerCompiler: plainJson };
}

const str = (description?: string) => (description ? { type: 'string', description } : { type: 'string' });
const kftcError = { description: 'Refusal (HTTP 200): rsp_code + rsp_message (O-codes) or the envelope with an A-code', type: 'object', properties: { rsp_code: str(), rsp_message: str() } };

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
      client_id: str(), client_secret: str(),
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
        access_token: str('JWT (HS256)'), token_type: str('Bearer'), expires_in: str(), refresh_token: str(), scope: str(),
        user_seq_no: str(), client_use_code: str(), rsp_code: str('only on refusal'), rsp_message: str('only on refusal'),
      },
    },
  },
};

/** POST /testbed/sandbox/authorize. */
export const sandboxAuthorizeSchema = {
  tags: [OPENAPI_TAG_OAUTH],
  summary: 'Sandbox shortcut: an authorization code without the browser pages (registers the user\'s active accounts) [test bed only]',
  operationId: 'sandbox_authorize',
  body: {
    type: 'object',
    required: ['client_id', 'client_secret', 'user_seq_no', 'scope', 'redirect_uri'],
    properties: { client_id: str(), client_secret: str(), user_seq_no: str('10 digits'), scope: str('e.g. "login inquiry transfer"'), redirect_uri: str('a registered callback URL') },
  },
  response: { 200: { description: 'The code, or a KFTC refusal', type: 'object', properties: { code: str(), scope: str(), user_seq_no: str(), rsp_code: str(), rsp_message: str() } } },
};

/** A management API under /v2.0 (scope login; sa stands in). */
export function managementSchema(opts: { operationId: string; summary: string; method: 'GET' | 'POST'; fields: Record<string, string>; required: string[]; response: string[] }) {
  const request = { type: 'object', required: opts.required, properties: Object.fromEntries(Object.entries(opts.fields).map(([k, d]) => [k, str(d)])) };
  const props: Record<string, unknown> = { api_tran_id: str('UUID'), api_tran_dtm: str('yyyyMMddHHmmssSSS (KST)'), rsp_code: str(), rsp_message: str() };
  for (const name of opts.response) props[name] = name.endsWith('_list') ? { type: 'array', items: { type: 'object' } } : str();
  return {
    tags: [OPENAPI_TAG_MANAGEMENT],
    summary: opts.summary,
    operationId: opts.operationId,
    security: [{ bearer: ['login', 'sa'] }],
    [opts.method === 'GET' ? 'querystring' : 'body']: request,
    response: { 200: { description: 'KFTC envelope (errors too are HTTP 200 with rsp_code ≠ A0000)', type: 'object', properties: props }, default: kftcError },
  };
}

const BANK_LEG_FIELDS = ['bank_tran_id', 'bank_tran_date', 'bank_code_tran', 'bank_rsp_code', 'bank_rsp_message'];

/** "res_list[a, bank leg, b]" → an array of objects with a string property per field. */
function listSchema(fields: string): Record<string, unknown> {
  const names = fields.split(',').map((n) => n.trim()).flatMap((n) => (n === 'bank leg' ? BANK_LEG_FIELDS : [n])).filter(Boolean);
  return { type: 'array', items: { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) } };
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
    response: { 200: { description: 'KFTC envelope (errors too are HTTP 200 with rsp_code ≠ A0000)', type: 'object', properties: responseProps } },
  };
  if (api.inferredNote) schema.description = `[inferred] ${api.inferredNote}`;
  if (api.method === 'GET') schema.querystring = requestSchema;
  else schema.body = requestSchema;
  return schema;
}
