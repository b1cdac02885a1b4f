// The whole application as one fastify plugin tree. ONE visible register list, in order: the portal
// context (its infrastructure, then its routes) and the emulator context beside it (see below why two).
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import koreanFont from './http/korean-font';
import { NOT_FOUND, renderErrorPage } from './http/error-handler';
import type { Knex } from 'knex';
import type { AppConfig } from './config';
import { createDb } from './db/knex';
import { isEmptyDatabase, loadDemoSeed, migrateLatest } from './db/migrate';
import { createReadiness } from './ops/readiness';
import { installAccessLog } from './ops/access-log';
import { systemClock, type Clock } from './clock';
import { randomId, type IdGenerator } from './db/ids';
import { publicDir } from './paths';
import { createServices, type Services } from './services';
import './http/types';
import routeTable from './http/route-table';
import security, { securityHeaders } from './http/security';
import securityHeadersPlugin from './http/security-headers';
import views from './http/views';
import { loadAssetManifest, serveHashedAssets } from './http/static-assets';
import errorHandler from './http/error-handler';
import homeRoutes from './home/routes';
import accountsRoutes from './accounts/routes';
import onboardingRoutes from './onboarding/routes';
import applicationDocumentsRoutes from './onboarding/application-documents-routes';
import apiRoutes from './api/routes';
import notificationCount, { loadUserWithUnreadCount } from './notifications/unread-count';
import outboxDelivery from './notifications/outbox-delivery';
import notificationsRoutes from './notifications/routes';
import workflowRoutes from './workflow/routes';
import inspectionRoutes from './inspection/routes';
import contractRoutes from './contract/routes';
import sandboxRoutes from './credentials/routes';
import testbedPlugin from './testbed/plugin';
import sandboxLedgerRoutes from './testbed/scenarios/routes';
import testbedAuthorizePages from './testbed/oauth/pages';
import testbedDocsRoutes from './testbed/services/docs-routes';
import sandboxRequestsRoutes from './sandbox-requests/routes';
import sandboxConsoleRoutes from './sandbox-console/routes';
import usageRoutes from './usage/routes';

