// Rule: the authorize pages end in a redirect to the client's registered redirect_uri after a form POST;
// Chromium applies CSP form-action to that redirect, so these pages (and only these) allow that one
// registered origin in form-action, in addition to 'self'.
import type { FastifyReply } from 'fastify';

export function allowFormActionTo(reply: FastifyReply, redirectUri: string): void {
  let origin: string;
  try {
    origin = new URL(redirectUri).origin;
  } catch {
    return;
  }
  if (!/^https?:\/\/[A-Za-z0-9.\-[\]:]+$/.test(origin)) return;
  const current = String(
    reply.getHeader('content-security-policy') ?? reply.raw.getHeader('content-security-policy') ?? '',
  );
  if (!current) return;
  const updated = /form-action [^;]*/.test(current)
    ? current.replace(/form-action ([^;]*)/, (_m, sources: string) => `form-action ${sources} ${origin}`)
    : `${current};form-action 'self' ${origin}`;
  reply.header('Content-Security-Policy', updated);
}
