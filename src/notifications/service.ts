// In-app notifications and the e-mail outbox. A notification is stored per recipient as an i18n key with
// params (so each reader sees their own language); every notification also queues one e-mail in the
// outbox, written in the same transaction as the change that caused it.
import type { Knex } from 'knex';
import type { Runner } from '../db/knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { AppConfig } from '../config';
import type { StaffRole } from '../accounts/types';
import { AppError } from '../http/errors';
import { hasMessage, isLocale, translate, type Locale } from '../i18n';
import { createNotificationsRepository, type NotificationRow, type OutboxRow, type Recipient } from './repository';

/** The shape of a notifications or outbox cursor (newest first), for routes reading ?after= / ?before=. */
export { NEWEST_FIRST_CURSOR } from './repository';
import { parseSmtpUrl, sendMail, type MailMessage, type SmtpSettings } from './smtp-client';
import { PAGE_SIZE_DEFAULT, type PageRequest } from '../pagination/cursor';

/** What to tell people. `messageKey` is an i18n key; params may name a stage, next stage and sections. */
export interface NotificationMessage {
  messageKey: string;
  params?: Record<string, string | number | string[]>;
  /** Same-site path the notification links to. */
  link?: string | null;
  applicationId?: string | null;
  organizationId?: string | null;
}
export type Audience = { organizationId: string } | { staffRole: StaffRole } | { userIds: string[] };

/** An e-mail to an address that need not belong to a user yet (sign-up confirmation): i18n keys + params. */
export interface DirectEmail {
  to: string;
  locale: string | null;
  subjectKey: string;
  bodyKey: string;
  params?: Record<string, string | number>;
}

const OUTBOX_STATUS_NOT_CONFIGURED = 'not_sent: SMTP not configured';
const OUTBOX_STATUS_PENDING = 'pending';
const OUTBOX_STATUS_SENDING = 'sending';
const OUTBOX_STATUS_SENT = 'sent';
const OUTBOX_STATUS_FAILED = 'failed';
export type MailSender = (settings: SmtpSettings, message: MailMessage) => Promise<void>;

/** Translates a stored notification; stage codes and section keys in params become their names. */
function renderNotification(locale: Locale, messageKey: string, params: Record<string, unknown> = {}): string {
  const p: Record<string, unknown> = { ...params };
  if (typeof params.stage === 'string') p.stage = translate(locale, `workflow.stages.${params.stage}`);
  if (typeof params.nextStage === 'string') p.nextStage = translate(locale, `workflow.stages.${params.nextStage}`);
  if (Array.isArray(params.sections)) {
    p.sections = params.sections
      .map((s) =>
        hasMessage(locale, `workflow.sections.${String(s)}`)
          ? translate(locale, `workflow.sections.${String(s)}`)
          : String(s),
      )
      .join(', ');
  }
  return translate(locale, messageKey, p);
}

