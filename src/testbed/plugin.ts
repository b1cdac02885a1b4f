// The KFTC test-bed emulator's machine-to-machine surface as one encapsulated fastify plugin, a sibling of
// the portal context (src/app.ts): POST /oauth/2.0/token, /v2.0/* and the sandbox shortcut /testbed/*.
// None of the portal's per-request hooks run here (session, cookies, CSRF, helmet, locale, current user,
// notification counts); every answer is the KFTC envelope with HTTP 200 (errors and unknown paths
// included), with nosniff + no-store. The browser pages of the authorize flow (oauth/pages.ts) are
// registered in the portal context instead: they need the session, CSRF and views.
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import qs from 'node:querystring';
import type { Clock } from '../clock';
import type { TestbedPluginOptions, TestbedRouteOptions } from './route-options';
import { KftcError, authParamError, messages } from './common/kftc-error';
import { answerHead } from './common/envelope';
import { formatError } from './common/request-fields';
import { peekTestbedContext, testbedContext } from './common/request-context';
import { apiKeyOf, bankTranIdOf } from './common/api-key-of';
import oauthRoutes from './oauth/routes';
import managementRoutes from './management/routes';
import sandboxShortcutRoutes from './oauth/sandbox-shortcut-routes';
import serviceRoutes from './services/routes';
import { testbedOpenApi } from './services/openapi';

const PREFIXES = ['/v2.0', '/oauth', '/testbed']; // '/oauth': a misspelled /oauth/v2.0/token answers KFTC JSON, not the portal's HTML
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Path without the query string. */
function pathOf(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}

/** The KFTC answer for an error: O-codes carry only rsp_code + rsp_message. */
function errorBody(err: KftcError, clock: Clock): Record<string, unknown> {
  if (err.isGatewayError) return { rsp_code: err.rspCode, rsp_message: err.rspMessage };
  return Object.assign(answerHead(clock(), err.rspCode, err.rspMessage), err.extra);
}

