// Accounts: sign-up, sign-in (throttled per account and client IP, see sign-in-throttle.ts), password change and
// reset (password-reset.ts), invites, staff (create, change role, deactivate, reactivate).
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { AuditService } from '../audit/service';
import { AppError, validationFailed, type FieldError } from '../http/errors';
import { constantTimeEqual, newSecretToken, sha256Hex } from '../secret-tokens';
import { dummyHash, hashPassword, verifyPassword } from './password-hashing';
import { createAccountsRepository, type MemberRow, type OpenInviteRow } from './repository';
import { PAGE_SIZE_DEFAULT, type Page, type PageRequest } from '../pagination/cursor';

export { ACCOUNT_LIST_CURSOR } from './repository';
import type { AppConfig } from '../config';
import { SIGNUP_LINK_TTL_MS } from './sign-up-confirmation';
import type { DirectEmail } from '../notifications/service';
import { isStaffRole, type CurrentUser, type StaffRole } from './types';
import { THROTTLE_WINDOW_MS, delayAfterFailures, throttleVerdict, MAX_FAILURES_PER_IP } from './sign-in-throttle';
import { PASSWORD_RESET_TTL_MS, RESET_REQUEST_WINDOW_MS, resetRequestAllowed } from './password-reset';

const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;
const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;

function clean(v: unknown, max: number): string {
  return typeof v === 'string' ? v.trim().slice(0, max + 1) : '';
}

function checkPassword(errors: FieldError[], field: string, password: unknown, confirm?: unknown) {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    errors.push({ field, message: 'accounts.errors.password_short', params: { min: MIN_PASSWORD_LENGTH } });
  } else if (password.length > MAX_PASSWORD_LENGTH) {
    errors.push({ field, message: 'accounts.errors.password_long', params: { max: MAX_PASSWORD_LENGTH } });
  } else if (confirm !== undefined && password !== confirm) {
    errors.push({ field: `${field}_confirm`, message: 'accounts.errors.password_mismatch' });
  }
}

function checkEmail(errors: FieldError[], field: string, email: string) {
  if (!email) errors.push({ field, message: 'accounts.errors.email_required' });
  else if (!EMAIL_RE.test(email) || email.length > 254)
    errors.push({ field, message: 'accounts.errors.email_invalid' });
}

function checkName(errors: FieldError[], field: string, name: string, max = 100) {
  if (!name) errors.push({ field, message: 'accounts.errors.name_required' });
  else if (name.length > max) errors.push({ field, message: 'accounts.errors.too_long', params: { max } });
}

/** A sign-in attempt refused by the throttle (sign-in-throttle.ts): this client has been failing. */
export class SignInThrottled extends AppError {
  constructor(
    readonly scope: 'account_ip' | 'ip',
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 'accounts.errors.too_many_attempts');
  }
}

/** Wrong e-mail or password; `lockout` says when this failure started or extended a lockout (logged, shown to staff). */
export class BadCredentials extends AppError {
  constructor(
    readonly lockout: { scope: 'account_ip' | 'ip'; email: string; ip: string; failures: number; until: string } | null,
  ) {
    super('validation', 'validation failed', {
      fieldErrors: [{ field: 'email', message: 'accounts.errors.bad_credentials' }],
    });
  }
}

const pairKey = (email: string, ip: string) => `pair:${sha256Hex(`${email}\n${ip}`)}`;

export interface SignupInput {
  name?: unknown;
  email?: unknown;
  password?: unknown;
  password_confirm?: unknown;
  organization_name?: unknown;
}

/** What accounts needs from the notifications module: e-mails through its outbox. */
export interface AccountMail {
  queueEmail(mail: DirectEmail, trx?: Knex.Transaction): Promise<void>;
}

/** An application whose claim was released, as the workflow reports it. */
interface ReleasedClaim {
  id: string;
  organization_id: string;
  stage: string;
  from: string;
  to: string;
}
/** What accounts needs from the workflow: a staff member's claims released, in the caller's transaction. */
export interface ClaimRelease {
  releaseClaimsOf(trx: Knex.Transaction, userId: string, now: string): Promise<ReleasedClaim[]>;
}

