// Several app instances on one database, as behind a load balancer: each has its own connection pool
// (separate knex instances, like separate processes) and they share SESSION_SECRET and JWT_SECRET.
// On PostgreSQL (DATABASE_URL=postgres://…) they share one fresh schema; otherwise one SQLite file.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import type { TestContext } from './build';
import { createSharedTestDb, type SharedTestDb } from './db';

export interface Instances {
  shared: SharedTestDb;
  config: AppConfig;
  /** Builds (migrates, seeds when asked) and readies one more instance on the shared database. */
  start(): Promise<FastifyInstance>;
}

export async function sharedDatabaseInstances(t: TestContext, opts: { demo?: boolean } = {}): Promise<Instances> {
  const shared = await createSharedTestDb();
  const apps: FastifyInstance[] = [];
  t.teardown(async () => {
    for (const app of apps) await app.close();
    await shared.dispose();
  });
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    } as NodeJS.ProcessEnv,
    { loadDemoData: opts.demo ?? false, baseUrl: 'http://localhost:3000' },
  );
  return {
    shared,
    config,
    async start() {
      const app = await buildApp({ config, db: shared.open() });
      apps.push(app);
      await app.ready();
      return app;
    },
  };
}