export function createNotificationsService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  config: Pick<AppConfig, 'smtpUrl' | 'baseUrl'>;
  sendMail?: MailSender;
}) {
  const repo = createNotificationsRepository();
  const send = deps.sendMail ?? sendMail;

  /** SMTP settings from config.smtpUrl (null when unset); throws a readable Error when it is malformed. */
  function smtpSettings(): SmtpSettings | null {
    if (!deps.config.smtpUrl) return null;
    return parseSmtpUrl(deps.config.smtpUrl, `no-reply@${new URL(deps.config.baseUrl).hostname}`);
  }

  async function recipients(audience: Audience, run: Runner): Promise<Recipient[]> {
    if ('organizationId' in audience) return repo.organizationMembers(run, audience.organizationId);
    if ('staffRole' in audience) return repo.staffWithRole(run, audience.staffRole);
    if (audience.userIds.length === 0) return [];
    return repo.activeUsers(run, audience.userIds);
  }

  function emailFor(to: Recipient, message: NotificationMessage, now: string): OutboxRow {
    const locale: Locale = isLocale(to.locale) ? to.locale : 'ko';
    const text = renderNotification(locale, message.messageKey, message.params);
    const url = message.link ? `${deps.config.baseUrl}${message.link}` : deps.config.baseUrl;
    return {
      id: deps.ids(),
      to_address: to.email,
      subject: translate(locale, 'notifications.email.subject', { message: text }).slice(0, 300),
      body: translate(locale, 'notifications.email.body', { message: text, url }),
      status: deps.config.smtpUrl ? OUTBOX_STATUS_PENDING : OUTBOX_STATUS_NOT_CONFIGURED,
      created_at: now,
      sent_at: null,
      error: null,
    };
  }

  return {
    /** Notifies everyone in the audience in-app and queues one e-mail each. Returns how many were told. */
    async notify(audience: Audience, message: NotificationMessage, trx?: Runner): Promise<number> {
      const run = trx ?? deps.db;
      const people = await recipients(audience, run);
      const now = deps.clock().toISOString();
      const rows: NotificationRow[] = people.map((p) => ({
        id: deps.ids(),
        user_id: p.id,
        organization_id: message.organizationId ?? ('organizationId' in audience ? audience.organizationId : null),
        application_id: message.applicationId ?? null,
        message_key: message.messageKey,
        params: message.params ? JSON.stringify(message.params) : null,
        link: message.link ?? null,
        created_at: now,
        read_at: null,
      }));
      await repo.insertNotifications(run, rows);
      await repo.insertOutbox(
        run,
        people.map((p) => emailFor(p, message, now)),
      );
      return people.length;
    },
    /** Queues one e-mail to an address (outbox only, no in-app notification), in the caller's transaction. */
    async queueEmail(mail: DirectEmail, trx?: Runner): Promise<void> {
      const locale: Locale = isLocale(mail.locale) ? mail.locale : 'ko';
      const now = deps.clock().toISOString();
      await repo.insertOutbox(trx ?? deps.db, [
        {
          id: deps.ids(),
          to_address: mail.to,
          subject: translate(locale, mail.subjectKey, mail.params).slice(0, 300),
          body: translate(locale, mail.bodyKey, mail.params),
          status: deps.config.smtpUrl ? OUTBOX_STATUS_PENDING : OUTBOX_STATUS_NOT_CONFIGURED,
          created_at: now,
          sent_at: null,
          error: null,
        },
      ]);
    },
    /** One page of the user's notifications, newest first (default: the first PAGE_SIZE_DEFAULT). */
    async listForUser(userId: string, locale: Locale, page: PageRequest = { size: PAGE_SIZE_DEFAULT }) {
      const found = await repo.listForUser(deps.db, userId, page);
      return {
        ...found,
        rows: found.rows.map((n) => ({
          id: n.id,
          text: renderNotification(locale, n.message_key, n.params ? JSON.parse(n.params) : {}),
          link: n.link,
          createdAt: n.created_at,
          read: n.read_at !== null,
        })),
      };
    },
    unreadCount(userId: string): Promise<number> {
      return repo.unreadCount(deps.db, userId);
    },
    /** Someone else's notification (or an unknown id) is not found. */
    async markRead(userId: string, id: string): Promise<void> {
      const n = await repo.markRead(deps.db, userId, id, deps.clock().toISOString());
      if (n === 0) throw new AppError('not_found', 'notification');
    },
    async markAllRead(userId: string): Promise<void> {
      await repo.markAllRead(deps.db, userId, deps.clock().toISOString());
    },
    smtpSettings,
    /**
     * Sends pending e-mails by SMTP (only when config.smtpUrl is set). Each row is claimed with a
     * compare-and-set (pending → sending) so two instances never send the same e-mail; the result is
     * recorded as sent (with sent_at) or failed (with the server's answer). Failed e-mails are not retried.
     */
    async deliverPending(limit = 20): Promise<{ sent: number; failed: number }> {
      const settings = smtpSettings();
      if (!settings) return { sent: 0, failed: 0 };
      const rows = await deps
        .db<OutboxRow>('email_outbox')
        .where({ status: OUTBOX_STATUS_PENDING })
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit);
      let sent = 0;
      let failed = 0;
      const domain = new URL(deps.config.baseUrl).hostname;
      for (const row of rows) {
        const claimed = await deps
          .db('email_outbox')
          .where({ id: row.id, status: OUTBOX_STATUS_PENDING })
          .update({ status: OUTBOX_STATUS_SENDING });
        if (claimed === 0) continue;
        try {
          await send(settings, {
            to: row.to_address,
            subject: row.subject,
            body: row.body,
            date: deps.clock(),
            messageIdDomain: domain,
          });
          await deps
            .db('email_outbox')
            .where({ id: row.id })
            .update({ status: OUTBOX_STATUS_SENT, sent_at: deps.clock().toISOString(), error: null });
          sent++;
        } catch (err) {
          await deps
            .db('email_outbox')
            .where({ id: row.id })
            .update({ status: OUTBOX_STATUS_FAILED, error: String((err as Error).message ?? err).slice(0, 1000) });
          failed++;
        }
      }
      return { sent, failed };
    },
    /** One page of the outbox, newest first, and how many e-mails it holds. */
    async outbox(page: PageRequest = { size: PAGE_SIZE_DEFAULT }) {
      const [found, total] = await Promise.all([repo.listOutbox(deps.db, page), repo.countOutbox(deps.db)]);
      return {
        total,
        next: found.next,
        previous: found.previous,
        emails: found.rows.map((e) => ({
          id: e.id,
          to: e.to_address,
          subject: e.subject,
          body: e.body,
          status: e.status,
          createdAt: e.created_at,
          sentAt: e.sent_at,
          error: e.error,
        })),
      };
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