function asKftcError(err: FastifyError | Error, req: FastifyRequest): KftcError | null {
  if (err instanceof KftcError) return err;
  const fe = err as FastifyError;
  const isToken = req.routeOptions.config?.testbedToken === true;
  // Schema validation (if a route declares one): name the first field.
  if (fe.validation && fe.validation.length > 0) {
    if (isToken) return authParamError('3000103');
    const v = fe.validation[0]!;
    const field =
      (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
      String(v.params?.missingProperty ?? v.params?.additionalProperty ?? 'body');
    return formatError(field, v.message ?? '형식 오류');
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Unparseable body, unsupported content type, body too large, bad URL encoding…
    return isToken
      ? authParamError('3000103')
      : formatError('body', fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? '요청 크기 초과' : '요청 본문을 해석할 수 없음');
  }
  return null;
}

const testbedPlugin: FastifyPluginAsync<TestbedPluginOptions> = async (app: FastifyInstance, opts) => {
  const { services, clock } = opts;

  // OpenAPI for the emulator (token endpoint, authorize, sandbox shortcut, management and service APIs),
  // generated from the endpoint registry (docs/endpoints.ts); ?lang=en for English descriptions.
  const openApi = testbedOpenApi(opts.config.baseUrl);
  app.get('/docs/testbed/openapi.json', { schema: { hide: true } }, async (req, reply) =>
    reply
      .header('Cache-Control', 'no-cache')
      .type('application/json; charset=UTF-8')
      .send(openApi((req.query as { lang?: unknown } | undefined)?.lang)),
  );

  // Bodies: JSON or form, with or without `; charset=UTF-8`; an empty JSON body is {}; anything else is
  // read as JSON when it looks like JSON, otherwise as a form (clients that forget the content type).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error('invalid JSON') as FastifyError;
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  // Forms (the token endpoint): duplicate keys become arrays, as in the portal's parser.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_req, body, done) => {
      done(null, qs.parse(body as string));
    },
  );
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    if (text.startsWith('{')) {
      try {
        return done(null, JSON.parse(text));
      } catch {
        const err = new Error('invalid JSON') as FastifyError;
        err.statusCode = 400;
        return done(err, undefined);
      }
    }
    done(null, qs.parse(text));
  });

  // Callback-style hooks: these run on every emulator call, and an async hook costs a promise each.
  app.decorateRequest('testbedContext', null);
  app.decorateRequest('testbedStartedAt', 0);
  app.addHook('onRequest', (req, reply, done) => {
    req.testbedStartedAt = performance.now();
    reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'no-store');
    done();
  });

  // Remember the answer and its codes, for the request log (the object itself: the log's batch writer
  // masks and serialises it later, off the call's path).
  app.addHook('preSerialization', (req, _reply, payload, done) => {
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
      const p = payload as Record<string, unknown>;
      const ctx = testbedContext(req);
      ctx.responseBody = payload;
      if (typeof p.rsp_code === 'string') ctx.rspCode = p.rsp_code;
      if (typeof p.bank_rsp_code === 'string') ctx.bankRspCode = p.bank_rsp_code;
      else if (
        Array.isArray(p.res_list) &&
        p.res_list[0] &&
        typeof (p.res_list[0] as Record<string, unknown>).bank_rsp_code === 'string'
      ) {
        ctx.bankRspCode = (p.res_list[0] as Record<string, unknown>).bank_rsp_code as string;
      }
      if (typeof p.api_tran_id === 'string') ctx.apiTranId = p.api_tran_id;
      if (typeof p.user_seq_no === 'string' && !ctx.userSeqNo) ctx.userSeqNo = p.user_seq_no;
    }
    done(null, payload);
  });

  app.addHook('onResponse', (req, reply, done) => {
    try {
      const ctx = peekTestbedContext(req);
      const started = req.testbedStartedAt;
      const fields = req.method === 'GET' ? req.query : req.body;
      const api = apiKeyOf(req.routeOptions.url);
      const f = fields && typeof fields === 'object' ? (fields as Record<string, unknown>) : null;
      services.testbedRequestLog.record({
        organizationId: ctx?.organizationId ?? null,
        clientUseCode: ctx?.clientUseCode ?? null,
        method: req.method,
        path: pathOf(req.url),
        api,
        grantType: api === 'oauth_token' && f && typeof f.grant_type === 'string' ? f.grant_type : null,
        userSeqNo: ctx?.userSeqNo ?? (f && typeof f.user_seq_no === 'string' ? f.user_seq_no : null),
        bankTranId: bankTranIdOf(f),
        rspCode: ctx?.rspCode ?? (reply.statusCode < 400 ? null : String(reply.statusCode)),
        bankRspCode: ctx?.bankRspCode ?? null,
        warnings: ctx?.warnings ?? [],
        apiTranId: ctx?.apiTranId ?? null,
        durationMs: started > 0 ? performance.now() - started : null,
        authorization: req.headers.authorization ?? null,
        contentType: req.headers['content-type'] ?? null,
        requestSize: req.method === 'GET' ? req.url.length : Number(req.headers['content-length'] ?? 0),
        requestBody: fields,
        responseBody: ctx?.responseBody,
      });
    } finally {
      done();
    }
  });
  app.addHook('onReady', async () => {
    await services.testbedRequestLog.start();
    services.testbedRequestLog.startPruning();
  });
  app.addHook('onClose', async () => {
    await services.testbedRequestLog.stop();
  });

  app.setErrorHandler(async (error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    // No route matched, but the body could not be read first (e.g. PUT without a content type).
    if (req.is404) return notFoundAnswer(req, reply);
    let kftc = asKftcError(error, req);
    if (!kftc) {
      req.log.error({ err: error, reqId: req.id }, 'test-bed request failed');
      kftc = new KftcError('A0003', `${messages.A0003} (request ${req.id})`);
    } else {
      req.log.info({ rsp_code: kftc.rspCode, reqId: req.id, msg: kftc.rspMessage }, 'test-bed request refused');
    }
    return reply
      .code(200)
      .header('Cache-Control', 'no-store')
      .type('application/json; charset=UTF-8')
      .send(errorBody(kftc, clock));
  });

  // A known path with another method → O0010 (the router is shared, so this also knows the authorize
  // pages registered in the portal context); an unknown path → O0005.
  function notFoundAnswer(req: FastifyRequest, reply: FastifyReply) {
    const path = pathOf(req.url);
    const known = HTTP_METHODS.some((method) => method !== req.method && app.hasRoute({ method, url: path }));
    const err = known ? new KftcError('O0010', messages.O0010!) : new KftcError('O0005', messages.O0005!);
    return reply
      .code(200)
      .header('Cache-Control', 'no-store')
      .type('application/json; charset=UTF-8')
      .send(errorBody(err, clock));
  }
  const notFound = async (req: FastifyRequest, reply: FastifyReply) => notFoundAnswer(req, reply);
  for (const prefix of PREFIXES) {
    await app.register(
      async (scope) => {
        scope.setNotFoundHandler(notFound);
      },
      { prefix },
    );
  }

  const routeOpts: TestbedRouteOptions = opts;
  await app.register(oauthRoutes, routeOpts);
  await app.register(sandboxShortcutRoutes, routeOpts);
  await app.register(managementRoutes, routeOpts);
  // ── LEDGER: service APIs (/v2.0/account/balance, transaction_list, inquiry/*, transfer/*, …) ──
  await app.register(serviceRoutes, { testbedApi: services.testbedApi, clock });
};

export default testbedPlugin;
