// The sandbox page (/sandbox, organization members) and the admin page for issuing credentials
// (/admin/sandbox, administrators). Forms are post/redirect/get; a new client secret is shown once, on
// the response that created it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { CurrentUser } from '../accounts/types';
import type { AuditActor } from '../audit/service';
import { AppError } from '../http/errors';
import { handleForm, keepValues } from '../http/forms';
import { translateErrors } from '../http/views';
import { mustBeOrgMember, mustBeOrgOwner, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams, PageQuery, UuidParam } from '../http/route-schemas';
import { BANK_NAMES, bankName } from '../testbed/ledger/banks';
import { systemClock, type Clock } from '../clock';
import type { TestbedUsersService } from '../testbed/users/service';
import { quickStart } from './quick-start';
import { ORGANIZATIONS_CURSOR, SECRETS_CURSOR, type CredentialsService } from './service';
import { PEOPLE_CURSOR } from '../testbed/users/service';
import { namedPageLinks, pageLinks, readNamedPage, readPageRequest } from '../pagination/cursor';
import { stateForLink } from '../sandbox-console/callback-state';
import type { SandboxDefaultsQuery } from '../sandbox-console/console-defaults';

const actorOf = (u: CurrentUser): AuditActor => ({ userId: u.id, label: u.email });
const BANK_OPTIONS = Object.entries(BANK_NAMES)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => (a.code === '097' ? -1 : b.code === '097' ? 1 : a.code.localeCompare(b.code)));

interface SandboxRoutesOptions {
  credentials: Pick<
    CredentialsService,
    | 'overview'
    | 'createSecret'
    | 'revokeSecret'
    | 'revokeSandboxSet'
    | 'addCallbackUrl'
    | 'removeCallbackUrl'
    | 'adminList'
    | 'adminRow'
    | 'issueSandboxCredentials'
    | 'reissueSandboxSet'
    | 'setAllowSa'
  >;
  testbedUsers: Pick<TestbedUsersService, 'pageForOrganization' | 'createTestUser' | 'createTestAccount'>;
  /** The first-call panel's pre-filled accounts (src/sandbox-console/console-defaults.ts). */
  sandboxDefaults: SandboxDefaultsQuery;
  baseUrl: string;
  clock?: Clock;
}

const OrgIdParams = Type.Object({ orgId: UuidParam });
const BUTTON = FormBody([]);

