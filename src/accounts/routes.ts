// Sign-up, sign-in, sign-out, password reset, the account page (password, members, invites) and the staff admin page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../http/errors';
import { checkSchemasAfterGuards, FormBody, IdParams, PageQuery, TokenParams } from '../http/route-schemas';
import { handleForm, str } from '../http/forms';
import { translateErrors } from '../http/views';
import { mustBeOrgOwner, mustBeSignedIn, mustBeStaff } from '../http/guards';
import { STAFF_ROLES, type CurrentUser } from './types';
import { ACCOUNT_LIST_CURSOR, SignInThrottled, type AccountsService } from './service';
import { namedPageLinks, pageLinks, readNamedPage, readPageRequest, samePageQuery } from '../pagination/cursor';
import { logSignInRefusal } from './sign-in-refusal-log';

/** Only same-site relative paths are followed after sign-in. */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) ? v : '/';
}

async function startSession(req: FastifyRequest, user: CurrentUser) {
  await req.session.regenerate(); // new session id on sign-in: no fixation
  req.session.userId = user.id;
}

interface AccountsRoutesOptions {
  accounts: Pick<
    AccountsService,
    | 'requestSignup'
    | 'findUsableSignup'
    | 'confirmSignup'
    | 'login'
    | 'requestPasswordReset'
    | 'findUsablePasswordReset'
    | 'resetPassword'
    | 'accountOverview'
    | 'changePassword'
    | 'createInvite'
    | 'revokeInvite'
    | 'findUsableInvite'
    | 'acceptInvite'
    | 'pageStaff'
    | 'countStaffAndOrganizations'
    | 'pageRecentLockouts'
    | 'deactivateStaff'
    | 'reactivateStaff'
    | 'changeStaffRole'
    | 'sendStaffPasswordReset'
    | 'createStaff'
  >;
  /** The invite links shown to an owner are absolute. */
  baseUrl: string;
}

const SIGNUP = FormBody(['organization_name', 'name', 'email', 'password', 'password_confirm']);
const LOGIN = FormBody(['email', 'password', 'next']);
const NEW_PASSWORD = FormBody(['new_password', 'new_password_confirm']);
const CHANGE_PASSWORD = FormBody(['current_password', 'new_password', 'new_password_confirm']);
const INVITE = FormBody(['name', 'email', 'password', 'password_confirm']);
const STAFF = FormBody(['name', 'email', 'staff_role', 'password']);
const BUTTON = FormBody([]);

const accountsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (app, { accounts, baseUrl }) => {
  checkSchemasAfterGuards(app);
  app.get('/signup', async (req, reply) => {
    if (req.user) return reply.redirect('/', 303);
    return reply.page('accounts/signup', { titleKey: 'accounts.signup.title', values: {} });
  });
  // The same answer for a new and a registered address (sign-up-confirmation.ts): a redirect to "check your e-mail".
  app.post('/signup', { schema: { body: SIGNUP } }, async (req, reply) =>
    handleForm(
      reply,
      'accounts/signup',
      req.body,
      async () => {
        await accounts.requestSignup(req.body, req.locale);
        return '/signup/check-email';
      },
      { titleKey: 'accounts.signup.title' },
    ),
  );
  app.get('/signup/check-email', async (_req, reply) =>
    reply.page('accounts/signup-sent', { titleKey: 'accounts.signup.sent_title' }),
  );
  app.get('/signup/confirm/:token', { schema: { params: TokenParams } }, async (req, reply) => {
    const pending = await accounts.findUsableSignup(req.params.token);
    if (!pending) throw new AppError('not_found', 'accounts.errors.signup_link_invalid');
    return reply.page('accounts/signup-confirm', {
      titleKey: 'accounts.signup.confirm_title',
      pending,
      token: req.params.token,
    });
  });
  // Confirming is a POST (a button on the page the link opens): mail scanners that follow links create nothing.
  app.post('/signup/confirm/:token', { schema: { params: TokenParams, body: BUTTON } }, async (req, reply) => {
    const user = await accounts.confirmSignup(req.params.token);
    await startSession(req, user);
    req.session.flash = { kind: 'success', message: reply.t('accounts.signup.welcome', { name: user.name }) };
    return reply.redirect('/', 303);
  });

  app.get('/login', { schema: { querystring: PageQuery(['next']) } }, async (req, reply) => {
    const next = safeNext(req.query.next);
    if (req.user) return reply.redirect(next, 303);
    return reply.page('accounts/login', { titleKey: 'accounts.login.title', values: { next } });
  });
  app.post('/login', { schema: { body: LOGIN } }, async (req, reply) => {
    const body = req.body;
    try {
      const user = await accounts.login(body, req.ip);
      await startSession(req, user);
      return reply.redirect(safeNext(body.next), 303);
    } catch (err) {
      logSignInRefusal(req, err);
      if (err instanceof SignInThrottled) reply.header('Retry-After', String(err.retryAfterSeconds));
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'rate_limited')) {
        const errors =
          err.code === 'validation'
            ? translateErrors(req.locale, err.details.fieldErrors ?? [])
            : [{ field: 'email', text: reply.t(err.message) }];
        return reply.page(
          'accounts/login',
          {
            titleKey: 'accounts.login.title',
            values: { email: str(body.email, 254), next: safeNext(body.next) },
            errors,
          },
          err.code === 'rate_limited' ? 429 : 422,
        );
      }
      throw err;
    }
  });

  // "Forgot your password?": the same answer for every valid address (password-reset.ts).
  app.get('/password-reset', async (_req, reply) =>
    reply.page('accounts/password-reset', { titleKey: 'accounts.password_reset.title', values: {} }),
  );
  app.post('/password-reset', { schema: { body: FormBody(['email']) } }, async (req, reply) =>
    handleForm(
      reply,
      'accounts/password-reset',
      req.body,
      async () => {
        await accounts.requestPasswordReset(req.body, req.ip, req.locale);
        return '/password-reset/check-email';
      },
      { titleKey: 'accounts.password_reset.title' },
    ),
  );
  app.get('/password-reset/check-email', async (_req, reply) =>
    reply.page('accounts/password-reset-sent', { titleKey: 'accounts.password_reset.sent_title' }),
  );
  // An unknown, used or expired link (or a deactivated account's) gets a 404 page that offers a new link.
  const invalidLink = (reply: FastifyReply) =>
    reply.page('accounts/password-reset-invalid', { titleKey: 'accounts.password_reset.invalid_title' }, 404);
  app.get('/password-reset/:token', { schema: { params: TokenParams } }, async (req, reply) => {
    const pending = await accounts.findUsablePasswordReset(req.params.token);
    if (!pending) return invalidLink(reply);
    return reply.page('accounts/password-reset-set', {
      titleKey: 'accounts.password_reset.set_title',
      email: pending.email,
      token: req.params.token,
      values: {},
    });
  });
  app.post('/password-reset/:token', { schema: { params: TokenParams, body: NEW_PASSWORD } }, async (req, reply) => {
    const pending = await accounts.findUsablePasswordReset(req.params.token);
    if (!pending) return invalidLink(reply);
    return handleForm(
      reply,
      'accounts/password-reset-set',
      req.body,
      async () => {
        const done = await accounts.resetPassword(req.params.token, req.body);
        // This browser's session, if it was the user's, ended with the others: start an anonymous one for the message.
        if (req.session.userId === done.userId) await req.session.regenerate();
        req.session.flash = { kind: 'success', message: reply.t('accounts.password_reset.done') };
        return '/login';
      },
      { titleKey: 'accounts.password_reset.set_title', email: pending.email, token: req.params.token },
    );
  });

  app.post('/logout', { schema: { body: BUTTON } }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/', 303);
  });

  /**
   * The account page with a page of each list (`?members_after=` / `?invites_after=` …, 50 a page; a cursor
   * the list did not give out is its first page). A form's answer (`query` empty) shows the first pages.
   */
  async function accountPage(user: CurrentUser, query: unknown = {}) {
    const pages = {
      members: readNamedPage(query, 'members', ACCOUNT_LIST_CURSOR),
      invites: readNamedPage(query, 'invites', ACCOUNT_LIST_CURSOR),
    };
    const { members, invites } = await accounts.accountOverview(user, pages);
    return {
      titleKey: 'accounts.account.title',
      members: members.rows,
      membersPager: namedPageLinks('/account', 'members', 'members-title', members, pages.members),
      invites: invites.rows,
      invitesPager: namedPageLinks('/account', 'invites', 'invites-title', invites, pages.invites),
      isOwner: user.orgRole === 'owner',
    };
  }

  const ACCOUNT_QUERY = PageQuery(['members_after', 'members_before', 'invites_after', 'invites_before']);
  app.get('/account', { preHandler: mustBeSignedIn, schema: { querystring: ACCOUNT_QUERY } }, async (req, reply) =>
    reply.page('accounts/account', await accountPage(req.user!, req.query)),
  );

  app.post('/account/password', { preHandler: mustBeSignedIn, schema: { body: CHANGE_PASSWORD } }, async (req, reply) =>
    handleForm(
      reply,
      'accounts/account',
      req.body,
      async () => {
        await accounts.changePassword(req.user!.id, req.body, req.session.sessionId);
        req.session.flash = { kind: 'success', message: reply.t('accounts.account.password_changed') };
        return '/account';
      },
      () => accountPage(req.user!),
    ),
  );

  app.post('/account/invites', { preHandler: mustBeOrgOwner, schema: { body: BUTTON } }, async (req, reply) => {
    const { token } = await accounts.createInvite(req.user!);
    // The link is shown once, on this response only.
    return reply.page(
      'accounts/account',
      { ...(await accountPage(req.user!)), newInviteUrl: `${baseUrl}/invite/${token}` },
      201,
    );
  });

  app.post(
    '/account/invites/:id/revoke',
    { preHandler: mustBeOrgOwner, schema: { params: IdParams, body: BUTTON } },
    async (req, reply) => {
      await accounts.revokeInvite(req.user!, req.params.id);
      return reply.redirect('/account', 303);
    },
  );

  app.get('/invite/:token', { schema: { params: TokenParams } }, async (req, reply) => {
    const invite = await accounts.findUsableInvite(req.params.token);
    if (!invite) throw new AppError('not_found', 'invite');
    return reply.page('accounts/invite', {
      titleKey: 'accounts.invite.title',
      organizationName: invite.organizationName,
      token: req.params.token,
      values: {},
    });
  });
  app.post('/invite/:token', { schema: { params: TokenParams, body: INVITE } }, async (req, reply) => {
    const invite = await accounts.findUsableInvite(req.params.token);
    if (!invite) throw new AppError('not_found', 'invite');
    return handleForm(
      reply,
      'accounts/invite',
      req.body,
      async () => {
        const user = await accounts.acceptInvite(req.params.token, req.body);
        await startSession(req, user);
        return '/';
      },
      { titleKey: 'accounts.invite.title', organizationName: invite.organizationName, token: req.params.token },
    );
  });

  /** The staff page: a page of the staff accounts, newest first (`?after=` / `?before=`; a form's answer: the first). */
  async function staffPage(query: unknown = {}) {
    // A cursor this list did not give out reads as the first page (src/pagination/cursor.ts).
    const { page } = readPageRequest(query, ACCOUNT_LIST_CURSOR);
    const staff = await accounts.pageStaff(page);
    return {
      titleKey: 'accounts.admin.title',
      staff: staff.rows,
      ...pageLinks('/admin/staff', {}, staff, page),
      // The row forms post to `…?after=` of this page, and come back to it.
      samePage: samePageQuery(page),
      roles: STAFF_ROLES,
    };
  }
  const LIST_QUERY = PageQuery(['after', 'before', 'size']);
  const LOCKOUTS_QUERY = PageQuery(['after', 'before', 'size', 'as_of']);
  /** Where a staff row's form returns: the page it was on (a cursor the list did not give out: the first page). */
  const staffPageAgain = (query: unknown) =>
    `/admin/staff${samePageQuery(readPageRequest(query, ACCOUNT_LIST_CURSOR).page)}`;
  app.get('/admin', { preHandler: mustBeStaff('admin') }, async (_req, reply) => {
    const counts = await accounts.countStaffAndOrganizations();
    return reply.page('admin/index', {
      titleKey: 'accounts.admin.index_title',
      staffCount: counts.staff,
      organizationCount: counts.organizations,
    });
  });
  app.get(
    '/admin/sign-in-lockouts',
    { preHandler: mustBeStaff('admin'), schema: { querystring: LOCKOUTS_QUERY } },
    async (req, reply) => {
      const { page } = readPageRequest(req.query, ACCOUNT_LIST_CURSOR);
      // Walked as it stood when its first page was read (?as_of=): see pageRecentLockouts.
      const lockouts = await accounts.pageRecentLockouts(
        page,
        typeof req.query.as_of === 'string' ? req.query.as_of : undefined,
      );
      const links = pageLinks('/admin/sign-in-lockouts', { as_of: lockouts.asOf }, lockouts, page);
      return reply.page('admin/sign-in-lockouts', {
        titleKey: 'accounts.lockouts.title',
        lockouts: lockouts.rows,
        ...links,
        // On a later page, the list is as of its first page's time; its own first page is the latest list.
        asOf: lockouts.snapshot ? lockouts.asOf : null,
        firstHref: links.firstHref ? '/admin/sign-in-lockouts' : null,
      });
    },
  );
  app.post(
    '/admin/staff/:id/deactivate',
    { preHandler: mustBeStaff('admin'), schema: { params: IdParams, querystring: LIST_QUERY, body: BUTTON } },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        req.body,
        async () => {
          await accounts.deactivateStaff(req.user!, req.params.id);
          req.session.flash = { kind: 'success', message: reply.t('accounts.admin.deactivated') };
          return staffPageAgain(req.query);
        },
        () => staffPage(req.query),
      ),
  );
  app.post(
    '/admin/staff/:id/reactivate',
    { preHandler: mustBeStaff('admin'), schema: { params: IdParams, querystring: LIST_QUERY, body: BUTTON } },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        {},
        async () => {
          const { name } = await accounts.reactivateStaff(req.user!, req.params.id);
          req.session.flash = { kind: 'success', message: reply.t('accounts.admin.reactivated', { name }) };
          return staffPageAgain(req.query);
        },
        () => staffPage(req.query),
      ),
  );
  app.post(
    '/admin/staff/:id/role',
    {
      preHandler: mustBeStaff('admin'),
      schema: { params: IdParams, querystring: LIST_QUERY, body: FormBody(['staff_role']) },
    },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        {},
        async () => {
          const done = await accounts.changeStaffRole(req.user!, req.params.id, req.body);
          const params = { name: done.name, role: reply.t(`accounts.staff_roles.${done.role}`) };
          req.session.flash = done.changed
            ? { kind: 'success', message: reply.t('accounts.admin.role_changed', params) }
            : { kind: 'info', message: reply.t('accounts.admin.role_unchanged', params) };
          return staffPageAgain(req.query);
        },
        () => staffPage(req.query),
      ),
  );
  app.post(
    '/admin/staff/:id/password-reset',
    { preHandler: mustBeStaff('admin'), schema: { params: IdParams, querystring: LIST_QUERY, body: BUTTON } },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        {},
        async () => {
          const { name } = await accounts.sendStaffPasswordReset(req.user!, req.params.id, req.locale);
          req.session.flash = { kind: 'success', message: reply.t('accounts.admin.reset_sent', { name }) };
          return staffPageAgain(req.query);
        },
        () => staffPage(req.query),
      ),
  );
  app.get(
    '/admin/staff',
    { preHandler: mustBeStaff('admin'), schema: { querystring: LIST_QUERY } },
    async (req, reply) => reply.page('admin/staff', { ...(await staffPage(req.query)), values: {} }),
  );
  app.post('/admin/staff', { preHandler: mustBeStaff('admin'), schema: { body: STAFF } }, async (req, reply) =>
    handleForm(
      reply,
      'admin/staff',
      req.body,
      async () => {
        await accounts.createStaff(req.user!, req.body);
        req.session.flash = { kind: 'success', message: reply.t('accounts.admin.created') };
        return '/admin/staff';
      },
      staffPage,
    ),
  );
};
export default accountsRoutes;
