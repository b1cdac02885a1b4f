// One error handler for the portal's HTML pages and its JSON API. The emulator (/v2.0, /oauth/2.0)
// registers its own handler inside its plugin so that it answers in the KFTC envelope.
// 5xx details are logged with the request id, never sent.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors';
import { isMalformedMultipart } from './malformed-multipart';
import { translate } from '../i18n';

function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

interface Classified {
  status: number;
  titleKey: string;
  bodyKey: string;
  code: string;
}

export const NOT_FOUND: Classified = {
  status: 404,
  titleKey: 'common.errors.not_found_title',
  bodyKey: 'common.errors.not_found_body',
  code: 'not_found',
};

function classify(err: FastifyError | AppError): Classified {
  if (err instanceof AppError) {
    const key = {
      not_found: 'not_found',
      forbidden: 'forbidden',
      unauthenticated: 'forbidden',
      conflict: 'conflict',
      validation: 'bad_request',
      bad_request: 'bad_request',
      rate_limited: 'rate_limited',
      conformance_incomplete: 'conflict',
    }[err.code];
    return {
      status: err.statusCode,
      titleKey: `common.errors.${key}_title`,
      bodyKey: `common.errors.${key}_body`,
      code: err.code,
    };
  }
  // A path parameter that fails its route schema (a malformed id, src/http/route-schemas.ts) names nothing we serve.
  if ((err as FastifyError).validationContext === 'params') return NOT_FOUND;
  const code = (err as FastifyError).code ?? '';
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, titleKey: 'common.errors.csrf_title', bodyKey: 'common.errors.csrf_body', code: 'csrf' };
  }
  const status = (err as FastifyError).statusCode ?? 500;
  if (status === 413)
    return {
      status,
      titleKey: 'common.errors.too_large_title',
      bodyKey: 'common.errors.too_large_body',
      code: 'too_large',
    };
  if (status === 415)
    return {
      status,
      titleKey: 'common.errors.unsupported_type_title',
      bodyKey: 'common.errors.unsupported_type_body',
      code: 'unsupported_media_type',
    };
  if (status === 429)
    return {
      status,
      titleKey: 'common.errors.rate_limited_title',
      bodyKey: 'common.errors.rate_limited_body',
      code: 'rate_limited',
    };
  if (status === 404)
    return {
      status,
      titleKey: 'common.errors.not_found_title',
      bodyKey: 'common.errors.not_found_body',
      code: 'not_found',
    };
  if (status >= 400 && status < 500)
    return {
      status,
      titleKey: 'common.errors.bad_request_title',
      bodyKey: 'common.errors.bad_request_body',
      code: 'bad_request',
    };
  return {
    status: 500,
    titleKey: 'common.errors.server_title',
    bodyKey: 'common.errors.server_body',
    code: 'internal',
  };
}

export async function renderErrorPage(req: FastifyRequest, reply: FastifyReply, c: Classified, detail?: string) {
  if (wantsJson(req)) {
    return reply
      .code(c.status)
      .type('application/json')
      .send({
        error: { code: c.code, message: detail ?? translate(req.locale ?? 'ko', c.titleKey), request_id: req.id },
      });
  }
  if (typeof reply.page !== 'function') {
    return reply
      .code(c.status)
      .type('text/plain; charset=utf-8')
      .send(translate(req.locale ?? 'ko', c.titleKey));
  }
  return reply.page('errors/error', { titleKey: c.titleKey, bodyKey: c.bodyKey, requestId: req.id }, c.status);
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError | AppError, req, reply) => {
      if (error instanceof AppError && error.code === 'unauthenticated' && !wantsJson(req)) {
        return reply.redirect(`/login?next=${encodeURIComponent(req.method === 'GET' ? req.url : '/')}`, 303);
      }
      const c = isMalformedMultipart(req, error)
        ? {
            status: 400,
            titleKey: 'common.errors.bad_request_title',
            bodyKey: 'common.errors.bad_request_body',
            code: 'bad_request',
          }
        : classify(error);
      if (c.status >= 500) req.log.error({ err: error, reqId: req.id }, 'request failed');
      else req.log.info({ code: c.code, reqId: req.id, msg: error.message }, 'request refused');
      if (wantsJson(req) && error instanceof AppError) {
        const body: Record<string, unknown> = { code: error.code, message: error.message, request_id: req.id };
        if (error.details.fieldErrors) {
          body.errors = error.details.fieldErrors.map((f) => ({
            field: f.field,
            message: translate(req.locale ?? 'en', f.message, f.params),
          }));
        }
        if (error.details.currentState) body.current_state = error.details.currentState;
        if (error.details.open) body.open = error.details.open;
        return reply.code(c.status).send({ error: body });
      }
      if (wantsJson(req) && c.status < 500 && (error as FastifyError).validation) {
        return reply.code(422).send({
          error: {
            code: 'validation',
            message: error.message,
            request_id: req.id,
            errors: ((error as FastifyError).validation ?? []).map((v) => ({
              field: (
                v.instancePath || String(v.params?.missingProperty ?? v.params?.additionalProperty ?? '')
              ).replace(/^\//, ''),
              message: v.message ?? 'invalid',
            })),
          },
        });
      }
      return renderErrorPage(req, reply, c);
    });

    app.setNotFoundHandler(async (req, reply) => {
      return renderErrorPage(req, reply, NOT_FOUND);
    });
  },
  { name: 'error-handler' },
);