const sandboxRoutes: FastifyPluginAsyncTypebox<SandboxRoutesOptions> = async (
  app,
  { credentials, testbedUsers, sandboxDefaults, baseUrl, clock = systemClock },
) => {
  checkSchemasAfterGuards(app);
  const catcherUrl = `${baseUrl}/sandbox/callback`;

  /**
   * `req` present: the page carries the first-call panel (its authorize link's state is remembered in the session).
   * The revoked and expired secrets are a page of 50 (`?secrets_after=` / `?secrets_before=` on a GET; a cursor
   * the list did not give out, or a form's answer, shows the first page).
   */
  async function sandboxPage(user: CurrentUser, extra: Record<string, unknown> = {}, req?: FastifyRequest) {
    const orgId = user.organizationId!;
    const historyRequest = readNamedPage(req?.method === 'GET' ? req.query : {}, 'secrets', SECRETS_CURSOR);
    const overview = await credentials.overview(orgId, { secretHistory: historyRequest });
    // The organization's own test people, 50 a page (?people_after= / ?people_before=), then, on the first page, the
    // shared ones.
    const peopleRequest = readNamedPage(req?.method === 'GET' ? req.query : {}, 'people', PEOPLE_CURSOR);
    const peoplePage = await testbedUsers.pageForOrganization(orgId, peopleRequest);
    const people = [...peoplePage.own.rows, ...(peoplePage.own.previous === null ? peoplePage.shared : [])];
    const catcherRegistered = overview.callbackUrls.some((c) => c.url === catcherUrl);
    const person = people.find((p) => !p.closed && p.accounts.length > 0) ?? null;
    const defaults = overview.sandbox ? await sandboxDefaults(orgId, null) : null;
    const newSecret = extra.newSecret as { secret: string } | undefined;
    const quick =
      overview.sandbox && req
        ? quickStart({
            baseUrl,
            clientId: overview.sandbox.clientId,
            clientUseCode: overview.sandbox.clientUseCode,
            callbackUrl: catcherRegistered ? catcherUrl : (overview.callbackUrls[0]?.url ?? null),
            clientSecret: newSecret?.secret ?? null,
            person: person ? { userSeqNo: person.userSeqNo, name: person.name } : null,
            collectionAccountNum: defaults?.collectionAccountNum ?? null,
            state: catcherRegistered ? stateForLink(req.session, clock().getTime()) : null,
            now: clock(),
          })
        : null;
    return {
      titleKey: 'sandbox.title',
      ...overview,
      contractAccounts: overview.contractAccounts.map((a) => ({ ...a, bankName: bankName(a.bankCode) })),
      people: people.map((p) => ({
        ...p,
        accounts: p.accounts.map((a) => ({ ...a, bankName: bankName(a.bankCode) })),
      })),
      peoplePager: namedPageLinks('/sandbox', 'people', 'people', peoplePage.own, peopleRequest),
      banks: BANK_OPTIONS,
      baseUrl,
      catcherUrl,
      catcherRegistered,
      isOwner: user.orgRole === 'owner',
      canCreateSecret: Boolean(overview.sandbox) && (overview.sandbox?.activeSecretCount ?? 0) < 2,
      secretHistoryPager: overview.sandbox
        ? namedPageLinks('/sandbox', 'secrets', 'secret-history', overview.sandbox.secretHistory, historyRequest)
        : null,
      quick,
      values: {},
      ...extra,
    };
  }

  const member = { preHandler: mustBeOrgMember };
  const render = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.page('credentials/sandbox', await sandboxPage(req.user!, extra, req), status);

  app.get(
    '/sandbox',
    { ...member, schema: { querystring: PageQuery(['secrets_after', 'secrets_before']) } },
    async (req, reply) => render(req, reply),
  );

  app.post('/sandbox/secrets', { ...member, schema: { body: FormBody(['expires_in_days']) } }, async (req, reply) => {
    try {
      const created = await credentials.createSecret(actorOf(req.user!), req.user!.organizationId!, req.body);
      // Shown once: rendered on this response only (in the secret panel and the first-call snippets), never
      // stored in the session or shown again.
      reply.header('Cache-Control', 'no-store');
      return await render(req, reply, { newSecret: created }, 201);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return render(
          req,
          reply,
          { errors: translateErrors(req.locale, err.details.fieldErrors ?? []), values: keepValues(req.body) },
          422,
        );
      }
      throw err;
    }
  });

  app.post(
    '/sandbox/secrets/:id/revoke',
    { ...member, schema: { params: IdParams, body: BUTTON } },
    async (req, reply) => {
      await credentials.revokeSecret(actorOf(req.user!), req.user!.organizationId!, req.params.id);
      req.session.flash = { kind: 'success', message: reply.t('sandbox.secrets.revoked') };
      return reply.redirect('/sandbox#secrets', 303);
    },
  );

  app.post(
    '/sandbox/revoke',
    { preHandler: mustBeOrgOwner, schema: { body: FormBody(['confirm']) } },
    async (req, reply) => {
      if (req.body.confirm !== 'yes') {
        return render(
          req,
          reply,
          { errors: [{ field: 'confirm', text: reply.t('sandbox.credentials.confirm_required') }] },
          422,
        );
      }
      await credentials.revokeSandboxSet(actorOf(req.user!), req.user!.organizationId!);
      req.session.flash = { kind: 'success', message: reply.t('sandbox.credentials.set_revoked') };
      return reply.redirect('/sandbox', 303);
    },
  );

  app.post('/sandbox/callbacks', { ...member, schema: { body: FormBody(['url']) } }, async (req, reply) =>
    handleForm(
      reply,
      'credentials/sandbox',
      req.body,
      async () => {
        await credentials.addCallbackUrl(actorOf(req.user!), req.user!.organizationId!, req.body);
        req.session.flash = { kind: 'success', message: reply.t('sandbox.callbacks.added') };
        return req.body.url === catcherUrl ? '/sandbox#first-call' : '/sandbox#callbacks';
      },
      () => sandboxPage(req.user!, {}, req),
    ),
  );

  app.post(
    '/sandbox/callbacks/:id/delete',
    { ...member, schema: { params: IdParams, body: BUTTON } },
    async (req, reply) => {
      await credentials.removeCallbackUrl(actorOf(req.user!), req.user!.organizationId!, req.params.id);
      req.session.flash = { kind: 'success', message: reply.t('sandbox.callbacks.removed') };
      return reply.redirect('/sandbox#callbacks', 303);
    },
  );

  const TEST_USER = FormBody(['name', 'birth_date', 'login_id', 'password', 'phone']);
  app.post('/sandbox/test-users', { ...member, schema: { body: TEST_USER } }, async (req, reply) =>
    handleForm(
      reply,
      'credentials/sandbox',
      req.body,
      async () => {
        const user = await testbedUsers.createTestUser(actorOf(req.user!), req.user!.organizationId!, req.body);
        req.session.flash = {
          kind: 'success',
          message: reply.t('sandbox.people.created', { name: user.name, user_seq_no: user.userSeqNo }),
        };
        return '/sandbox#people';
      },
      async () => ({ ...(await sandboxPage(req.user!)), formOpen: 'person' }),
    ),
  );

  const TEST_ACCOUNT = FormBody(['user_seq_no', 'bank_code', 'account_num', 'opening_balance', 'product_name']);
  app.post('/sandbox/test-accounts', { ...member, schema: { body: TEST_ACCOUNT } }, async (req, reply) =>
    handleForm(
      reply,
      'credentials/sandbox',
      req.body,
      async () => {
        const body = req.body;
        const { accountNum } = await testbedUsers.createTestAccount(
          actorOf(req.user!),
          req.user!.organizationId!,
          body.user_seq_no,
          body,
        );
        req.session.flash = {
          kind: 'success',
          message: reply.t('sandbox.people.account_opened', { account_num: accountNum }),
        };
        return '/sandbox#people';
      },
      () => sandboxPage(req.user!),
    ),
  );

  // ── Administrators: issue sandbox credentials by hand (normally issued when suitability is approved) ──
  const admin = { preHandler: mustBeStaff('admin') };
  // A page of the organizations, newest first (`?after=` / `?before=`; a cursor the list did not give out: the first).
  app.get(
    '/admin/sandbox',
    { ...admin, schema: { querystring: PageQuery(['after', 'before', 'size']) } },
    async (req, reply) => {
      const { page } = readPageRequest(req.query, ORGANIZATIONS_CURSOR);
      const organizations = await credentials.adminList(page);
      return reply.page('credentials/admin', {
        titleKey: 'sandbox.admin.title',
        organizations: organizations.rows,
        ...pageLinks('/admin/sandbox', {}, organizations, page),
      });
    },
  );

  app.post(
    '/admin/sandbox/:orgId/issue',
    { ...admin, schema: { params: OrgIdParams, body: BUTTON } },
    async (req, reply) => {
      const { orgId } = req.params;
      const row = await credentials.adminRow(orgId);
      if (!row) throw new AppError('not_found', 'organization');
      const actor = actorOf(req.user!);
      const issued = row.application
        ? await credentials.issueSandboxCredentials(row.application.id as string, undefined, actor)
        : await credentials.reissueSandboxSet(actor, orgId);
      req.session.flash = {
        kind: 'success',
        message: reply.t(issued.created ? 'sandbox.admin.issued' : 'sandbox.admin.already_issued', {
          code: issued.clientUseCode,
          name: row.name,
        }),
      };
      return reply.redirect('/admin/sandbox', 303);
    },
  );

  const SA = FormBody(['allow']);
  app.post('/admin/sandbox/:orgId/sa', { ...admin, schema: { params: OrgIdParams, body: SA } }, async (req, reply) => {
    const { orgId } = req.params;
    const allow = req.body.allow === 'Y';
    await credentials.setAllowSa(actorOf(req.user!), orgId, allow);
    req.session.flash = {
      kind: 'success',
      message: reply.t(allow ? 'sandbox.admin.sa_allowed' : 'sandbox.admin.sa_refused'),
    };
    return reply.redirect('/admin/sandbox', 303);
  });
};

export default sandboxRoutes;
