// The signed-in user's notifications (read one / all) and the admin's view of the e-mail outbox.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { mustBeSignedIn, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams } from '../http/route-schemas';
import { pageLinks, readPageRequest } from '../pagination/cursor';
import { NEWEST_FIRST_CURSOR, type NotificationsService } from './service';

interface NotificationsRoutesOptions {
  notifications: Pick<NotificationsService, 'listForUser' | 'unreadCount' | 'markRead' | 'markAllRead' | 'outbox'>;
  /** The outbox page says whether e-mails leave the portal (SMTP_URL set) or only wait here. */
  smtpConfigured: boolean;
}

const notificationsRoutes: FastifyPluginAsyncTypebox<NotificationsRoutesOptions> = async (
  app,
  { notifications, smtpConfigured },
) => {
  checkSchemasAfterGuards(app);
  app.get('/notifications', { preHandler: mustBeSignedIn }, async (req, reply) => {
    // A cursor this list did not issue reads as the first page (src/pagination/cursor.ts).
    const { page } = readPageRequest(req.query, NEWEST_FIRST_CURSOR);
    // The unread count came with the user (src/notifications/unread-count.ts): no second count query.
    const [found, unread] = await Promise.all([
      notifications.listForUser(req.user!.id, req.locale, page),
      req.unreadNotifications ?? notifications.unreadCount(req.user!.id),
    ]);
    return reply.page('notifications/index', {
      titleKey: 'notifications.list.title',
      items: found.rows,
      unread,
      ...pageLinks('/notifications', {}, found, page),
    });
  });

  app.post(
    '/notifications/:id/read',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, body: FormBody([]) } },
    async (req, reply) => {
      await notifications.markRead(req.user!.id, req.params.id);
      return reply.redirect('/notifications', 303);
    },
  );

  app.post(
    '/notifications/read-all',
    { preHandler: mustBeSignedIn, schema: { body: FormBody([]) } },
    async (req, reply) => {
      await notifications.markAllRead(req.user!.id);
      req.session.flash = { kind: 'success', message: reply.t('notifications.list.all_read') };
      return reply.redirect('/notifications', 303);
    },
  );

  app.get('/admin/outbox', { preHandler: mustBeStaff('admin') }, async (req, reply) => {
    const { page } = readPageRequest(req.query, NEWEST_FIRST_CURSOR);
    const { emails, total, next, previous } = await notifications.outbox(page);
    return reply.page('notifications/outbox', {
      titleKey: 'notifications.outbox.title',
      emails,
      total,
      ...pageLinks('/admin/outbox', {}, { next, previous }, page),
      smtpConfigured,
    });
  });
};
export default notificationsRoutes;
