// The signed-in user's notifications (read one / all) and the admin's view of the e-mail outbox.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../services';
import { AppError } from '../http/errors';
import { mustBeSignedIn, mustBeStaff } from '../http/guards';
import { isUuid } from '../db/ids';
import { pageLinks, readPageRequest } from '../pagination/cursor';
import { NEWEST_FIRST_CURSOR } from './repository';

const notificationsRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const { notifications } = services;

  app.get('/notifications', { preHandler: mustBeSignedIn }, async (req, reply) => {
    // A cursor this list did not issue reads as the first page (src/pagination/cursor.ts).
    const { page } = readPageRequest(req.query, NEWEST_FIRST_CURSOR);
    const [found, unread] = await Promise.all([
      notifications.listForUser(req.user!.id, req.locale, page),
      notifications.unreadCount(req.user!.id),
    ]);
    return reply.page('notifications/index', {
      titleKey: 'notifications.list.title',
      items: found.rows,
      unread,
      ...pageLinks('/notifications', {}, found, page),
    });
  });

  app.post<{ Params: { id: string } }>(
    '/notifications/:id/read',
    { preHandler: mustBeSignedIn },
    async (req, reply) => {
      if (!isUuid(req.params.id)) throw new AppError('not_found', 'notification');
      await notifications.markRead(req.user!.id, req.params.id);
      return reply.redirect('/notifications', 303);
    },
  );

  app.post('/notifications/read-all', { preHandler: mustBeSignedIn }, async (req, reply) => {
    await notifications.markAllRead(req.user!.id);
    req.session.flash = { kind: 'success', message: reply.t('notifications.list.all_read') };
    return reply.redirect('/notifications', 303);
  });

  app.get('/admin/outbox', { preHandler: mustBeStaff('admin') }, async (req, reply) => {
    const { page } = readPageRequest(req.query, NEWEST_FIRST_CURSOR);
    const { emails, total, next, previous } = await notifications.outbox(page);
    return reply.page('notifications/outbox', {
      titleKey: 'notifications.outbox.title',
      emails,
      total,
      ...pageLinks('/admin/outbox', {}, { next, previous }, page),
      smtpConfigured: Boolean(app.config.smtpUrl),
    });
  });
};
export default notificationsRoutes;
