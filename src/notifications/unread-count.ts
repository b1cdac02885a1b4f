// Every HTML page shows the signed-in user's unread notification count in the header (the layout renders
// {{notificationCount}}): a GET preHandler puts it into reply.locals, which @fastify/view merges into
// every render. Skipped for static files, the JSON API and the test-bed emulator (no layout there).
import fp from 'fastify-plugin';
import type { NotificationsService } from './service';

declare module 'fastify' {
  interface FastifyReply {
    /** Set per request by @fastify/view (untyped there) and merged into every render. */
    locals: Record<string, unknown> | null;
  }
}

const NO_LAYOUT = /^\/(public|api|v2\.0|oauth)\//;

export default fp(
  async (app, opts: { notifications: Pick<NotificationsService, 'unreadCount'> }) => {
    app.addHook('preHandler', async (req, reply) => {
      if (req.method !== 'GET' || !req.user || NO_LAYOUT.test(req.url)) return;
      const count = await opts.notifications.unreadCount(req.user.id);
      reply.locals = { ...(reply.locals ?? {}), notificationCount: count };
    });
  },
  { name: 'notification-count', dependencies: ['security', 'views'] },
);
