// HTTP for the service APIs: authenticate (scope per API), read the fields (A0004 naming the field,
// unknown fields reported in X-Testbed-Warning), one service call, the KFTC envelope. Route schemas exist
// for the OpenAPI document only: they never refuse a request (KFTC answers A0004 with HTTP 200 instead).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock';
import type { TestbedApiService } from './service';
import { authenticate } from '../common/token-guard';
import { success } from '../common/envelope';
import { APIS } from './api-catalogue';
import { jsonSchemaOf, readRequest } from './field-specs';
import { acceptAll, openApiSchemaFor, plainJson } from './openapi';

interface ServiceRoutesOptions {
  testbedApi: Pick<TestbedApiService, 'call' | 'flushCounts' | 'ensureScenarioAccounts'>;
  clock: Clock;
}

const serviceRoutes: FastifyPluginAsync<ServiceRoutesOptions> = async (app: FastifyInstance, { testbedApi, clock }) => {
  app.addHook('onClose', async () => {
    await testbedApi.flushCounts();
  });
  // The scenario catalogue's accounts must exist with or without demo data.
  app.addHook('onReady', async () => {
    await testbedApi.ensureScenarioAccounts();
  });

  // The OpenAPI document (/docs/testbed/openapi.json) is registered once around the whole emulator (../plugin.ts).
  for (const api of APIS) {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const caller = await authenticate(req, api.scopes);
      const fields = readRequest(req, reply, api.fields, api.method === 'GET' ? req.query : req.body);
      const body = await testbedApi.call(api.key, caller, fields);
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
export default serviceRoutes;
