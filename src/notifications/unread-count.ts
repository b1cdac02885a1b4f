// Every HTML page shows the signed-in user's unread notification count in the header (the layout renders
// {{notificationCount}}).
//
// Rule: a signed-in page reads the database at most ONCE before its handler: the session, its user and the unread
// count in one query (`loadUserWithUnreadCount`, given to the security plugin as its user loader, joins the user and
// the count to the session read; src/http/security.ts `UserLoader`). That row may be served from memory for at most
// SESSION_RECHECK_MS (src/http/session-row-cache.ts), and any write through this instance to the tables it reads
// (`tables` below) empties that cache: a deactivated account is signed out on its very next request (the row says
// `disabled`; deactivation also deletes its sessions), a role change shows on the next page, a new notification in
// the next header. Made by another instance behind the same database, each shows within SESSION_RECHECK_MS.
//
// The count comes with every session read (one subquery, cheaper than a statement of its own for pages), but is
// used only where a layout is rendered: GET requests outside /public, /api, /v2.0 and /oauth (the fallback
// `load` counts only there). The hook below puts it into reply.locals, which @fastify/view merges into every render.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { currentUserQuery, toCurrentUser, withCurrentUserOfSession } from '../accounts/repository';
import { compiledOnce } from '../db/knex';
import type { CurrentUser } from '../accounts/types';
import type { UserLoader } from '../http/security';

declare module 'fastify' {
  interface FastifyReply {
    /** Set per request by @fastify/view (untyped there) and merged into every render. */
    locals: Record<string, unknown> | null;
  }
  interface FastifyRequest {
    /** The signed-in user's unread notifications, when this request renders a page (null otherwise). */
    unreadNotifications: number | null;
  }
}

const NO_LAYOUT = /^\/(public|api|v2\.0|oauth)\//;

function rendersLayout(req: FastifyRequest): boolean {
  return req.method === 'GET' && !NO_LAYOUT.test(req.url);
}

/**
 * The security plugin's user loader: the signed-in user (null when unknown or deactivated) and, for a page,
 * the unread-notification count in the same query, kept on req.unreadNotifications. Normally both come with
 * the session read itself (`joinToSession`); `load` is the security plugin's fallback.
 */
export function loadUserWithUnreadCount(db: Knex): UserLoader {
  // Compiled once, sent as plain text (src/db/knex.ts compiledOnce): this runs on every signed-in request.
  type Row = Parameters<typeof toCurrentUser>[0] & { unread_notifications?: number | string };
  const unreadOf = (userRef: string) =>
    db('notifications as n')
      .count('*')
      .where('n.user_id', db.ref(userRef))
      .whereNull('n.read_at')
      .as('unread_notifications');
  const userOnly = compiledOnce<Row>(db, (id) => currentUserQuery(db, id));
  const withUnread = compiledOnce<Row>(db, (id) => currentUserQuery(db, id, unreadOf('u.id')));
  const fromRow = (row: Row | undefined, req: FastifyRequest): CurrentUser | null => {
    const user = toCurrentUser(row);
    if (user && rendersLayout(req)) req.unreadNotifications = Number(row?.unread_notifications ?? 0);
    return user;
  };
  return {
    // What withCurrentUserOfSession joins (src/accounts/repository.ts) and the count's table.
    tables: ['users', 'memberships', 'organizations', 'notifications'],
    async load(userId, req) {
      return fromRow((await (rendersLayout(req) ? withUnread : userOnly)(userId))[0], req);
    },
    // The count is read with every session that has a user, page or not: one indexed subquery
    // (notifications (user_id, read_at)), cheaper than a second statement for pages.
    joinToSession: (read) => withCurrentUserOfSession(read, unreadOf('s.user_id')),
    fromSessionRow: (row, req) => fromRow(row as unknown as Row, req),
  };
}

export default fp(
  async (app) => {
    app.decorateRequest('unreadNotifications', null);
    app.addHook('preHandler', async (req, reply) => {
      if (req.unreadNotifications === null || !req.user) return;
      reply.locals = { ...(reply.locals ?? {}), notificationCount: req.unreadNotifications };
    });
  },
  { name: 'notification-count', dependencies: ['security', 'views'] },
);
