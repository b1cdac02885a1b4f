// Rule: /metrics (Prometheus text format, prom-client) is off unless METRICS_TOKEN is set, and then answers
// only a request carrying `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time); otherwise
// it is a 404 like any unknown path. Each app has its own registry (tests build many apps in one process).
// What it counts: every HTTP answer by method, route pattern and status (count and latency histogram),
// the emulator's answers by API and rsp_code, the request log's write batches (size and time), the
// database pool (PostgreSQL; SQLite has one connection) and the process (event-loop delay, memory, CPU).
// Route patterns, never raw URLs, label the HTTP metrics: ids in paths would make unbounded series.
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { constantTimeEqual } from '../secret-tokens';

export function createMetrics(opts: { db: Knex }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const httpRequests = new Counter({
    name: 'portal_http_requests_total',
    help: 'HTTP answers by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'HTTP answer latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const emulatorAnswers = new Counter({
    name: 'testbed_answers_total',
    help: 'Emulator answers by API and KFTC rsp_code',
    labelNames: ['api', 'rsp_code'] as const,
    registers: [registry],
  });
  const logBatchRows = new Histogram({
    name: 'testbed_request_log_batch_rows',
    help: 'Calls written per request-log batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000],
    registers: [registry],
  });
  const logBatchSeconds = new Histogram({
    name: 'testbed_request_log_batch_seconds',
    help: 'Time to write one request-log batch',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: 'portal_db_pool_connections',
    help: 'Database pool connections by state (PostgreSQL)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = (opts.db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } })
        .pool;
      if (!pool) return;
      this.set({ state: 'used' }, pool.numUsed());
      this.set({ state: 'free' }, pool.numFree());
      this.set({ state: 'pending' }, pool.numPendingAcquires());
    },
  });
  return {
    registry,
    /** One emulator answer (called by the request log as it records a call). */
    emulatorAnswer(api: string | null, rspCode: string | null): void {
      emulatorAnswers.inc({ api: api ?? 'unknown', rsp_code: rspCode ?? 'none' });
    },
    /** One request-log batch written: how many calls, how long. */
    logBatch(rows: number, seconds: number): void {
      logBatchRows.observe(rows);
      logBatchSeconds.observe(seconds);
    },
    /** Counts every answer of `app` (all contexts) and serves /metrics when a token is configured. */
    install(app: FastifyInstance, token: string | null): void {
      app.addHook('onResponse', async (req, reply) => {
        const labels = {
          method: req.method,
          route: req.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        };
        httpRequests.inc(labels);
        httpDuration.observe(labels, reply.elapsedTime / 1000);
      });
      if (!token) return;
      app.get('/metrics', async (req, reply) => {
        const header = req.headers.authorization ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7) : '';
        if (!given || !constantTimeEqual(given, token)) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .type('text/plain; charset=utf-8')
            .send('metrics token required\n');
        }
        return reply
          .type(registry.contentType)
          .header('cache-control', 'no-store')
          .send(await registry.metrics());
      });
    },
  };
}
