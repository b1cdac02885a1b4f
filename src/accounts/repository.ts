// knex queries for users, organizations, memberships, invites, password resets and login failures. Every method
// takes a runner first (the database or the caller's transaction).
import type { Knex } from 'knex';
import type { Runner } from '../db/knex';
import type { CurrentUser, OrgRole, StaffRole } from './types';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';

export interface MemberRow {
  id: string;
  email: string;
  name: string;
  role: OrgRole;
  created_at: string;
}
export interface OpenInviteRow {
  id: string;
  created_at: string;
  expires_at: string;
}
export interface LockoutRow {
  id: string;
  scope: string;
  email: string;
  ip: string;
  failures: number;
  first_at: string;
  last_at: string;
  locked_until: string;
}

// The orders of the paged lists (src/pagination): each ends in a unique column, each has its index
// (migrations/20261204214500_account_and_admin_list_pages.ts). Cursors are (string, string) keys.
/** The account page's members in the order they joined (the owner first), then by user id. */
const MEMBERS_IN_JOIN_ORDER: KeysetOrder<MemberRow> = {
  columns: ['m.created_at', 'm.user_id'],
  direction: 'asc',
  keyOf: (r) => [r.created_at, r.id],
};
/** Open invites newest first: an invite expires a fixed time after it is made, so by expiry, then id. */
const INVITES_NEWEST_FIRST: KeysetOrder<OpenInviteRow> = {
  columns: ['expires_at', 'id'],
  direction: 'desc',
  keyOf: (r) => [r.expires_at, r.id],
};
const NEWEST_FIRST: KeysetOrder<{ created_at: string; id: string }> = {
  columns: ['created_at', 'id'],
  direction: 'desc',
  keyOf: (r) => [r.created_at, r.id],
};
/** Lockouts by their latest failure, newest first, then id. */
const LOCKOUTS_LATEST_FIRST: KeysetOrder<LockoutRow> = {
  columns: ['last_at', 'id'],
  direction: 'desc',
  keyOf: (r) => [r.last_at, r.id],
};
/** The cursor shape of every list above. */
export const ACCOUNT_LIST_CURSOR = ['string', 'string'] as const;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  staff_role: string | null;
  locale: string | null;
  disabled: boolean | number;
  created_at: string;
  password_changed_at: string;
}

