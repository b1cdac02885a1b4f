// GET /docs: the emulator's documentation page, server-rendered (no scripts, CSP-safe) from the same data
// that drives the routes (api-catalogue.ts) and the scenario catalogue. The OpenAPI document itself is
// served by routes.ts at /docs/testbed/openapi.json.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services';
import { APIS } from './api-catalogue';
import { SCENARIOS, SCENARIO_ACCOUNTS } from '../scenarios/catalogue';

const docsRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const apis = APIS.map((a) => ({
    ...a,
    fields: a.fields.map((f) => ({ name: f.name, required: f.required, description: f.description, items: f.items?.map((i) => ({ name: i.name, required: i.required, description: i.description })) })),
  }));
  app.get('/docs', async (_req, reply) =>
    reply.page('testbed-docs/index', {
      titleKey: 'testbed.docs.title',
      apis,
      scenarios: SCENARIOS,
      scenarioAccounts: Object.values(SCENARIO_ACCOUNTS),
      limits: services.testbedApi.limits,
    }));
};

export default docsRoutes;