export function createAccountsService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: Pick<AuditService, 'record'>;
  config: Pick<AppConfig, 'baseUrl'>;
  mail: AccountMail;
  claims: ClaimRelease;
}) {
  const repo = createAccountsRepository();
  const now = () => deps.clock().toISOString();

  async function failureCounts(email: string, ip: string) {
    const since = new Date(deps.clock().getTime() - THROTTLE_WINDOW_MS).toISOString();
    const [pair, byIp] = await Promise.all([
      repo.loginFailureStats(deps.db, pairKey(email, ip), since),
      repo.loginFailureStats(deps.db, `ip:${ip}`, since),
    ]);
    const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);
    return { pairFailures: pair.count, pairLastAt: ms(pair.lastAt), ipFailures: byIp.count, ipLastAt: ms(byIp.lastAt) };
  }

  /** Records a failure for the pair, the IP and the account (the last for staff only) and any lockout it starts. */
  async function recordFailure(email: string, ip: string): Promise<BadCredentials> {
    const ts = deps.clock();
    const at = ts.toISOString();
    await repo.recordLoginFailure(deps.db, deps.ids(), pairKey(email, ip), at);
    await repo.recordLoginFailure(deps.db, deps.ids(), `ip:${ip}`, at);
    await repo.recordLoginFailure(deps.db, deps.ids(), `email:${email}`, at);
    const c = await failureCounts(email, ip);
    let lockout: BadCredentials['lockout'] = null;
    if (c.ipFailures >= MAX_FAILURES_PER_IP) {
      lockout = {
        scope: 'ip',
        email: '',
        ip,
        failures: c.ipFailures,
        until: new Date(ts.getTime() + THROTTLE_WINDOW_MS).toISOString(),
      };
    } else if (delayAfterFailures(c.pairFailures) > 0) {
      lockout = {
        scope: 'account_ip',
        email: email.slice(0, 254),
        ip,
        failures: c.pairFailures,
        until: new Date(ts.getTime() + delayAfterFailures(c.pairFailures)).toISOString(),
      };
    }
    if (lockout)
      await repo.upsertLockout(deps.db, {
        id: deps.ids(),
        scope: lockout.scope,
        email: lockout.email,
        ip: ip.slice(0, 64),
        failures: lockout.failures,
        now: at,
        lockedUntil: lockout.until,
      });
    return new BadCredentials(lockout);
  }

  /** Ends the user's sessions (except `keepSessionId`) and revokes their API tokens, in `trx`. */
  async function endAccess(userId: string, keepSessionId: string | null, ts: string, trx: Knex.Transaction) {
    const sessionsEnded = await repo.endSessions(trx, userId, keepSessionId);
    const tokensRevoked = await repo.revokeApiTokens(trx, userId, ts);
    return { sessionsEnded, tokensRevoked };
  }

  /**
   * Returns every application the staff member had claimed to the queue unclaimed, in `trx`, with one internal
   * audit row per application (on its trail, where the next reviewer looks); returns how many.
   */
  async function releaseClaims(
    target: { id: string; email: string },
    actor: CurrentUser,
    because: 'deactivated' | 'role_changed',
    ts: string,
    trx: Knex.Transaction,
  ): Promise<number> {
    const released = await deps.claims.releaseClaimsOf(trx, target.id, ts);
    for (const a of released) {
      await deps.audit.record(
        {
          event: 'application.claim_released',
          actor: { userId: actor.id, label: actor.email },
          organizationId: a.organization_id,
          applicationId: a.id,
          fromState: `${a.stage}:${a.from}`,
          toState: `${a.stage}:${a.to}`,
          internal: true,
          data: { staff: target.email, because },
        },
        trx,
      );
    }
    return released.length;
  }

  /** The last active admin keeps the role and the account: refuses (422) when `userId` is the only one left. */
  async function keepOneActiveAdmin(userId: string, field: string, trx: Knex.Transaction) {
    const admins = await repo.lockActiveAdminIds(trx);
    if (!admins.some((id) => id !== userId)) throw validationFailed([{ field, message: 'accounts.errors.last_admin' }]);
  }

  /** Stores a one-time reset link for the user and e-mails it, in `trx` (rule: password-reset.ts). */
  async function issuePasswordReset(
    user: { id: string; email: string; name: string; locale: string | null },
    requestedBy: string | null,
    locale: string | null,
    trx: Knex.Transaction,
  ) {
    const token = newSecretToken();
    const ts = deps.clock();
    await repo.insertPasswordReset(trx, {
      id: deps.ids(),
      userId: user.id,
      tokenHash: sha256Hex(token),
      requestedBy,
      now: ts.toISOString(),
      expiresAt: new Date(ts.getTime() + PASSWORD_RESET_TTL_MS).toISOString(),
    });
    await deps.mail.queueEmail(
      {
        to: user.email,
        locale: user.locale ?? locale,
        subjectKey: 'accounts.reset_mail.subject',
        bodyKey: requestedBy ? 'accounts.reset_mail.body_from_admin' : 'accounts.reset_mail.body',
        params: {
          name: user.name,
          url: `${deps.config.baseUrl}/password-reset/${token}`,
          minutes: PASSWORD_RESET_TTL_MS / 60_000,
        },
      },
      trx,
    );
  }

  const service = {
    /**
     * "Forgot your password?" (rule: password-reset.ts). Validates the address's format, then answers the same
     * way whatever it is: an active account's address is e-mailed a one-time link; an unknown or deactivated
     * one, or a request over the limit, is sent nothing. Nothing tells the cases apart.
     */
    async requestPasswordReset(input: { email?: unknown }, ip: string, locale: string | null = null): Promise<void> {
      const email = clean(input.email, 254).toLowerCase();
      const errors: FieldError[] = [];
      checkEmail(errors, 'email', email);
      if (errors.length) throw validationFailed(errors);
      const ts = deps.clock();
      const since = new Date(ts.getTime() - RESET_REQUEST_WINDOW_MS).toISOString();
      const addressKey = `reset:${sha256Hex(email)}`;
      const ipKey = `reset-ip:${ip}`;
      const [address, byIp] = await Promise.all([
        repo.countLoginFailures(deps.db, addressKey, since),
        repo.countLoginFailures(deps.db, ipKey, since),
      ]);
      if (!resetRequestAllowed({ address, ip: byIp })) return;
      // Counted for every address, registered or not, so that the work done does not depend on it either.
      await repo.recordLoginFailure(deps.db, deps.ids(), addressKey, ts.toISOString());
      await repo.recordLoginFailure(deps.db, deps.ids(), ipKey, ts.toISOString());
      const user = await repo.findUserByEmail(deps.db, email);
      if (!user || user.disabled) return;
      await deps.db.transaction(async (trx) => {
        await issuePasswordReset(user, null, locale, trx);
        await deps.audit.record(
          {
            event: 'user.password_reset_requested',
            actor: { userId: null, label: 'anonymous' },
            data: { email: user.email, ip: ip.slice(0, 64) },
          },
          trx,
        );
      });
    },

    /** Admin: e-mails an active staff member a one-time reset link. */
    async sendStaffPasswordReset(
      actor: CurrentUser,
      userId: string,
      locale: string | null = null,
    ): Promise<{ name: string }> {
      if (actor.staffRole !== 'admin') throw new AppError('forbidden', 'admin only');
      const target = await repo.findUserById(deps.db, userId);
      if (!target?.staff_role) throw new AppError('not_found', 'staff');
      if (target.disabled) throw validationFailed([{ field: 'staff', message: 'accounts.errors.reset_inactive' }]);
      await deps.db.transaction(async (trx) => {
        await issuePasswordReset(target, actor.id, locale, trx);
        await deps.audit.record(
          {
            event: 'staff.password_reset_sent',
            actor: { userId: actor.id, label: actor.email },
            data: { email: target.email },
          },
          trx,
        );
      });
      return { name: target.name };
    },

    /** The reset a link stands for; null when unknown, used, expired, or its account is deactivated. */
    async findUsablePasswordReset(token: unknown): Promise<{ id: string; userId: string; email: string } | null> {
      if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
      const hash = sha256Hex(token);
      const reset = await repo.findPasswordResetByHash(deps.db, hash);
      if (!reset || !constantTimeEqual(reset.token_hash, hash) || reset.used_at || reset.expires_at <= now())
        return null;
      const user = await repo.findUserById(deps.db, reset.user_id);
      if (!user || user.disabled) return null;
      return { id: reset.id, userId: user.id, email: user.email };
    },

    /**
     * Sets a new password from a reset link, once: the link is used up (and every other open link of the
     * user), every session of the user ends and their API tokens are revoked, in one transaction.
     */
    async resetPassword(
      token: string,
      input: { new_password?: unknown; new_password_confirm?: unknown },
    ): Promise<{ userId: string; sessionsEnded: number; tokensRevoked: number }> {
      const invalid = () => new AppError('not_found', 'accounts.errors.reset_link_invalid');
      const pending = await service.findUsablePasswordReset(token);
      if (!pending) throw invalid();
      const errors: FieldError[] = [];
      checkPassword(errors, 'new_password', input.new_password, input.new_password_confirm);
      if (errors.length) throw validationFailed(errors);
      const passwordHash = await hashPassword(input.new_password as string);
      const ts = now();
      return deps.db.transaction(async (trx) => {
        if (!(await repo.markPasswordResetUsed(trx, pending.id, ts))) throw invalid();
        const user = await repo.findUserById(trx, pending.userId);
        if (!user || user.disabled) throw invalid();
        await repo.updatePassword(trx, user.id, passwordHash, ts);
        await repo.useUpPasswordResets(trx, user.id, ts);
        const ended = await endAccess(user.id, null, ts, trx);
        await deps.audit.record(
          { event: 'user.password_reset', actor: { userId: user.id, label: user.email }, data: ended },
          trx,
        );
        return { userId: user.id, ...ended };
      });
    },

    loadCurrentUser(id: string): Promise<CurrentUser | null> {
      return repo.loadCurrentUser(deps.db, id);
    },

    /**
     * Sign-up, step 1 (rule: sign-up-confirmation.ts). Validates the form, then answers the same way whether
     * or not the address is registered: a new address gets a confirmation link by e-mail, a registered
     * one a "you already have an account" e-mail to its owner. Nothing else tells the two apart.
     */
    async requestSignup(input: SignupInput, locale: string | null = null): Promise<void> {
      const name = clean(input.name, 100);
      const email = clean(input.email, 254).toLowerCase();
      const organizationName = clean(input.organization_name, 200);
      const errors: FieldError[] = [];
      checkName(errors, 'name', name);
      checkEmail(errors, 'email', email);
      checkPassword(errors, 'password', input.password, input.password_confirm ?? input.password);
      if (!organizationName)
        errors.push({ field: 'organization_name', message: 'accounts.errors.organization_required' });
      else if (organizationName.length > 200)
        errors.push({ field: 'organization_name', message: 'accounts.errors.too_long', params: { max: 200 } });
      if (errors.length) throw validationFailed(errors);
      // Hashed on both paths, so that the answer takes as long for a registered address as for a new one.
      const passwordHash = await hashPassword(input.password as string);
      const ts = deps.clock();
      const existing = await repo.findUserByEmail(deps.db, email);
      await deps.db.transaction(async (trx) => {
        if (existing) {
          await deps.mail.queueEmail(
            {
              to: existing.email,
              locale: existing.locale ?? locale,
              subjectKey: 'accounts.signup_mail.existing_subject',
              bodyKey: 'accounts.signup_mail.existing_body',
              params: { login: `${deps.config.baseUrl}/login` },
            },
            trx,
          );
          return;
        }
        const token = newSecretToken();
        await repo.insertSignupRequest(trx, {
          id: deps.ids(),
          email,
          tokenHash: sha256Hex(token),
          name,
          organizationName,
          passwordHash,
          locale,
          now: ts.toISOString(),
          expiresAt: new Date(ts.getTime() + SIGNUP_LINK_TTL_MS).toISOString(),
        });
        await deps.mail.queueEmail(
          {
            to: email,
            locale,
            subjectKey: 'accounts.signup_mail.confirm_subject',
            bodyKey: 'accounts.signup_mail.confirm_body',
            params: {
              name,
              organization: organizationName,
              url: `${deps.config.baseUrl}/signup/confirm/${token}`,
              hours: SIGNUP_LINK_TTL_MS / 3_600_000,
            },
          },
          trx,
        );
      });
    },

    /** The sign-up a confirmation link stands for; null when unknown, used or expired. */
    async findUsableSignup(
      token: unknown,
    ): Promise<{ id: string; email: string; name: string; organizationName: string } | null> {
      if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
      const req = await repo.findSignupRequestByHash(deps.db, sha256Hex(token));
      if (!req || req.used_at || req.expires_at <= now()) return null;
      return { id: req.id, email: req.email, name: req.name, organizationName: req.organization_name };
    },

    /** Sign-up, step 2: the e-mailed link creates the organization and its owner, once. */
    async confirmSignup(token: string): Promise<CurrentUser> {
      const invalid = () => new AppError('not_found', 'accounts.errors.signup_link_invalid');
      const pending = await service.findUsableSignup(token);
      if (!pending) throw invalid();
      const request = (await repo.findSignupRequestByHash(deps.db, sha256Hex(token)))!;
      const userId = deps.ids();
      const orgId = deps.ids();
      const ts = now();
      try {
        await deps.db.transaction(async (trx) => {
          if (!(await repo.markSignupRequestUsed(trx, request.id, ts))) throw invalid();
          if (await repo.findUserByEmail(trx, request.email)) throw invalid(); // registered meanwhile (another link)
          await repo.insertOrganization(trx, { id: orgId, name: request.organization_name, now: ts });
          await repo.insertUser(trx, {
            id: userId,
            email: request.email,
            name: request.name,
            passwordHash: request.password_hash,
            staffRole: null,
            now: ts,
          });
          await repo.insertMembership(trx, { userId, organizationId: orgId, role: 'owner', now: ts });
          await deps.audit.record(
            {
              event: 'organization.created',
              actor: { userId, label: request.email },
              organizationId: orgId,
              data: { name: request.organization_name },
            },
            trx,
          );
        });
      } catch (err) {
        if (err instanceof AppError) throw err;
        // A concurrent confirmation for the same address loses on the unique index.
        if (await repo.findUserByEmail(deps.db, request.email)) throw invalid();
        throw err;
      }
      return (await repo.loadCurrentUser(deps.db, userId))!;
    },

    /** Returns the user, or throws validation (wrong credentials) / rate_limited. Same message for unknown e-mail. */
    async login(input: { email?: unknown; password?: unknown }, ip: string): Promise<CurrentUser> {
      const email = clean(input.email, 254).toLowerCase();
      const password = typeof input.password === 'string' ? input.password : '';
      const errors: FieldError[] = [];
      if (!email) errors.push({ field: 'email', message: 'accounts.errors.email_required' });
      if (!password) errors.push({ field: 'password', message: 'accounts.errors.password_required' });
      if (errors.length) throw validationFailed(errors);
      const nowMs = deps.clock().getTime();
      const verdict = throttleVerdict(await failureCounts(email, ip), nowMs);
      if (verdict.throttled)
        throw new SignInThrottled(verdict.scope, Math.max(1, Math.ceil((verdict.until - nowMs) / 1000)));
      const user = await repo.findUserByEmail(deps.db, email);
      const ok = await verifyPassword(
        password.slice(0, MAX_PASSWORD_LENGTH + 1),
        user?.password_hash ?? (await dummyHash()),
      );
      if (!user || !ok || user.disabled) throw await recordFailure(email, ip);
      // Only this client's record is cleared: the IP's count and the account's history (for staff) stay.
      await repo.clearLoginFailures(deps.db, pairKey(email, ip));
      return (await repo.loadCurrentUser(deps.db, user.id))!;
    },

    /**
     * The account page's lists, a page of each: the organization's members in the order they joined (the owner
     * first) and, for its owner, the invites still open, newest first. Nobody else's organization is read.
     */
    async accountOverview(
      user: CurrentUser,
      pages: { members: PageRequest; invites: PageRequest } = {
        members: { size: PAGE_SIZE_DEFAULT },
        invites: { size: PAGE_SIZE_DEFAULT },
      },
    ): Promise<{ members: Page<MemberRow>; invites: Page<OpenInviteRow> }> {
      const orgId = user.organizationId;
      const none = { rows: [], next: null, previous: null };
      const [members, invites] = await Promise.all([
        orgId ? repo.pageMembers(deps.db, orgId, pages.members) : none,
        orgId && user.orgRole === 'owner' ? repo.pageOpenInvites(deps.db, orgId, now(), pages.invites) : none,
      ]);
      return { members, invites };
    },

    /** A page of the staff accounts for the admin page, newest first (deactivated ones included). */
    async pageStaff(page: PageRequest = { size: PAGE_SIZE_DEFAULT }) {
      const found = await repo.pageStaff(deps.db, page);
      return {
        ...found,
        rows: found.rows.map((s) => ({
          id: s.id,
          email: s.email,
          name: s.name,
          role: s.staff_role,
          createdAt: s.created_at,
          active: !s.disabled,
        })),
      };
    },

    /** The admin start page's figures. */
    countStaffAndOrganizations(): Promise<{ staff: number; organizations: number }> {
      return repo.countStaffAndOrganizations(deps.db);
    },

    /** An organization's name (the test bed's consent pages name the client by it); null when unknown. */
    async organizationName(id: string): Promise<string | null> {
      return (await repo.findOrganization(deps.db, id))?.name ?? null;
    },

    /**
     * A page of the lockouts of the last 7 days, latest failure first, for the admin page; `active`: still locked.
     *
     * A lockout's latest failure moves while an attack goes on, so the list is walked as it stood at `asOf` (when
     * its first page was read): a later page leaves out what changed since, which therefore never shows twice nor
     * jumps over the page being read. A first page (no cursor) or an `asOf` that is not a time this list gave out
     * (not an exact ISO time, or more than 7 days away) is read as of now; `asOf` in the answer is the time the walk
     * goes on from.
     */
    async pageRecentLockouts(page: PageRequest, asOf?: string) {
      const at = deps.clock();
      const nowIso = at.toISOString();
      const week = 7 * 24 * 60 * 60 * 1000;
      const kept = page.after || page.before ? snapshotTime(asOf, at.getTime() - week, at.getTime() + week) : null;
      const since = new Date(Date.parse(kept ?? nowIso) - week).toISOString();
      // A first page has no upper bound (another instance's clock may run ahead); its newest row is then its time.
      const found = await repo.pageLockouts(deps.db, since, kept, kept ? page : { size: page.size });
      const newest = found.rows[0]?.last_at;
      return {
        asOf: kept ?? (newest && newest > nowIso ? newest : nowIso),
        snapshot: kept !== null,
        ...found,
        rows: found.rows.map((l) => ({
          scope: l.scope,
          email: l.email,
          ip: l.ip,
          failures: Number(l.failures),
          firstAt: l.first_at,
          lastAt: l.last_at,
          lockedUntil: l.locked_until,
          active: l.locked_until > nowIso,
        })),
      };
    },

    /** Checks e-mail and password without creating a session (used by the API token endpoint). */
    async verifyCredentials(input: { email?: unknown; password?: unknown }, ip: string): Promise<CurrentUser> {
      return service.login(input, ip);
    },

    /**
     * Changes the password. Every other session of the user ends and every personal API token is revoked in
     * the same transaction (rule: a changed password shuts out whoever knew the old one);
     * `currentSessionId` (the session making the change) stays signed in.
     */
    async changePassword(
      userId: string,
      input: { current_password?: unknown; new_password?: unknown; new_password_confirm?: unknown },
      currentSessionId: string | null = null,
    ): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
      const user = await repo.findUserById(deps.db, userId);
      if (!user) throw new AppError('not_found', 'user');
      const errors: FieldError[] = [];
      const current = typeof input.current_password === 'string' ? input.current_password : '';
      if (!current || !(await verifyPassword(current, user.password_hash))) {
        errors.push({ field: 'current_password', message: 'accounts.errors.current_password_wrong' });
      }
      checkPassword(errors, 'new_password', input.new_password, input.new_password_confirm);
      if (errors.length) throw validationFailed(errors);
      const ts = now();
      const passwordHash = await hashPassword(input.new_password as string);
      return deps.db.transaction(async (trx) => {
        await repo.updatePassword(trx, userId, passwordHash, ts);
        const ended = await endAccess(userId, currentSessionId, ts, trx);
        await deps.audit.record(
          { event: 'user.password_changed', actor: { userId, label: user.email }, data: ended },
          trx,
        );
        return ended;
      });
    },

    /**
     * Admin: deactivates a staff account; its sessions end, its API tokens are revoked and every application
     * it had claimed returns to the queue unclaimed, in one transaction. Not one's own, nor the last active admin.
     */
    async deactivateStaff(actor: CurrentUser, userId: string): Promise<void> {
      if (actor.staffRole !== 'admin') throw new AppError('forbidden', 'admin only');
      if (actor.id === userId) throw validationFailed([{ field: 'staff', message: 'accounts.errors.deactivate_self' }]);
      const target = await repo.findUserById(deps.db, userId);
      if (!target?.staff_role) throw new AppError('not_found', 'staff');
      const ts = now();
      await deps.db.transaction(async (trx) => {
        if (target.staff_role === 'admin') await keepOneActiveAdmin(userId, 'staff', trx);
        if (!(await repo.deactivateStaff(trx, userId))) return; // already inactive: nothing to do
        const ended = await endAccess(userId, null, ts, trx);
        const claimsReleased = await releaseClaims(target, actor, 'deactivated', ts, trx);
        await deps.audit.record(
          {
            event: 'staff.deactivated',
            actor: { userId: actor.id, label: actor.email },
            data: { email: target.email, role: target.staff_role, ...ended, claimsReleased },
          },
          trx,
        );
      });
    },

    /** Admin: a deactivated staff account may sign in again (with its password; its old sessions and tokens stay ended). */
    async reactivateStaff(actor: CurrentUser, userId: string): Promise<{ name: string }> {
      if (actor.staffRole !== 'admin') throw new AppError('forbidden', 'admin only');
      const target = await repo.findUserById(deps.db, userId);
      if (!target?.staff_role) throw new AppError('not_found', 'staff');
      await deps.db.transaction(async (trx) => {
        if (!(await repo.reactivateStaff(trx, userId))) return; // already active: nothing to do
        await deps.audit.record(
          {
            event: 'staff.reactivated',
            actor: { userId: actor.id, label: actor.email },
            data: { email: target.email, role: target.staff_role },
          },
          trx,
        );
      });
      return { name: target.name };
    },

    /**
     * Admin: changes a staff member's role. Not one's own; the last active admin keeps the role. Their rights
     * changed, so their sessions end, their API tokens are revoked and their claims are released, in one
     * transaction. Choosing the role they already have changes nothing (`changed: false`).
     */
    async changeStaffRole(
      actor: CurrentUser,
      userId: string,
      input: { staff_role?: unknown },
    ): Promise<{ changed: boolean; name: string; role: StaffRole }> {
      if (actor.staffRole !== 'admin') throw new AppError('forbidden', 'admin only');
      const field = `role_${userId}`;
      if (actor.id === userId) throw validationFailed([{ field, message: 'accounts.errors.change_own_role' }]);
      const target = await repo.findUserById(deps.db, userId);
      if (!target || !isStaffRole(target.staff_role)) throw new AppError('not_found', 'staff');
      const from = target.staff_role;
      const to = input.staff_role;
      if (!isStaffRole(to)) throw validationFailed([{ field, message: 'accounts.errors.role_required' }]);
      if (to === from) return { changed: false, name: target.name, role: to };
      const ts = now();
      await deps.db.transaction(async (trx) => {
        if (from === 'admin' && !target.disabled) await keepOneActiveAdmin(userId, field, trx);
        if (!(await repo.changeStaffRole(trx, userId, from, to))) {
          throw validationFailed([{ field, message: 'accounts.errors.role_changed_meanwhile' }]); // another admin changed it first
        }
        const ended = await endAccess(userId, null, ts, trx);
        const claimsReleased = await releaseClaims(target, actor, 'role_changed', ts, trx);
        await deps.audit.record(
          {
            event: 'staff.role_changed',
            actor: { userId: actor.id, label: actor.email },
            data: { email: target.email, from, to, ...ended, claimsReleased },
          },
          trx,
        );
      });
      return { changed: true, name: target.name, role: to };
    },

    /** The owner creates a one-time invite link; the token is returned once and stored hashed. */
    async createInvite(actor: CurrentUser): Promise<{ token: string; expiresAt: string }> {
      if (!actor.organizationId || actor.orgRole !== 'owner') throw new AppError('forbidden', 'only the owner invites');
      const token = newSecretToken();
      const ts = deps.clock();
      const expiresAt = new Date(ts.getTime() + INVITE_TTL_MS).toISOString();
      await deps.db.transaction(async (trx) => {
        await repo.insertInvite(trx, {
          id: deps.ids(),
          organizationId: actor.organizationId!,
          tokenHash: sha256Hex(token),
          createdBy: actor.id,
          now: ts.toISOString(),
          expiresAt,
        });
        await deps.audit.record(
          {
            event: 'organization.invite_created',
            actor: { userId: actor.id, label: actor.email },
            organizationId: actor.organizationId,
          },
          trx,
        );
      });
      return { token, expiresAt };
    },

    async revokeInvite(actor: CurrentUser, inviteId: string): Promise<void> {
      if (!actor.organizationId || actor.orgRole !== 'owner')
        throw new AppError('forbidden', 'only the owner revokes invites');
      if (!(await repo.revokeInvite(deps.db, inviteId, actor.organizationId, now())))
        throw new AppError('not_found', 'invite');
    },

    /** Looks up a usable invite; null when unknown, used, revoked or expired. */
    async findUsableInvite(
      token: string,
    ): Promise<{ id: string; organizationId: string; organizationName: string } | null> {
      if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
      const inv = await repo.findInviteByHash(deps.db, sha256Hex(token));
      if (!inv || inv.used_at || inv.revoked_at || inv.expires_at <= now()) return null;
      const org = await repo.findOrganization(deps.db, inv.organization_id);
      return org ? { id: inv.id, organizationId: org.id, organizationName: org.name } : null;
    },

    /** Accepting an invite creates a member account; the link works once. */
    async acceptInvite(
      token: string,
      input: { name?: unknown; email?: unknown; password?: unknown; password_confirm?: unknown },
    ): Promise<CurrentUser> {
      const invite = await service.findUsableInvite(token);
      if (!invite) throw new AppError('not_found', 'accounts.errors.invite_invalid');
      const name = clean(input.name, 100);
      const email = clean(input.email, 254).toLowerCase();
      const errors: FieldError[] = [];
      checkName(errors, 'name', name);
      checkEmail(errors, 'email', email);
      checkPassword(errors, 'password', input.password, input.password_confirm ?? input.password);
      if (errors.length) throw validationFailed(errors);
      const passwordHash = await hashPassword(input.password as string);
      const userId = deps.ids();
      const ts = now();
      await deps.db.transaction(async (trx) => {
        if (await repo.findUserByEmail(trx, email))
          throw validationFailed([{ field: 'email', message: 'accounts.errors.email_taken' }]);
        await repo.insertUser(trx, { id: userId, email, name, passwordHash, staffRole: null, now: ts });
        if (!(await repo.markInviteUsed(trx, invite.id, userId, ts)))
          throw new AppError('not_found', 'accounts.errors.invite_invalid');
        await repo.insertMembership(trx, { userId, organizationId: invite.organizationId, role: 'member', now: ts });
        await deps.audit.record(
          {
            event: 'organization.member_joined',
            actor: { userId, label: email },
            organizationId: invite.organizationId,
          },
          trx,
        );
      });
      return (await repo.loadCurrentUser(deps.db, userId))!;
    },

    /** Admins create staff accounts. */
    async createStaff(
      actor: CurrentUser,
      input: { name?: unknown; email?: unknown; password?: unknown; staff_role?: unknown },
    ): Promise<void> {
      if (actor.staffRole !== 'admin') throw new AppError('forbidden', 'admin only');
      const name = clean(input.name, 100);
      const email = clean(input.email, 254).toLowerCase();
      const errors: FieldError[] = [];
      checkName(errors, 'name', name);
      checkEmail(errors, 'email', email);
      checkPassword(errors, 'password', input.password);
      if (!isStaffRole(input.staff_role))
        errors.push({ field: 'staff_role', message: 'accounts.errors.role_required' });
      if (errors.length) throw validationFailed(errors);
      const passwordHash = await hashPassword(input.password as string);
      await deps.db.transaction(async (trx) => {
        if (await repo.findUserByEmail(trx, email))
          throw validationFailed([{ field: 'email', message: 'accounts.errors.email_taken' }]);
        await repo.insertUser(trx, {
          id: deps.ids(),
          email,
          name,
          passwordHash,
          staffRole: input.staff_role as StaffRole,
          now: now(),
        });
        await deps.audit.record(
          {
            event: 'staff.created',
            actor: { userId: actor.id, label: actor.email },
            data: { email, role: input.staff_role },
          },
          trx,
        );
      });
    },

    /** Used by seeds: creates a user with a known password (no throttling, no audit noise). */
    async createUserDirect(
      u: {
        email: string;
        name: string;
        password: string;
        staffRole?: StaffRole | null;
        organizationId?: string;
        orgRole?: 'owner' | 'member';
      },
      trx?: Knex.Transaction,
    ): Promise<string> {
      const id = deps.ids();
      const ts = now();
      const run = trx ?? deps.db;
      await repo.insertUser(run, {
        id,
        email: u.email,
        name: u.name,
        passwordHash: await hashPassword(u.password),
        staffRole: u.staffRole ?? null,
        now: ts,
      });
      if (u.organizationId)
        await repo.insertMembership(run, {
          userId: id,
          organizationId: u.organizationId,
          role: u.orgRole ?? 'owner',
          now: ts,
        });
      return id;
    },
  };
  return service;
}
export type AccountsService = ReturnType<typeof createAccountsService>;

/** `text` when it is an exact ISO time within [earliest, latest] (ms), else null. */
function snapshotTime(text: string | undefined, earliest: number, latest: number): string | null {
  if (!text || text.length > 30) return null;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || ms < earliest || ms > latest) return null;
  return new Date(ms).toISOString() === text ? text : null;
}
