// Per-request facts the emulator collects for its answer and its request log: who called (once the
// token guard or the token endpoint knows), unknown-field warnings, and the codes answered.
import type { FastifyRequest } from 'fastify';

export interface TestbedRequestContext {
  organizationId: string | null;
  clientUseCode: string | null;
  warnings: string[];
  rspCode: string | null;
  bankRspCode: string | null;
  apiTranId: string | null;
}

const contexts = new WeakMap<FastifyRequest, TestbedRequestContext>();

export function testbedContext(req: FastifyRequest): TestbedRequestContext {
  let ctx = contexts.get(req);
  if (!ctx) {
    ctx = { organizationId: null, clientUseCode: null, warnings: [], rspCode: null, bankRspCode: null, apiTranId: null };
    contexts.set(req, ctx);
  }
  return ctx;
}

export function peekTestbedContext(req: FastifyRequest): TestbedRequestContext | undefined {
  return contexts.get(req);
}