export function createAccountsRepository() {
  return {
    findUserByEmail(run: Runner, email: string): Promise<UserRow | undefined> {
      return run<UserRow>('users').where({ email: email.toLowerCase() }).first();
    },
    findUserById(run: Runner, id: string): Promise<UserRow | undefined> {
      return run<UserRow>('users').where({ id }).first();
    },
    async loadCurrentUser(run: Runner, id: string): Promise<CurrentUser | null> {
      return toCurrentUser(await currentUserQuery(run, id));
    },
    async insertUser(
      run: Runner,
      u: { id: string; email: string; name: string; passwordHash: string; staffRole: StaffRole | null; now: string },
    ) {
      await run('users').insert({
        id: u.id,
        email: u.email.toLowerCase(),
        name: u.name,
        password_hash: u.passwordHash,
        staff_role: u.staffRole,
        disabled: false,
        created_at: u.now,
        password_changed_at: u.now,
      });
    },
    async updatePassword(run: Runner, userId: string, passwordHash: string, now: string) {
      await run('users').where({ id: userId }).update({ password_hash: passwordHash, password_changed_at: now });
    },
    /**
     * Ends every session of the user except `exceptSid` (the one making the change, if any). Sessions saved
     * before sessions.user_id existed are found by their data.
     */
    async endSessions(run: Runner, userId: string, exceptSid: string | null): Promise<number> {
      const q = run('sessions').where((w) =>
        w
          .where({ user_id: userId })
          .orWhere((legacy) =>
            legacy.whereNull('user_id').andWhere('data', 'like', `%"userId":${JSON.stringify(userId)}%`),
          ),
      );
      if (exceptSid) q.andWhereNot({ sid: exceptSid });
      return q.delete();
    },
    /** Revokes every personal API token of the user (api_tokens; in the caller's transaction). */
    async revokeApiTokens(run: Runner, userId: string, now: string): Promise<number> {
      return run('api_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: now });
    },
    /** Compare-and-set: only an active staff account is deactivated. */
    async deactivateStaff(run: Runner, userId: string): Promise<boolean> {
      return (
        (await run('users')
          .where({ id: userId, disabled: false })
          .whereNotNull('staff_role')
          .update({ disabled: true })) === 1
      );
    },
    /** Compare-and-set: only a deactivated staff account is reactivated. */
    async reactivateStaff(run: Runner, userId: string): Promise<boolean> {
      return (
        (await run('users')
          .where({ id: userId, disabled: true })
          .whereNotNull('staff_role')
          .update({ disabled: false })) === 1
      );
    },
    /** Compare-and-set: changes a staff account's role from `from` to `to`; false when it no longer has `from`. */
    async changeStaffRole(run: Runner, userId: string, from: StaffRole, to: StaffRole): Promise<boolean> {
      return (await run('users').where({ id: userId, staff_role: from }).update({ staff_role: to })) === 1;
    },
    /**
     * The active admins, their rows locked until the transaction ends (PostgreSQL; SQLite's transaction is
     * exclusive already), so two admins demoting or deactivating each other at once cannot both succeed.
     */
    async lockActiveAdminIds(run: Runner): Promise<string[]> {
      const rows = await run('users')
        .where({ staff_role: 'admin', disabled: false })
        .forUpdate()
        .select<{ id: string }[]>('id');
      return rows.map((row) => row.id);
    },
    async insertPasswordReset(
      run: Runner,
      p: { id: string; userId: string; tokenHash: string; requestedBy: string | null; now: string; expiresAt: string },
    ) {
      await run('password_resets').insert({
        id: p.id,
        user_id: p.userId,
        token_hash: p.tokenHash,
        requested_by: p.requestedBy,
        created_at: p.now,
        expires_at: p.expiresAt,
        used_at: null,
      });
    },
    findPasswordResetByHash(run: Runner, tokenHash: string) {
      return run('password_resets')
        .where({ token_hash: tokenHash })
        .first<
          { id: string; user_id: string; token_hash: string; expires_at: string; used_at: string | null } | undefined
        >('id', 'user_id', 'token_hash', 'expires_at', 'used_at');
    },
    /** Compare-and-set: a reset link works once, and only before it expires. */
    async markPasswordResetUsed(run: Runner, id: string, now: string): Promise<boolean> {
      return (
        (await run('password_resets')
          .where({ id })
          .whereNull('used_at')
          .andWhere('expires_at', '>', now)
          .update({ used_at: now })) === 1
      );
    },
    /** Uses up every other open reset link of the user (after a reset, an older link must not work). */
    async useUpPasswordResets(run: Runner, userId: string, now: string): Promise<number> {
      return run('password_resets').where({ user_id: userId }).whereNull('used_at').update({ used_at: now });
    },
    async insertOrganization(run: Runner, o: { id: string; name: string; now: string }) {
      await run('organizations').insert({ id: o.id, name: o.name, created_at: o.now });
    },
    async insertMembership(run: Runner, m: { userId: string; organizationId: string; role: OrgRole; now: string }) {
      await run('memberships').insert({
        user_id: m.userId,
        organization_id: m.organizationId,
        role: m.role,
        created_at: m.now,
      });
    },
    /** A page of the organization's members (index memberships_org_page). */
    pageMembers(run: Runner, organizationId: string, page: PageRequest): Promise<Page<MemberRow>> {
      const q = run('memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.organization_id', organizationId)
        .select('u.id', 'u.email', 'u.name', 'm.role', 'm.created_at');
      return keysetPage<MemberRow>(q, MEMBERS_IN_JOIN_ORDER, page);
    },
    /** A page of the staff accounts, deactivated ones included, newest first (partial index users_staff_page). */
    pageStaff(run: Runner, page: PageRequest): Promise<Page<UserRow>> {
      return keysetPage<UserRow>(run('users').whereNotNull('staff_role'), NEWEST_FIRST, page);
    },
    async countStaffAndOrganizations(run: Runner): Promise<{ staff: number; organizations: number }> {
      const [staff, organizations] = await Promise.all([
        run('users').whereNotNull('staff_role').count<{ n: number | string }[]>({ n: '*' }).first(),
        run('organizations').count<{ n: number | string }[]>({ n: '*' }).first(),
      ]);
      return { staff: Number(staff?.n ?? 0), organizations: Number(organizations?.n ?? 0) };
    },
    findOrganization(run: Runner, id: string) {
      return run<{ id: string; name: string; created_at: string }>('organizations').where({ id }).first();
    },
    async recordLoginFailure(run: Runner, id: string, key: string, now: string) {
      await run('login_failures').insert({ id, key, created_at: now });
    },
    async countLoginFailures(run: Runner, key: string, since: string): Promise<number> {
      const row = await run('login_failures')
        .where({ key })
        .andWhere('created_at', '>', since)
        .count<{ n: number | string }[]>({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },
    /** How many failures `key` has since `since`, and when the last one was. */
    async loginFailureStats(
      run: Runner,
      key: string,
      since: string,
    ): Promise<{ count: number; lastAt: string | null }> {
      const row = await run('login_failures')
        .where({ key })
        .andWhere('created_at', '>', since)
        .first<{ n: number | string; last: string | null } | undefined>(
          run.raw('count(*) as n'),
          run.raw('max(created_at) as last'),
        );
      return { count: Number(row?.n ?? 0), lastAt: row?.last ?? null };
    },
    /** Records (or extends) a lockout so that staff can see it. */
    async upsertLockout(
      run: Runner,
      l: {
        id: string;
        scope: 'account_ip' | 'ip';
        email: string;
        ip: string;
        failures: number;
        now: string;
        lockedUntil: string;
      },
    ) {
      await run('login_lockouts')
        .insert({
          id: l.id,
          scope: l.scope,
          email: l.email,
          ip: l.ip,
          failures: l.failures,
          first_at: l.now,
          last_at: l.now,
          locked_until: l.lockedUntil,
        })
        .onConflict(['scope', 'email', 'ip'])
        .merge({ failures: l.failures, last_at: l.now, locked_until: l.lockedUntil });
    },
    /**
     * A page of the lockouts whose latest failure is after `since` and at or before `until` (null: no bound), latest
     * first (one range of the index login_lockouts_page).
     */
    pageLockouts(run: Runner, since: string, until: string | null, page: PageRequest): Promise<Page<LockoutRow>> {
      const recent = run('login_lockouts').where('last_at', '>', since);
      return keysetPage<LockoutRow>(
        until ? recent.andWhere('last_at', '<=', until) : recent,
        LOCKOUTS_LATEST_FIRST,
        page,
      );
    },
    async clearLoginFailures(run: Runner, key: string) {
      await run('login_failures').where({ key }).delete();
    },
    async insertSignupRequest(
      run: Runner,
      q: {
        id: string;
        email: string;
        tokenHash: string;
        name: string;
        organizationName: string;
        passwordHash: string;
        locale: string | null;
        now: string;
        expiresAt: string;
      },
    ) {
      await run('signup_requests').insert({
        id: q.id,
        email: q.email,
        token_hash: q.tokenHash,
        name: q.name,
        organization_name: q.organizationName,
        password_hash: q.passwordHash,
        locale: q.locale,
        created_at: q.now,
        expires_at: q.expiresAt,
        used_at: null,
      });
    },
    findSignupRequestByHash(run: Runner, tokenHash: string) {
      return run('signup_requests').where({ token_hash: tokenHash }).first<
        | {
            id: string;
            email: string;
            name: string;
            organization_name: string;
            password_hash: string;
            expires_at: string;
            used_at: string | null;
          }
        | undefined
      >();
    },
    /** Compare-and-set: a confirmation link works once. */
    async markSignupRequestUsed(run: Runner, id: string, now: string): Promise<boolean> {
      return (await run('signup_requests').where({ id }).whereNull('used_at').update({ used_at: now })) === 1;
    },
    async insertInvite(
      run: Runner,
      i: { id: string; organizationId: string; tokenHash: string; createdBy: string; now: string; expiresAt: string },
    ) {
      await run('invites').insert({
        id: i.id,
        organization_id: i.organizationId,
        token_hash: i.tokenHash,
        created_by: i.createdBy,
        created_at: i.now,
        expires_at: i.expiresAt,
      });
    },
    findInviteByHash(run: Runner, tokenHash: string) {
      return run('invites').where({ token_hash: tokenHash }).first<
        | {
            id: string;
            organization_id: string;
            expires_at: string;
            used_at: string | null;
            revoked_at: string | null;
          }
        | undefined
      >();
    },
    /** Compare-and-set: only an unused invite can be used; returns false when someone else used it first. */
    async markInviteUsed(run: Runner, id: string, userId: string, now: string): Promise<boolean> {
      const n = await run('invites')
        .where({ id })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .update({ used_at: now, used_by: userId });
      return n === 1;
    },
    /** A page of the invites still open at `now` (not used, revoked or expired), newest first (invites_org_open_page). */
    pageOpenInvites(run: Runner, organizationId: string, now: string, page: PageRequest): Promise<Page<OpenInviteRow>> {
      const q = run('invites')
        .where({ organization_id: organizationId })
        .andWhere('expires_at', '>', now)
        .whereNull('used_at')
        .whereNull('revoked_at')
        .select('id', 'created_at', 'expires_at');
      return keysetPage<OpenInviteRow>(q, INVITES_NEWEST_FIRST, page);
    },
    async revokeInvite(run: Runner, id: string, organizationId: string, now: string): Promise<boolean> {
      return (
        (await run('invites')
          .where({ id, organization_id: organizationId })
          .whereNull('used_at')
          .update({ revoked_at: now })) === 1
      );
    },
  };
}

/** The columns a CurrentUser is made of. */
export interface CurrentUserRow {
  id: string;
  email: string;
  name: string;
  staff_role: string | null;
  disabled: boolean | number;
  locale: string | null;
  organization_id: string | null;
  organization_name: string | null;
  org_role: string | null;
}

/**
 * The query behind loadCurrentUser, open for extra columns: the page hooks add the unread-notification count
 * to it so that a signed-in page reads the user and the count in one query (src/notifications/unread-count.ts).
 */
export function currentUserQuery(runner: Runner, id: string, ...extraColumns: Knex.QueryBuilder[]) {
  return joinCurrentUser(runner('users as u').where('u.id', id)).first<
    (CurrentUserRow & Record<string, unknown>) | undefined
  >(...CURRENT_USER_COLUMNS, ...extraColumns);
}

const CURRENT_USER_COLUMNS = [
  'u.id',
  'u.email',
  'u.name',
  'u.staff_role',
  'u.disabled',
  'u.locale',
  'm.organization_id',
  'o.name as organization_name',
  'm.role as org_role',
] as const;

function joinCurrentUser(q: Knex.QueryBuilder): Knex.QueryBuilder {
  return q
    .leftJoin('memberships as m', 'm.user_id', 'u.id')
    .leftJoin('organizations as o', 'o.id', 'm.organization_id');
}

/**
 * The same user columns added to a read of the `sessions` table aliased `s` (a left join on `sessions.user_id`,
 * so a session without a user, or whose user is gone, still comes back, with `id` null): the session store
 * reads the session and its user in one query (src/http/session-store.ts).
 */
export function withCurrentUserOfSession(sessionRead: Knex.QueryBuilder, ...extraColumns: Knex.QueryBuilder[]) {
  return joinCurrentUser(sessionRead.leftJoin('users as u', 'u.id', 's.user_id')).select(
    ...CURRENT_USER_COLUMNS,
    ...extraColumns,
  );
}

/** The signed-in user from a currentUserQuery row: null when there is none or the account is deactivated. */
export function toCurrentUser(row: CurrentUserRow | undefined): CurrentUser | null {
  if (!row || row.disabled) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    staffRole: (row.staff_role as StaffRole | null) ?? null,
    organizationId: row.organization_id ?? null,
    organizationName: row.organization_name ?? null,
    orgRole: (row.org_role as OrgRole | null) ?? null,
    locale: row.locale,
  };
}
