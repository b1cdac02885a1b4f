// Rule: an /api/v1 request is authenticated by its bearer token alone. The session cookie is ignored
// (req.user is reset and set from the token), so CSRF checks can be off for these routes without
// letting a cross-site request act with someone's browser session.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../accounts/types';
import type { ApiTokensService } from './service';
import { AppError } from '../http/errors';
import { bearerTokenFrom } from './bearer-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true: an /api/v1 route that needs no bearer token (token issue, sign-up, the OpenAPI document). */
    publicApi?: boolean;
  }
}

export function registerBearerAuthentication(
  app: FastifyInstance,
  tokens: Pick<ApiTokensService, 'authenticate'>,
): void {
  const tokenUser = new WeakMap<FastifyRequest, CurrentUser>();

  // Before the body is read or validated: no token, no parsing.
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config?.publicApi) return;
    const token = bearerTokenFrom(req.headers.authorization);
    const user = token ? await tokens.authenticate(token) : null;
    if (!user) {
      reply.header('WWW-Authenticate', 'Bearer realm="api"');
      throw new AppError('unauthenticated', token ? 'api.errors.token_invalid' : 'api.errors.token_missing');
    }
    tokenUser.set(req, user);
    // Also for the routes' own onRequest hooks (an upload is authorized before its body is read).
    req.user = user;
  });

  // The global security preHandler (registered earlier, so it runs first) may have loaded a user from
  // the session cookie; here the API replaces it with the token's user, or nobody.
  app.addHook('preHandler', async (req) => {
    req.user = tokenUser.get(req) ?? null;
  });
}

/** The signed-in API user (after the hooks above; public routes have none). */
export function apiUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw new AppError('unauthenticated', 'api.errors.token_missing');
  return req.user;
}
