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
  /** The test user the call acted for (a user token's, or a token answer's). */
  userSeqNo: string | null;
  /** The answer object sent (kept by reference for the request log; masked when written). */
  responseBody: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Declared on the emulator's requests with decorateRequest (src/testbed/plugin.ts), so every request
     * object has the same shape. A request property, not a WeakMap keyed by request: a WeakMap entry per
     * call is work for every garbage collection (ephemerons) at thousands of calls a second.
     */
    testbedContext: TestbedRequestContext | null;
    /** performance.now() when the call arrived (the request log's duration). */
    testbedStartedAt: number;
  }
}

export function testbedContext(req: FastifyRequest): TestbedRequestContext {
  let ctx = req.testbedContext;
  if (!ctx) {
    ctx = {
      organizationId: null,
      clientUseCode: null,
      warnings: [],
      rspCode: null,
      bankRspCode: null,
      apiTranId: null,
      userSeqNo: null,
      responseBody: undefined,
    };
    req.testbedContext = ctx;
  }
  return ctx;
}

export function peekTestbedContext(req: FastifyRequest): TestbedRequestContext | undefined {
  return req.testbedContext ?? undefined;
}