export interface BuildOptions {
  config: AppConfig;
  /** Inject a database (tests share one per app); otherwise one is created from config.databaseUrl. */
  db?: Knex;
  clock?: Clock;
  ids?: IdGenerator;
  /** Run migrations (and the demo seed when allowed) before serving. Default true. */
  migrate?: boolean;
  /** Where log lines go (default standard output); tests read them. */
  logStream?: { write(line: string): void };
  /**
   * Builds route validators and serializers (fastify's schemaController.compilersFactory; default: a new Ajv and
   * fast-json-stringify per app). Tests build hundreds of apps in one process and share compiled ones.
   */
  schemaCompilers?: NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    db: Knex;
    config: AppConfig;
    /** Whether /readyz says ready; server.ts marks it draining first thing on SIGTERM (src/ops/shutdown.ts). */
    readiness: { markDraining(): void };
  }
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const db =
    opts.db ?? createDb(config.databaseUrl, { poolMax: config.dbPoolMax, sqliteCacheMiB: config.sqliteCacheMiB });
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? randomId;
  if (opts.migrate !== false) {
    await migrateLatest(db);
    if (config.loadDemoData && (await isEmptyDatabase(db))) await loadDemoSeed(db);
  }
  const services = createServices({ db, config, clock, ids });

  const app = Fastify({
    logger: opts.logStream ? { level: config.logLevel, stream: opts.logStream } : { level: config.logLevel },
    logController: new LogController({ disableRequestLogging: true }), // one line per request instead: src/ops/access-log.ts
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: () => ids(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    ...(opts.schemaCompilers ? { schemaController: { compilersFactory: opts.schemaCompilers } } : {}),
    // A path the router cannot read (a parameter over maxParamLength, a broken %-escape) names nothing we
    // serve: a 404 in the surface's words (the /api error envelope; plain Korean text for a page, as the
    // router answers before the views exist), not fastify's bare {"code":"FST_ERR_…"}.
    frameworkErrors: (_error, req, reply) => renderErrorPage(req, reply, NOT_FOUND),
  });
  app.decorate('services', services);
  app.decorate('db', db);
  app.decorate('config', config);
  app.addHook('onClose', async () => {
    if (!opts.db) await db.destroy();
  });
  await app.register(routeTable); // first: records every route registered after it (app.routeTable)
  // /metrics and the per-answer counters, for every context below (only when METRICS_TOKEN is set).
  services.metrics?.install(app, config.metricsToken);
  installAccessLog(app);

  // Sibling contexts under the root, so each request runs only the hooks its surface needs (and the assets above):
  // - the portal (browser pages + the JSON API): sessions, cookies, CSRF, security headers, locale and
  //   current user, views, notification counts, the HTML error and 404 pages;
  // - the KFTC emulator (machine-to-machine: /v2.0/*, POST /oauth/2.0/token, /testbed/*): none of those
  //   hooks (they cost more CPU than an inquiry itself); its own body parsers, KFTC envelope for errors
  //   and unknown paths, nosniff + no-store headers, request log and OpenAPI document.
  // The emulator's browser pages (/oauth/2.0/authorize…) need the session, CSRF and views: they live in
  // the portal context.
  // Static files and the health check: the security headers and nothing else (no session read, CSRF, locale,
  // current user or notification count). Every file under public/ gets its own route (wildcard: false), so an
  // unknown /public/ path falls through to the portal's 404 page.
  // Production pages link content-hashed names (immutable, served from memory); the plain names stay, with a
  // short cache, for development pages and old links (src/http/static-assets.ts).
  const staticAssets = loadAssetManifest(publicDir, { hashed: config.env === 'production' });
  // biome-ignore lint/suspicious/noRedeclare: the function's name names the encapsulated context, its parameter is that context
  await app.register(async function assets(assets) {
    await assets.register(securityHeadersPlugin, securityHeaders(config.cookieSecure));
    await assets.register(fastifyStatic, {
      root: publicDir,
      prefix: '/public/',
      wildcard: false,
      maxAge: config.env === 'production' ? '1d' : 0,
    });
    serveHashedAssets(assets, staticAssets);
    // Alive: the process answers. Ready: the database answers, its schema is current, and the app is not
    // shutting down (503 from the first moment of a graceful close, so a load balancer stops sending).
    assets.get('/healthz', async () => ({ status: 'ok' }));
    const readiness = createReadiness(db);
    app.decorate('readiness', readiness);
    app.addHook('preClose', async () => readiness.markDraining());
    assets.get('/readyz', async (_req, reply) => {
      const r = await readiness.check();
      return reply.code(r.ready ? 200 : 503).send(r.body);
    });
  });

  // biome-ignore lint/suspicious/noRedeclare: the function's name names the encapsulated context, its parameter is that context
  await app.register(async function portal(portal) {
    // Infrastructure
    await portal.register(errorHandler); // HTML error pages, JSON envelope under /api/, the portal's 404 page
    await portal.register(security, {
      db,
      sessionSecret: config.sessionSecret,
      cookieSecure: config.cookieSecure,
      loadUser: loadUserWithUnreadCount(db), // the user and the unread count in one query
      now: () => clock().getTime(),
    });
    // Templates compiled once and kept, except in development (edited templates show on reload); tests render
    // as production does. {{asset}} links the hashed names in production only (staticAssets above).
    await portal.register(views, { production: config.env !== 'development', assets: staticAssets });
    await portal.register(koreanFont); // Pretendard, self-hosted under /fonts/pretendard-<version>/, cached a year
    await portal.register(notificationCount); // the count loaded with the user, into every page's header
    await portal.register(outboxDelivery, { notifications: services.notifications }); // SMTP only when SMTP_URL is set

    // Portal routes
    // Each route plugin gets only the services (and the methods of them) it uses: see src/http/README.md.
    await portal.register(homeRoutes);
    await portal.register(accountsRoutes, { accounts: services.accounts, baseUrl: config.baseUrl });
    // stage 1: the applicant's application pages
    await portal.register(onboardingRoutes, {
      onboarding: services.onboarding,
      applicationDocuments: services.applicationDocuments,
      reviewTargetDays: config.reviewTargetDays,
    });
    // stage 1 documents: uploads (multipart in its own scope), downloads
    await portal.register(applicationDocumentsRoutes, {
      documents: services.applicationDocuments,
      accounts: services.accounts,
    });
    // staff queue and review, stage 3 testing pages
    await portal.register(workflowRoutes, {
      workflow: services.workflow,
      audit: services.audit,
      inspection: services.inspection,
      contract: services.contract,
      reviewTargetDays: config.reviewTargetDays,
    });
    // stage 4 security inspection: documents, findings
    await portal.register(inspectionRoutes, {
      inspection: services.inspection,
      audit: services.audit,
      accounts: services.accounts,
    });
    // stage 5 contract: sign, countersign
    await portal.register(contractRoutes, { contract: services.contract, credentials: services.credentials });
    // notifications, admin e-mail outbox
    await portal.register(notificationsRoutes, {
      notifications: services.notifications,
      smtpConfigured: Boolean(config.smtpUrl),
    });
    // /sandbox (credentials, callbacks, test users), /admin/sandbox
    await portal.register(sandboxRoutes, {
      credentials: services.credentials,
      testbedUsers: services.testbedUsers,
      sandboxDefaults: services.sandboxDefaults,
      baseUrl: config.baseUrl,
      clock,
    });
    await portal.register(sandboxLedgerRoutes, { sandboxLedger: services.sandboxLedger }); // /sandbox/ledger: balances, top up, reset (test-bed ledger)
    // /sandbox/requests: the emulator's request log (and the staff view)
    await portal.register(sandboxRequestsRoutes, {
      testbedRequests: services.testbedRequests,
      workflow: services.workflow,
    });
    // /sandbox/callback (callback catcher), /sandbox/console (API console)
    await portal.register(sandboxConsoleRoutes, {
      credentials: services.credentials,
      oauth: services.oauth,
      requestLog: services.testbedRequestLog,
      testbedUsers: services.testbedUsers,
      sandboxDefaults: services.sandboxDefaults,
      baseUrl: config.baseUrl,
      clock,
    });
    await portal.register(usageRoutes, { usage: services.usage }); // /sandbox/usage, /staff/usage: usage analytics, charts, CSV; staff pipeline
    await portal.register(testbedDocsRoutes, { limits: services.testbedApi.limits }); // /docs: emulator API reference and scenario catalogue
    // /oauth/2.0/authorize: the emulator's browser pages
    await portal.register(testbedAuthorizePages, {
      credentials: services.credentials,
      oauth: services.oauth,
      users: services.testbedUsers,
      organizations: services.accounts,
      requestLog: services.testbedRequestLog,
      clock,
    });

    // JSON API (/api/v1, bearer tokens, its own OpenAPI document) and the account page's token pages
    await portal.register(apiRoutes, {
      apiTokens: services.apiTokens,
      onboarding: services.onboarding,
      applicationDocuments: services.applicationDocuments,
      workflow: services.workflow,
      audit: services.audit,
      notifications: services.notifications,
      inspection: services.inspection,
      contract: services.contract,
      credentials: services.credentials,
      testbedUsers: services.testbedUsers,
      testbedRequests: services.testbedRequests,
    });
  });

  // KFTC test-bed emulator (/oauth/2.0/token, /v2.0, /testbed, /docs/testbed/openapi.json): KFTC envelope (HTTP 200)
  await app.register(testbedPlugin, { services, clock, config });

  return app;
}
