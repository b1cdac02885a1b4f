// knex queries for in-app notifications, recipients and the e-mail outbox. Every method takes a runner first
// (the database or the caller's transaction).
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

export function createNotificationsRepository() {
  return {
    organizationMembers(run: Runner, organizationId: string): Promise<Recipient[]> {
      return run('memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.organization_id', organizationId)
        .andWhere('u.disabled', false)
        .orderBy('u.email', 'asc')
        .select<Recipient[]>('u.id', 'u.email', 'u.locale');
    },
    staffWithRole(run: Runner, role: string): Promise<Recipient[]> {
      return run('users')
        .where({ staff_role: role, disabled: false })
        .orderBy('email', 'asc')
        .select<Recipient[]>('id', 'email', 'locale');
    },
    /** The given users who are not disabled (unknown ids are left out). */
    activeUsers(run: Runner, ids: readonly string[]): Promise<Recipient[]> {
      return run('users').whereIn('id', ids).andWhere('disabled', false).select<Recipient[]>('id', 'email', 'locale');
    },
    async insertNotifications(run: Runner, rows: NotificationRow[]): Promise<void> {
      if (rows.length) await run('notifications').insert(rows);
    },
    listForUser(run: Runner, userId: string, page: PageRequest): Promise<Page<NotificationRow>> {
      return keysetPage<NotificationRow>(run('notifications').where({ user_id: userId }), NEWEST_FIRST, page);
    },
    async unreadCount(run: Runner, userId: string): Promise<number> {
      const row = await run('notifications')
        .where({ user_id: userId })
        .whereNull('read_at')
        .count<{ n: number | string }[]>({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },
    /** Marks one of the user's own notifications read; 0 when it is not theirs (or does not exist). */
    async markRead(run: Runner, userId: string, id: string, now: string): Promise<number> {
      const found = await run('notifications').where({ id, user_id: userId }).first('id');
      if (!found) return 0;
      await run('notifications').where({ id, user_id: userId }).whereNull('read_at').update({ read_at: now });
      return 1;
    },
    async markAllRead(run: Runner, userId: string, now: string): Promise<void> {
      await run('notifications').where({ user_id: userId }).whereNull('read_at').update({ read_at: now });
    },
    async insertOutbox(run: Runner, rows: OutboxRow[]): Promise<void> {
      if (rows.length) await run('email_outbox').insert(rows);
    },
    listOutbox(run: Runner, page: PageRequest): Promise<Page<OutboxRow>> {
      return keysetPage<OutboxRow>(run('email_outbox'), NEWEST_FIRST, page);
    },
    async countOutbox(run: Runner): Promise<number> {
      const row = await run('email_outbox').count<{ n: number | string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}
