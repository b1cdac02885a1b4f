// /api/v1 — the JSON API for everything the portal UI does. One encapsulated plugin: its own OpenAPI
// document (generated from these route schemas only), bearer-token authentication, JSON bodies only.
// Rules are never re-implemented here: every handler calls the same services as the pages.
import type { FastifyPluginAsync } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import type { ApiTokensService } from './service';
import { registerBearerAuthentication } from './authentication';
import { ErrorBody } from './schemas';
import { AppError } from '../http/errors';
import { hasMessage, negotiateLocale, translate } from '../i18n';
import { fieldErrorsFromValidation } from './validation-errors';
import { fieldsWithNul } from './no-nul-characters';
import tokensRoutes, { type TokensRoutesOptions } from './tokens-routes';
import applicationsRoutes, { type ApplicationsRoutesOptions } from './applications-routes';
import securityRoutes, { type SecurityRoutesOptions } from './security-routes';
import applicationDocumentsApiRoutes, {
  type ApplicationDocumentsApiRoutesOptions,
} from './application-documents-routes';
import contractRoutes, { type ContractRoutesOptions } from './contract-routes';
import credentialsRoutes, { type CredentialsApiRoutesOptions } from './credentials-routes';
import sandboxRequestsApiRoutes, { type SandboxRequestsApiRoutesOptions } from './sandbox-requests-routes';

export { API_PREFIX } from './api-v1-prefix';

/** What the API's route files use (each takes its own part; see their options) and the token check. */
export type ApiV1Options = TokensRoutesOptions &
  ApplicationsRoutesOptions &
  SecurityRoutesOptions &
  ApplicationDocumentsApiRoutesOptions &
  ContractRoutesOptions &
  CredentialsApiRoutesOptions &
  SandboxRequestsApiRoutesOptions & { apiTokens: Pick<ApiTokensService, 'authenticate'> };

const apiV1: FastifyPluginAsync<ApiV1Options> = async (app, opts) => {
  // Every route here authenticates with a bearer token and never with the session cookie, so the
  // session CSRF check does not apply (see authentication.ts). Set here so no route can forget it.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), csrf: false };
  });

  // JSON only (multipart is added by the upload routes that need it). A urlencoded or text/plain body —
  // what a cross-site HTML form can send without a preflight — is refused with 415 before anything runs.
  app.removeContentTypeParser(['application/x-www-form-urlencoded', 'text/plain']);

  app.addSchema(ErrorBody);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Open Banking onboarding portal API',
        version: '1.0.0',
        description:
          'Everything the portal UI does, as JSON. Authenticate with a personal access token: `Authorization: Bearer <token>` ' +
          '(create one on the account page, with POST /api/v1/tokens, or at POST /api/v1/signup). Unknown fields in a body are a 422. ' +
          'Errors share one envelope: {"error": {"code", "message", "errors"?: [{field, message}], "current_state"?}}.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal access token (obp_…)' },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });

  // The language of messages: ?lang=, then Accept-Language (the portal's own negotiation runs later, in
  // preHandler; errors from authentication and validation need it earlier).
  app.addHook('onRequest', async (req) => {
    const lang = (req.query as Record<string, unknown> | undefined)?.lang;
    req.locale = negotiateLocale(lang === 'eng' ? 'en' : lang === 'kor' ? 'ko' : lang, req.headers['accept-language']);
  });

  registerBearerAuthentication(app, opts.apiTokens);

  app.addHook('preValidation', async (req) => {
    const bad = [...fieldsWithNul(req.query), ...fieldsWithNul(req.body)];
    if (bad.length) throw new AppError('validation', 'validation failed', { fieldErrors: bad });
  });

  // Answers carry personal and business data: never stored by shared caches unless a route says otherwise.
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
  });

  // Errors are answered by the portal error handler (src/http/error-handler.ts, JSON envelope for /api/*);
  // this one only sharpens them first and rethrows, which hands them to that parent handler:
  // schema failures become field errors naming the exact field; a path id that fails its schema is a 404
  // like any other unknown id; a service message that is an i18n key is sent translated.
  app.setErrorHandler(async (error, req) => {
    const validation = (error as { validation?: unknown[] }).validation;
    if (Array.isArray(validation) && !(error instanceof AppError)) {
      if ((error as { validationContext?: string }).validationContext === 'params')
        throw new AppError('not_found', 'not found');
      throw new AppError('validation', 'validation failed', {
        fieldErrors: fieldErrorsFromValidation(validation as never[]),
      });
    }
    if (error instanceof AppError && hasMessage(req.locale, error.message)) {
      throw new AppError(error.code, translate(req.locale, error.message), error.details);
    }
    throw error;
  });

  app.get('/openapi.json', { config: { publicApi: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.header('Cache-Control', 'no-cache').send(app.swagger()),
  );

  const { apiTokens, onboarding, workflow, audit, notifications, inspection, contract } = opts;
  await app.register(tokensRoutes, { apiTokens });
  await app.register(applicationsRoutes, { onboarding, workflow, audit, notifications, inspection, contract });
  await app.register(securityRoutes, { inspection });
  await app.register(applicationDocumentsApiRoutes, { applicationDocuments: opts.applicationDocuments }); // stage 1 documents
  await app.register(contractRoutes, { contract });
  await app.register(credentialsRoutes, { credentials: opts.credentials, testbedUsers: opts.testbedUsers });
  await app.register(sandboxRequestsApiRoutes, { testbedRequests: opts.testbedRequests, workflow });
};
export default apiV1;
