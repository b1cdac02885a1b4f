// The API module's one entry in app.ts: the JSON API under /api/v1 and the account page's token section.
// It takes the services those two use (src/app.ts passes them; see their options) and hands each its part.
import type { FastifyPluginAsync } from 'fastify';
import apiV1, { API_PREFIX, type ApiV1Options } from './api-v1';
import accountTokenPages, { type AccountTokenPagesOptions } from './account-token-pages';

type ApiRoutesOptions = ApiV1Options & AccountTokenPagesOptions;

const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, opts) => {
  await app.register(apiV1, { ...opts, prefix: API_PREFIX });
  await app.register(accountTokenPages, { apiTokens: opts.apiTokens });
};
export default apiRoutes;
