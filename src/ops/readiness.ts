// Rule: an instance is ready for traffic when its database answers, the schema holds every migration this
// code has, and it is not shutting down. From the first moment of a graceful close (fastify's preClose) it
// answers 503 "draining", so a load balancer stops sending before the listener closes. /healthz only says
// the process is alive.
import type { Knex } from 'knex';
import { listMigrationFiles, pendingMigrations } from '../db/migrate';

export type Readiness =
  | { ready: true; body: { status: 'ready' } }
  | {
      ready: false;
      body: { status: 'draining' | 'database_unreachable' } | { status: 'migrations_pending'; pending: string[] };
    };

export function createReadiness(db: Knex) {
  let draining = false;
  const files = listMigrationFiles(); // this code's migrations do not change while it runs: read the folder once
  return {
    markDraining(): void {
      draining = true;
    },
    async check(): Promise<Readiness> {
      if (draining) return { ready: false, body: { status: 'draining' } };
      let pending: string[];
      try {
        pending = await pendingMigrations(db, files);
      } catch {
        return { ready: false, body: { status: 'database_unreachable' } };
      }
      if (pending.length) return { ready: false, body: { status: 'migrations_pending', pending } };
      return { ready: true, body: { status: 'ready' } };
    },
  };
}
