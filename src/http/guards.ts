// Rule: every page checks who may see it. Pages use these as preHandlers; services check again.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { StaffRole } from '../accounts/types';
import { AppError } from './errors';

function redirectToLogin(req: FastifyRequest, reply: FastifyReply) {
  if (req.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
  }
  throw new AppError('unauthenticated', 'sign in');
}

export const mustBeSignedIn: preHandlerAsyncHookHandler = async (req, reply) => {
  if (!req.user) return redirectToLogin(req, reply);
};

/** Organization members only (owner or member). Staff get 403. */
export const mustBeOrgMember: preHandlerAsyncHookHandler = async (req, reply) => {
  if (!req.user) return redirectToLogin(req, reply);
  if (!req.user.organizationId) throw new AppError('forbidden', 'organization members only');
};

export const mustBeOrgOwner: preHandlerAsyncHookHandler = async (req, reply) => {
  if (!req.user) return redirectToLogin(req, reply);
  if (!req.user.organizationId || req.user.orgRole !== 'owner')
    throw new AppError('forbidden', 'organization owner only');
};

/** Staff with one of the roles. Applicants get 403. */
export function mustBeStaff(...roles: StaffRole[]): preHandlerAsyncHookHandler {
  return async (req, reply) => {
    if (!req.user) return redirectToLogin(req, reply);
    const role = req.user.staffRole;
    if (!role || (roles.length > 0 && !roles.includes(role))) throw new AppError('forbidden', 'staff only');
  };
}
