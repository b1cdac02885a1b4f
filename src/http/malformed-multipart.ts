// Rule: a multipart body the parser cannot read (no boundary, cut off before its closing boundary) is the
// client's fault — 400, not a 500. @fastify/busboy reports these as plain Errors without a status code, so
// they are recognised by their messages, and only on a request that declared a multipart body.
import type { FastifyRequest } from 'fastify';

const PARSER_MESSAGES =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|.* terminated early due to unexpected end of multipart data)$/;

export function isMalformedMultipart(req: FastifyRequest, err: unknown): boolean {
  if (!(err instanceof Error) || (err as { statusCode?: unknown }).statusCode !== undefined) return false;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('multipart/') && PARSER_MESSAGES.test(err.message);
}
