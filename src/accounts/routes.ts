// Sign-up, sign-in, sign-out, password reset, the account page (password, members, invites) and the staff admin page.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services';
import { AppError } from '../http/errors';
import { handleForm, str } from '../http/forms';
import { translateErrors } from '../http/views';
import { mustBeOrgOwner, mustBeSignedIn, mustBeStaff } from '../http/guards';
import { STAFF_ROLES, type CurrentUser } from './types';
import { SignInThrottled } from './service';
import { logSignInRefusal } from './sign-in-refusal-log';

/** Only same-site relative paths are followed after sign-in. */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) ? v : '/';
}

async function startSession(req: FastifyRequest, user: CurrentUser) {
  await req.session.regenerate(); // new session id on sign-in: no fixation
  req.session.userId = user.id;
}

const accountsRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const { accounts } = services;

  app.get('/signup', async (req, reply) => {
    if (req.user) return reply.redirect('/', 303);
    return reply.page('accounts/signup', { titleKey: 'accounts.signup.title', values: {} });
  });
  // The same answer for a new and a registered address (sign-up-confirmation.ts): a redirect to "check your e-mail".
  app.post('/signup', async (req, reply) =>
    handleForm(
      reply,
      'accounts/signup',
      req.body,
      async () => {
        await accounts.requestSignup(req.body as Record<string, unknown>, req.locale);
        return '/signup/check-email';
      },
      { titleKey: 'accounts.signup.title' },
    ),
  );
  app.get('/signup/check-email', async (_req, reply) =>
    reply.page('accounts/signup-sent', { titleKey: 'accounts.signup.sent_title' }),
  );
  app.get<{ Params: { token: string } }>('/signup/confirm/:token', async (req, reply) => {
    const pending = await accounts.findUsableSignup(req.params.token);
    if (!pending) throw new AppError('not_found', 'accounts.errors.signup_link_invalid');
    return reply.page('accounts/signup-confirm', {
      titleKey: 'accounts.signup.confirm_title',
      pending,
      token: req.params.token,
    });
  });
  // Confirming is a POST (a button on the page the link opens): mail scanners that follow links create nothing.
  app.post<{ Params: { token: string } }>('/signup/confirm/:token', async (req, reply) => {
    const user = await accounts.confirmSignup(req.params.token);
    await startSession(req, user);
    req.session.flash = { kind: 'success', message: reply.t('accounts.signup.welcome', { name: user.name }) };
    return reply.redirect('/', 303);
  });

  app.get('/login', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.user) return reply.redirect(next, 303);
    return reply.page('accounts/login', { titleKey: 'accounts.login.title', values: { next } });
  });
  app.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
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
  app.post('/password-reset', async (req, reply) =>
    handleForm(
      reply,
      'accounts/password-reset',
      req.body,
      async () => {
        await accounts.requestPasswordReset(req.body as Record<string, unknown>, req.ip, req.locale);
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
  app.get<{ Params: { token: string } }>('/password-reset/:token', async (req, reply) => {
    const pending = await accounts.findUsablePasswordReset(req.params.token);
    if (!pending) return invalidLink(reply);
    return reply.page('accounts/password-reset-set', {
      titleKey: 'accounts.password_reset.set_title',
      email: pending.email,
      token: req.params.token,
      values: {},
    });
  });
  app.post<{ Params: { token: string } }>('/password-reset/:token', async (req, reply) => {
    const pending = await accounts.findUsablePasswordReset(req.params.token);
    if (!pending) return invalidLink(reply);
    return handleForm(
      reply,
      'accounts/password-reset-set',
      req.body,
      async () => {
        const done = await accounts.resetPassword(req.params.token, req.body as Record<string, unknown>);
        // This browser's session, if it was the user's, ended with the others: start an anonymous one for the message.
        if (req.session.userId === done.userId) await req.session.regenerate();
        req.session.flash = { kind: 'success', message: reply.t('accounts.password_reset.done') };
        return '/login';
      },
      { titleKey: 'accounts.password_reset.set_title', email: pending.email, token: req.params.token },
    );
  });

  app.post('/logout', async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/', 303);
  });

  async function accountPage(user: CurrentUser) {
    const members = user.organizationId ? await accounts.repo.listMembers(user.organizationId) : [];
    const invites =
      user.organizationId && user.orgRole === 'owner'
        ? await accounts.repo.listOpenInvites(user.organizationId, new Date().toISOString())
        : [];
    return { titleKey: 'accounts.account.title', members, invites, isOwner: user.orgRole === 'owner' };
  }

  app.get('/account', { preHandler: mustBeSignedIn }, async (req, reply) =>
    reply.page('accounts/account', await accountPage(req.user!)),
  );

  app.post('/account/password', { preHandler: mustBeSignedIn }, async (req, reply) =>
    handleForm(
      reply,
      'accounts/account',
      req.body,
      async () => {
        await accounts.changePassword(req.user!.id, req.body as Record<string, unknown>, req.session.sessionId);
        req.session.flash = { kind: 'success', message: reply.t('accounts.account.password_changed') };
        return '/account';
      },
      () => accountPage(req.user!),
    ),
  );

  app.post('/account/invites', { preHandler: mustBeOrgOwner }, async (req, reply) => {
    const { token } = await accounts.createInvite(req.user!);
    // The link is shown once, on this response only.
    return reply.page(
      'accounts/account',
      { ...(await accountPage(req.user!)), newInviteUrl: `${app.config.baseUrl}/invite/${token}` },
      201,
    );
  });

  app.post<{ Params: { id: string } }>(
    '/account/invites/:id/revoke',
    { preHandler: mustBeOrgOwner },
    async (req, reply) => {
      await accounts.revokeInvite(req.user!, req.params.id);
      return reply.redirect('/account', 303);
    },
  );

  app.get<{ Params: { token: string } }>('/invite/:token', async (req, reply) => {
    const invite = await accounts.findUsableInvite(req.params.token);
    if (!invite) throw new AppError('not_found', 'invite');
    return reply.page('accounts/invite', {
      titleKey: 'accounts.invite.title',
      organizationName: invite.organizationName,
      token: req.params.token,
      values: {},
    });
  });
  app.post<{ Params: { token: string } }>('/invite/:token', async (req, reply) => {
    const invite = await accounts.findUsableInvite(req.params.token);
    if (!invite) throw new AppError('not_found', 'invite');
    return handleForm(
      reply,
      'accounts/invite',
      req.body,
      async () => {
        const user = await accounts.acceptInvite(req.params.token, req.body as Record<string, unknown>);
        await startSession(req, user);
        return '/';
      },
      { titleKey: 'accounts.invite.title', organizationName: invite.organizationName, token: req.params.token },
    );
  });

  async function staffPage() {
    const staff = (await accounts.repo.listStaff()).map((s) => ({
      id: s.id,
      email: s.email,
      name: s.name,
      role: s.staff_role,
      createdAt: s.created_at,
      active: !s.disabled,
    }));
    return { titleKey: 'accounts.admin.title', staff, roles: STAFF_ROLES };
  }
  app.get('/admin', { preHandler: mustBeStaff('admin') }, async (_req, reply) => {
    const counts = await Promise.all([
      app.db('users').whereNotNull('staff_role').count<{ n: number | string }[]>({ n: '*' }).first(),
      app.db('organizations').count<{ n: number | string }[]>({ n: '*' }).first(),
    ]);
    return reply.page('admin/index', {
      titleKey: 'accounts.admin.index_title',
      staffCount: Number(counts[0]?.n ?? 0),
      organizationCount: Number(counts[1]?.n ?? 0),
    });
  });
  app.get('/admin/sign-in-lockouts', { preHandler: mustBeStaff('admin') }, async (_req, reply) => {
    const nowIso = new Date().toISOString();
    const lockouts = (await accounts.recentLockouts()).map((l) => ({
      scope: l.scope,
      email: l.email,
      ip: l.ip,
      failures: Number(l.failures),
      firstAt: l.first_at,
      lastAt: l.last_at,
      lockedUntil: l.locked_until,
      active: l.locked_until > nowIso,
    }));
    return reply.page('admin/sign-in-lockouts', { titleKey: 'accounts.lockouts.title', lockouts });
  });
  app.post<{ Params: { id: string } }>(
    '/admin/staff/:id/deactivate',
    { preHandler: mustBeStaff('admin') },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        req.body,
        async () => {
          await accounts.deactivateStaff(req.user!, req.params.id);
          req.session.flash = { kind: 'success', message: reply.t('accounts.admin.deactivated') };
          return '/admin/staff';
        },
        staffPage,
      ),
  );
  app.post<{ Params: { id: string } }>(
    '/admin/staff/:id/reactivate',
    { preHandler: mustBeStaff('admin') },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        {},
        async () => {
          const { name } = await accounts.reactivateStaff(req.user!, req.params.id);
          req.session.flash = { kind: 'success', message: reply.t('accounts.admin.reactivated', { name }) };
          return '/admin/staff';
        },
        staffPage,
      ),
  );
  app.post<{ Params: { id: string } }>(
    '/admin/staff/:id/role',
    { preHandler: mustBeStaff('admin') },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        {},
        async () => {
          const done = await accounts.changeStaffRole(req.user!, req.params.id, req.body as Record<string, unknown>);
          const params = { name: done.name, role: reply.t(`accounts.staff_roles.${done.role}`) };
          req.session.flash = done.changed
            ? { kind: 'success', message: reply.t('accounts.admin.role_changed', params) }
            : { kind: 'info', message: reply.t('accounts.admin.role_unchanged', params) };
          return '/admin/staff';
        },
        staffPage,
      ),
  );
  app.post<{ Params: { id: string } }>(
    '/admin/staff/:id/password-reset',
    { preHandler: mustBeStaff('admin') },
    async (req, reply) =>
      handleForm(
        reply,
        'admin/staff',
        {},
        async () => {
          const { name } = await accounts.sendStaffPasswordReset(req.user!, req.params.id, req.locale);
          req.session.flash = { kind: 'success', message: reply.t('accounts.admin.reset_sent', { name }) };
          return '/admin/staff';
        },
        staffPage,
      ),
  );
  app.get('/admin/staff', { preHandler: mustBeStaff('admin') }, async (_req, reply) =>
    reply.page('admin/staff', { ...(await staffPage()), values: {} }),
  );
  app.post('/admin/staff', { preHandler: mustBeStaff('admin') }, async (req, reply) =>
    handleForm(
      reply,
      'admin/staff',
      req.body,
      async () => {
        await accounts.createStaff(req.user!, req.body as Record<string, unknown>);
        req.session.flash = { kind: 'success', message: reply.t('accounts.admin.created') };
        return '/admin/staff';
      },
      staffPage,
    ),
  );
};
export default accountsRoutes;
