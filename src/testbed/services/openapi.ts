// OpenAPI pieces for the service APIs (documentation only; see routes.ts): the route schema of one API.
import type { ApiDefinition } from './api-catalogue';

export const OPENAPI_TAG = 'testbed-services';

export function openApiSchemaFor(api: ApiDefinition, requestSchema: Record<string, unknown>): Record<string, unknown> {
  const responseProps: Record<string, unknown> = {
    api_tran_id: { type: 'string', description: 'UUID' },
    api_tran_dtm: { type: 'string', description: 'yyyyMMddHHmmssSSS (KST)' },
    rsp_code: { type: 'string', description: 'A0000 success; other A/O codes on failure (HTTP 200)' },
    rsp_message: { type: 'string' },
  };
  for (const name of api.response) {
    const m = /^(\w+)\[(.*)\]$/.exec(name);
    if (m) responseProps[m[1]!] = { type: 'array', items: { type: 'object', description: m[2] } };
    else responseProps[name] = { type: 'string' };
  }
  const schema: Record<string, unknown> = {
    tags: [OPENAPI_TAG],
    summary: `${api.title} — ${api.summary}${api.inferred ? ' [inferred]' : ''}`,
    operationId: api.key,
    security: [{ bearer: [...api.scopes, 'sa'] }],
    response: { 200: { description: 'KFTC envelope (errors too are HTTP 200 with rsp_code ≠ A0000)', type: 'object', properties: responseProps } },
  };
  if (api.method === 'GET') schema.querystring = requestSchema;
  else schema.body = requestSchema;
  return schema;
}
