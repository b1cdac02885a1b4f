// Lockouts are logged as warnings (and listed for admins at /admin/sign-in-lockouts); attempts refused
// while throttled are logged at info. Shared by the sign-in page and POST /api/v1/tokens.
import type { FastifyRequest } from 'fastify';
import { BadCredentials, SignInThrottled } from './service';

export function logSignInRefusal(req: FastifyRequest, err: unknown): void {
  if (err instanceof BadCredentials && err.lockout) {
    req.log.warn({ lockout: err.lockout }, 'sign-in lockout');
  } else if (err instanceof SignInThrottled) {
    req.log.info(
      { scope: err.scope, ip: req.ip, retryAfterSeconds: err.retryAfterSeconds },
      'sign-in refused while throttled',
    );
  }
}
