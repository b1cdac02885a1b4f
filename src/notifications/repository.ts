// knex queries for in-app notifications, recipients and the e-mail outbox. Every method takes an optional trx.
import type { Runner } from '../db/knex';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';

/** Notifications and outbox e-mails: newest first, then id (unique), so pages never skip or repeat a row. */
const NEWEST_FIRST: KeysetOrder<{ created_at: string; id: string }> = {
  columns: ['created_at', 'id'],
  direction: 'desc',
  keyOf: (row) => [row.created_at, row.id],
};
export const NEWEST_FIRST_CURSOR = ['string', 'string'] as const;

export interface NotificationRow {
  id: string;
  user_id: string;
  organization_id: string | null;
  application_id: string | null;
  message_key: string;
  params: string | null;
  link: string | null;
  created_at: string;
  read_at: string | null;
}
export interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  status: string;
  created_at: string;
  sent_at: string | null;
  error: string | null;
}
export interface Recipient {
  id: string;
  email: string;
  locale: string | null;
}

export function createNotificationsRepository(db: Runner) {
  const r = (trx?: Runner) => trx ?? db;
  return {
    organizationMembers(organizationId: string, trx?: Runner): Promise<Recipient[]> {
      return r(trx)('memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.organization_id', organizationId)
        .andWhere('u.disabled', false)
        .orderBy('u.email', 'asc')
        .select<Recipient[]>('u.id', 'u.email', 'u.locale');
    },
    staffWithRole(role: string, trx?: Runner): Promise<Recipient[]> {
      return r(trx)('users')
        .where({ staff_role: role, disabled: false })
        .orderBy('email', 'asc')
        .select<Recipient[]>('id', 'email', 'locale');
    },
    async insertNotifications(rows: NotificationRow[], trx?: Runner): Promise<void> {
      if (rows.length) await r(trx)('notifications').insert(rows);
    },
    listForUser(userId: string, page: PageRequest, trx?: Runner): Promise<Page<NotificationRow>> {
      return keysetPage<NotificationRow>(r(trx)('notifications').where({ user_id: userId }), NEWEST_FIRST, page);
    },
    async unreadCount(userId: string, trx?: Runner): Promise<number> {
      const row = await r(trx)('notifications')
        .where({ user_id: userId })
        .whereNull('read_at')
        .count<{ n: number | string }[]>({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },
    /** Marks one of the user's own notifications read; 0 when it is not theirs (or does not exist). */
    async markRead(userId: string, id: string, now: string, trx?: Runner): Promise<number> {
      const found = await r(trx)('notifications').where({ id, user_id: userId }).first('id');
      if (!found) return 0;
      await r(trx)('notifications').where({ id, user_id: userId }).whereNull('read_at').update({ read_at: now });
      return 1;
    },
    async markAllRead(userId: string, now: string, trx?: Runner): Promise<void> {
      await r(trx)('notifications').where({ user_id: userId }).whereNull('read_at').update({ read_at: now });
    },
    async insertOutbox(rows: OutboxRow[], trx?: Runner): Promise<void> {
      if (rows.length) await r(trx)('email_outbox').insert(rows);
    },
    listOutbox(page: PageRequest, trx?: Runner): Promise<Page<OutboxRow>> {
      return keysetPage<OutboxRow>(r(trx)('email_outbox'), NEWEST_FIRST, page);
    },
    async countOutbox(trx?: Runner): Promise<number> {
      const row = await r(trx)('email_outbox').count<{ n: number | string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}
