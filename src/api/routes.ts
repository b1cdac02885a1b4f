// The API module's one entry in app.ts: the JSON API under /api/v1 and the account page's token section.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../services';
import apiV1, { API_PREFIX } from './api-v1';
import accountTokenPages from './account-token-pages';

const apiRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  await app.register(apiV1, { prefix: API_PREFIX, services });
  await app.register(accountTokenPages, { services });
};
export default apiRoutes;
