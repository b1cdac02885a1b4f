// The whole application as one fastify plugin tree. ONE visible register list, in order:
// infrastructure, then domain modules, then routes with their prefixes.
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Knex } from 'knex';
import type { AppConfig } from './config';
import { createDb } from './db/knex';
import { isEmptyDatabase, loadDemoSeed, migrateLatest } from './db/migrate';
import { systemClock, type Clock } from './clock';
import { randomId, type IdGenerator } from './db/ids';
import { publicDir } from './paths';
import { createServices, type Services } from './services';
import './http/types';
import security from './http/security';
import views from './http/views';
import errorHandler from './http/error-handler';
import homeRoutes from './home/routes';
import accountsRoutes from './accounts/routes';
import onboardingRoutes from './onboarding/routes';
import apiRoutes from './api/routes';
import notificationCount from './notifications/unread-count';
import outboxDelivery from './notifications/outbox-delivery';
import notificationsRoutes from './notifications/routes';
import workflowRoutes from './workflow/routes';
import inspectionRoutes from './inspection/routes';
import contractRoutes from './contract/routes';
import sandboxRoutes from './credentials/routes';
import testbedPlugin from './testbed/plugin';
import sandboxLedgerRoutes from './testbed/scenarios/routes';
import testbedDocsRoutes from './testbed/services/docs-routes';

export interface BuildOptions {
  config: AppConfig;
  /** Inject a database (tests share one per app); otherwise one is created from config.databaseUrl. */
  db?: Knex;
  clock?: Clock;
  ids?: IdGenerator;
  /** Run migrations (and the demo seed when allowed) before serving. Default true. */
  migrate?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    db: Knex;
    config: AppConfig;
  }
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const db = opts.db ?? createDb(config.databaseUrl);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? randomId;
  if (opts.migrate !== false) {
    await migrateLatest(db);
    if (config.loadDemoData && (await isEmptyDatabase(db))) await loadDemoSeed(db);
  }
  const services = createServices({ db, config, clock, ids });

  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy: process.env.TRUST_PROXY === 'true',
    genReqId: () => ids(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  });
  app.decorate('services', services);
  app.decorate('db', db);
  app.decorate('config', config);
  app.addHook('onClose', async () => { if (!opts.db) await db.destroy(); });

  // Infrastructure
  await app.register(errorHandler);
  await app.register(security, { db, sessionSecret: config.sessionSecret, cookieSecure: config.cookieSecure, accounts: services.accounts });
  await app.register(views, { production: config.env === 'production' });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/public/', maxAge: config.env === 'production' ? '1d' : 0 });
  await app.register(notificationCount, { notifications: services.notifications });
  await app.register(outboxDelivery, { notifications: services.notifications }); // SMTP only when SMTP_URL is set

  // Portal routes
  await app.register(homeRoutes, { services });
  await app.register(accountsRoutes, { services });
  await app.register(onboardingRoutes, { services });
  await app.register(workflowRoutes, { services }); // staff queue and review, stage 3 testing pages
  await app.register(inspectionRoutes, { services }); // stage 4 security inspection: documents, findings
  await app.register(contractRoutes, { services }); // stage 5 contract: sign, countersign
  await app.register(notificationsRoutes, { services }); // notifications, admin e-mail outbox
  await app.register(sandboxRoutes, { services }); // /sandbox (credentials, callbacks, test users), /admin/sandbox
  await app.register(sandboxLedgerRoutes, { services }); // /sandbox/ledger: balances, top up, reset (test-bed ledger)
  await app.register(testbedDocsRoutes, { services }); // /docs: emulator API reference and scenario catalogue

  // KFTC test-bed emulator (/oauth/2.0, /v2.0, /testbed): its own parsers and KFTC envelope (HTTP 200)
  await app.register(testbedPlugin, { services, clock, config });

  // JSON API (/api/v1, bearer tokens, its own OpenAPI document) and the account page's token pages
  await app.register(apiRoutes, { services });

  return app;
}
