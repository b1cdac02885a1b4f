// Rule: one log line per answered request (fastify's own two lines, "incoming request" and "request
// completed", are off): request id, method, route pattern, path WITHOUT its query string, status, latency,
// the organization (the signed-in user's, or the emulator caller's), and for the emulator its API key and
// KFTC rsp_code. Never headers, query strings or bodies: tokens, secrets, authorization codes and account
// numbers travel there. Test: test/ops/access-log.test.ts scans the log for the secrets a run used.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { peekTestbedContext } from '../testbed/common/request-context';
import { apiKeyOf } from '../testbed/common/api-key-of';

interface AccessLogLine {
  reqId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  ms: number;
  org?: string;
  api?: string;
  rsp_code?: string;
}

function pathWithoutQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function accessLogLine(req: FastifyRequest, status: number, elapsedMs: number): AccessLogLine {
  const route = req.routeOptions.url ?? 'unmatched';
  const line: AccessLogLine = {
    reqId: String(req.id),
    method: req.method,
    route,
    path: pathWithoutQuery(req.url).slice(0, 300),
    status,
    ms: Math.round(elapsedMs * 100) / 100,
  };
  const testbed = peekTestbedContext(req);
  const org = testbed?.organizationId ?? req.user?.organizationId ?? null;
  if (org) line.org = org;
  const api = testbed ? apiKeyOf(route) : null;
  if (api) line.api = api;
  if (testbed?.rspCode) line.rsp_code = testbed.rspCode;
  return line;
}

/** Adds the one-line-per-request hook to `app` (all contexts registered after it). */
export function installAccessLog(app: FastifyInstance): void {
  if (!['trace', 'debug', 'info'].includes(app.log.level)) return; // nothing would be written: add no hook
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info(accessLogLine(req, reply.statusCode, reply.elapsedTime), 'request');
    done();
  });
}
