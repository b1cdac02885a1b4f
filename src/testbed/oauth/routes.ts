// POST /oauth/2.0/token: the three grants, form-encoded (JSON and query-string fields tolerated).
// Answers are HTTP 200: the token on success, {rsp_code, rsp_message} (O-codes) on failure; never cached.
import type { FastifyPluginAsync } from 'fastify';
import type { TestbedRouteOptions } from '../route-options';
import { authParamError } from '../common/kftc-error';
import { testbedContext } from '../common/request-context';
import { reportUnknownFields } from '../common/request-fields';
import { required, requiredExact, tokenParameters } from './token-parameters';
import { documented, tokenSchema } from '../services/openapi';

const KNOWN = new Set(['grant_type', 'code', 'client_id', 'client_secret', 'redirect_uri', 'refresh_token', 'scope']);

const oauthRoutes: FastifyPluginAsync<TestbedRouteOptions> = async (app, { services }) => {
  const { oauth, credentials } = services;

  app.post(
    '/oauth/2.0/token',
    { config: { csrf: false, testbedToken: true }, ...documented(tokenSchema) },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      const p = tokenParameters(req.body, req.query);
      reportUnknownFields(req, reply, p, KNOWN);
      const grantType = required(p, 'grant_type', 50);
      if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType))
        throw authParamError('3000103');
      const clientId = required(p, 'client_id', 100);
      const clientSecret = required(p, 'client_secret', 200);
      const set = await credentials.authenticateClient(clientId, clientSecret);
      const ctx = testbedContext(req);
      ctx.organizationId = set.organizationId;
      ctx.clientUseCode = set.clientUseCode;
      if (grantType === 'authorization_code') {
        return oauth.exchangeCode(set, {
          code: required(p, 'code', 200),
          redirectUri: requiredExact(p, 'redirect_uri', 500),
        });
      }
      if (grantType === 'refresh_token') {
        return oauth.refresh(set, { refreshToken: required(p, 'refresh_token', 300), scope: p.scope });
      }
      return oauth.clientCredentials(set, { scope: required(p, 'scope', 100) });
    },
  );
};

export default oauthRoutes;
