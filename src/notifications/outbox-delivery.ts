// Background delivery of the e-mail outbox, only when SMTP_URL is set: a malformed SMTP_URL stops the
// start-up (fail fast); then every 30 seconds pending e-mails are sent. The timer never keeps the process alive.
import fp from 'fastify-plugin';
import type { NotificationsService } from './service';

const DELIVERY_INTERVAL_MS = 30_000;

export default fp(
  async (app, opts: { notifications: Pick<NotificationsService, 'smtpSettings' | 'deliverPending'> }) => {
    const settings = opts.notifications.smtpSettings(); // throws on a malformed SMTP_URL
    if (!settings) return;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const { sent, failed } = await opts.notifications.deliverPending();
        if (sent || failed) app.log.info({ sent, failed }, 'e-mail outbox delivered');
      } catch (err) {
        app.log.error({ err }, 'e-mail outbox delivery failed');
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => {
      void tick();
    }, DELIVERY_INTERVAL_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'outbox-delivery' },
);
