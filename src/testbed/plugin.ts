// The KFTC test-bed emulator as one encapsulated fastify plugin: /oauth/2.0/*, /v2.0/* and the sandbox
// shortcut /testbed/*. Inside it, every answer is the KFTC envelope with HTTP 200 (errors included);
// the browser pages of the authorize flow (config.testbedHtml) keep the portal's HTML error pages.
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import qs from 'node:querystring';
import type { Services } from '../services';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import { KftcError, authParamError, messages } from './common/kftc-error';
import { envelope } from './common/envelope';
import { formatError } from './common/request-fields';
import { peekTestbedContext, testbedContext } from './common/request-context';
import oauthRoutes from './oauth/routes';
import authorizePages from './oauth/pages';
import managementRoutes from './management/routes';
import sandboxShortcutRoutes from './oauth/sandbox-shortcut-routes';
import serviceRoutes from './services/routes';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A browser page of the authorize flow: errors render the portal's HTML error page. */
    testbedHtml?: boolean;
    /** The token endpoint: parse errors answer O0001 [3000103] instead of A0004. */
    testbedToken?: boolean;
  }
}

export interface TestbedPluginOptions { services: Services; clock: Clock; config: AppConfig }
export interface TestbedRouteOptions extends TestbedPluginOptions {}

const PREFIXES = ['/v2.0', '/oauth/2.0', '/testbed'];
const startTimes = new WeakMap<FastifyRequest, number>();

/** Path without the query string. */
function pathOf(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}

/** The KFTC answer for an error: O-codes carry only rsp_code + rsp_message. */
function errorBody(err: KftcError, clock: Clock): Record<string, unknown> {
  if (err.isGatewayError) return { rsp_code: err.rspCode, rsp_message: err.rspMessage };
  return { ...envelope(clock()), rsp_code: err.rspCode, rsp_message: err.rspMessage, ...err.extra };
}

function asKftcError(err: FastifyError | Error, req: FastifyRequest): KftcError | null {
  if (err instanceof KftcError) return err;
  const fe = err as FastifyError;
  const isToken = req.routeOptions.config?.testbedToken === true;
  // Schema validation (if a route declares one): name the first field.
  if (fe.validation && fe.validation.length > 0) {
    if (isToken) return authParamError('3000103');
    const v = fe.validation[0]!;
    const field = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String(v.params?.missingProperty ?? v.params?.additionalProperty ?? 'body');
    return formatError(field, v.message ?? '형식 오류');
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Unparseable body, unsupported content type, body too large, bad URL encoding…
    return isToken ? authParamError('3000103') : formatError('body', fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? '요청 크기 초과' : '요청 본문을 해석할 수 없음');
  }
  return null;
}

const testbedPlugin: FastifyPluginAsync<TestbedPluginOptions> = async (app: FastifyInstance, opts) => {
  const { services, clock } = opts;

  // Which methods each static path answers: a known path with another method → O0010.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const set = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of methods) set.add(m);
    methodsByPath.set(route.url, set);
    // JSON APIs skip the page security headers: @fastify/helmet rebuilds its whole header set (CSP parsing
    // included) on every request, which costs more than the API call itself. The authorize pages keep them.
    if (!route.config?.testbedHtml) route.config = { ...(route.config ?? {}), helmet: { skipRoute: true } } as typeof route.config;
  });

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

  app.addHook('onRequest', async (req, reply) => {
    startTimes.set(req, performance.now());
    if (!req.routeOptions.config?.testbedHtml) reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'no-store');
  });

  // Remember the codes answered, for the request log.
  app.addHook('preSerialization', async (req, _reply, payload) => {
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
      const p = payload as Record<string, unknown>;
      const ctx = testbedContext(req);
      if (typeof p.rsp_code === 'string') ctx.rspCode = p.rsp_code;
      if (typeof p.bank_rsp_code === 'string') ctx.bankRspCode = p.bank_rsp_code;
      else if (Array.isArray(p.res_list) && p.res_list[0] && typeof (p.res_list[0] as Record<string, unknown>).bank_rsp_code === 'string') {
        ctx.bankRspCode = (p.res_list[0] as Record<string, unknown>).bank_rsp_code as string;
      }
      if (typeof p.api_tran_id === 'string') ctx.apiTranId = p.api_tran_id;
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.config?.testbedHtml) return;
    const ctx = peekTestbedContext(req);
    const started = startTimes.get(req);
    services.testbedRequestLog.record({
      organizationId: ctx?.organizationId ?? null,
      clientUseCode: ctx?.clientUseCode ?? null,
      method: req.method,
      path: pathOf(req.url),
      rspCode: ctx?.rspCode ?? (reply.statusCode === 200 ? null : String(reply.statusCode)),
      bankRspCode: ctx?.bankRspCode ?? null,
      warnings: ctx?.warnings ?? [],
      apiTranId: ctx?.apiTranId ?? null,
      durationMs: started === undefined ? null : performance.now() - started,
    });
  });
  app.addHook('onClose', async () => {
    await services.testbedRequestLog.flush();
  });

  app.setErrorHandler(async (error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    // Browser pages: the portal's error handler (the parent) renders its HTML page.
    if (req.routeOptions.config?.testbedHtml) throw error;
    // No route matched, but the body could not be read first (e.g. PUT without a content type).
    if (req.is404) return notFoundAnswer(req, reply);
    let kftc = asKftcError(error, req);
    if (!kftc) {
      req.log.error({ err: error, reqId: req.id }, 'test-bed request failed');
      kftc = new KftcError('A0003', `${messages.A0003} (request ${req.id})`);
    } else {
      req.log.info({ rsp_code: kftc.rspCode, reqId: req.id, msg: kftc.rspMessage }, 'test-bed request refused');
    }
    return reply.code(200).header('Cache-Control', 'no-store').type('application/json; charset=UTF-8').send(errorBody(kftc, clock));
  });

  function notFoundAnswer(req: FastifyRequest, reply: FastifyReply) {
    const methods = methodsByPath.get(pathOf(req.url));
    const err = methods && !methods.has(req.method) ? new KftcError('O0010', messages.O0010!) : new KftcError('O0005', messages.O0005!);
    return reply.code(200).header('Cache-Control', 'no-store').type('application/json; charset=UTF-8').send(errorBody(err, clock));
  }
  const notFound = async (req: FastifyRequest, reply: FastifyReply) => notFoundAnswer(req, reply);
  for (const prefix of PREFIXES) {
    await app.register(async (scope) => { scope.setNotFoundHandler(notFound); }, { prefix });
  }

  const routeOpts: TestbedRouteOptions = opts;
  await app.register(oauthRoutes, routeOpts);
  await app.register(authorizePages, routeOpts);
  await app.register(sandboxShortcutRoutes, routeOpts);
  await app.register(managementRoutes, routeOpts);
  // ── LEDGER: service APIs (/v2.0/account/balance, transaction_list, inquiry/*, transfer/*, …) ──
  await app.register(serviceRoutes, routeOpts);
};

export default testbedPlugin;
