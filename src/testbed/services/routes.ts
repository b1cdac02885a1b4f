// HTTP for the service APIs: authenticate (scope per API), read the fields (A0004 naming the field,
// unknown fields reported in X-Testbed-Warning), one service call, the KFTC envelope. Route schemas exist
// for the OpenAPI document only: they never refuse a request (KFTC answers A0004 with HTTP 200 instead).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TestbedRouteOptions } from '../plugin';
import { authenticate } from '../common/token-guard';
import { success } from '../common/envelope';
import { APIS, type ApiDefinition } from './api-catalogue';
import { jsonSchemaOf, readRequest } from './field-specs';
import fastifySwagger from '@fastify/swagger';
import { OPENAPI_TAG, openApiSchemaFor } from './openapi';
import { ensureScenarioAccounts } from '../scenarios/scenario-accounts';

const acceptAll = () => (data: unknown) => ({ value: data });
const plainJson = () => (data: unknown) => JSON.stringify(data);

const serviceRoutes: FastifyPluginAsync<TestbedRouteOptions> = async (app: FastifyInstance, opts) => {
  const { services, clock } = opts;
  app.addHook('onClose', async () => { await services.testbedApi.flushCounts(); });
  // The scenario catalogue's accounts must exist with or without demo data.
  app.addHook('onReady', async () => { await ensureScenarioAccounts(app.db, services.ledger); });

  // OpenAPI for the service APIs of this scope only (the portal's /api/v1 has its own document).
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'KFTC Open Banking test-bed emulator — service APIs', version: '2.0', description: 'Errors are HTTP 200 with rsp_code ≠ A0000. Scenario triggers: /docs#scenarios.' },
      servers: [{ url: opts.config.baseUrl }],
      tags: [{ name: OPENAPI_TAG, description: 'Balance, transactions, inquiries, transfers, management' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  app.get('/docs/testbed/openapi.json', { schema: { hide: true }, config: { csrf: false } }, async (_req, reply) =>
    reply.header('Cache-Control', 'no-cache').type('application/json; charset=UTF-8').send(app.swagger()));

  for (const api of APIS) {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const caller = await authenticate(req, api.scopes);
      const fields = readRequest(req, reply, api.fields, api.method === 'GET' ? req.query : req.body);
      const body = await services.testbedApi.call(api.key, caller, fields);
      reply.header('Cache-Control', 'no-store');
      return success(body, clock());
    };
    app.route({
      method: api.method,
      url: api.path,
      config: { csrf: false },
      schema: openApiSchemaFor(api, jsonSchemaOf(api.fields)),
      validatorCompiler: acceptAll,
      serializerCompiler: plainJson,
      handler,
    });
  }
};

export type { ApiDefinition };
export default serviceRoutes;
