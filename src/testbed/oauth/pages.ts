// The browser side of GET /oauth/2.0/authorize: server-rendered pages, no JavaScript. Steps: test-user
// sign-in (login id + password stand in for the identity check) → choose accounts → consents (조회 동의;
// 출금동의 confirmed by simulated ARS or certificate) → 303 to redirect_uri with code, scope, client_info
// and state. Cancel anywhere → redirect_uri?error=access_denied. The flow lives in the portal session;
// forms are CSRF-protected by the portal's global check.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../clock';
import type { AccountsService } from '../../accounts/service';
import type { CredentialsService } from '../../credentials/service';
import { checkSchemasAfterGuards, FormBody, PageQuery } from '../../http/route-schemas';
import type { RequestLog } from '../common/request-log';
import type { TestbedUsersService } from '../users/service';
import type { OAuthService } from './service';
import { verifyPassword } from '../../accounts/password-hashing';
import { bankName } from '../ledger/banks';
import { scopeString } from './scopes';
import { allowFormActionTo } from './csp-form-action';
import { authorizeParams, clientAndRedirect, errorRedirect, successRedirect } from './authorize-request';
import { testbedContext } from '../common/request-context';
import { maskUrl } from '../common/secret-masking';

/** An unfinished authorization, kept in the session. */
interface AuthorizeFlow {
  id: string;
  credentialSetId: string;
  organizationId: string;
  organizationName: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  clientInfo: string | null;
  userSeqNo: string | null;
  userName: string | null;
  accountIds: string[] | null;
  arsCode: string;
  startedAt: number;
}

const FLOW_TTL_MS = 30 * 60 * 1000;
const BASE = '/oauth/2.0/authorize';
const html = { config: { testbedHtml: true } };

function needsAccounts(flow: AuthorizeFlow): boolean {
  return flow.scopes.includes('inquiry') || flow.scopes.includes('transfer');
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v ? [v] : [];
}

interface AuthorizePagesOptions {
  /** Which credential set a client is, and whether it may use a redirect URI. */
  credentials: Pick<CredentialsService, 'findUsableSetByClientId' | 'findSet' | 'isRegisteredRedirectUri'>;
  oauth: Pick<OAuthService, 'verifyReauthToken' | 'grantConsent'>;
  users: Pick<TestbedUsersService, 'findUser' | 'verifyLogin' | 'listPersonalAccounts' | 'isRegisteredFor'>;
  /** The consent pages name the client by its organization. */
  organizations: Pick<AccountsService, 'organizationName'>;
  requestLog: Pick<RequestLog, 'record'>;
  clock: Clock;
}

/** The authorize request's parameters (authorize-request.ts checks them, and refuses any given twice). */
const AUTHORIZE_QUERY = PageQuery([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'auth_type',
  'client_info',
  'cellphone_cert_yn',
  'authorized_cert_yn',
  'account_hold_auth_yn',
]);
const LOGIN = FormBody(['flow', 'login_id', 'password']);
const ACCOUNTS = FormBody(['flow', 'account_id']);
const CONSENT = FormBody([
  'flow',
  'agree_service',
  'agree_inquiry',
  'agree_transfer',
  'transfer_method',
  'ars_code',
  'cert_password',
]);
const CANCEL = FormBody(['flow']);

const authorizePages: FastifyPluginAsyncTypebox<AuthorizePagesOptions> = async (app, opts) => {
  const { credentials, oauth, users, organizations, requestLog, clock } = opts;
  checkSchemasAfterGuards(app);

  function errorPage(reply: FastifyReply, reason: string, status = 400) {
    return reply.page(
      'testbed/authorize-error',
      { titleKey: 'oauth.error.title', reasonKey: `oauth.error.${reason}` },
      status,
    );
  }

  function saveFlow(req: FastifyRequest, flow: AuthorizeFlow | null) {
    req.session.oauthFlow = flow;
  }

  /** The flow named by the form (or the current one for GETs); null when absent, expired or replaced. */
  function loadFlow(req: FastifyRequest, formFlowId?: unknown): AuthorizeFlow | null {
    const flow = req.session?.oauthFlow as AuthorizeFlow | null | undefined;
    if (!flow || typeof flow !== 'object') return null;
    if (clock().getTime() - flow.startedAt > FLOW_TTL_MS) return null;
    if (formFlowId !== undefined && formFlowId !== flow.id) return null;
    noteCaller(req, flow.organizationId, flow.credentialSetId, flow.userSeqNo);
    return flow;
  }

  /** Who the step is for, for the request log (the organization sees its users' authorize steps). */
  function noteCaller(req: FastifyRequest, organizationId: string, _credentialSetId: string, userSeqNo: string | null) {
    const ctx = testbedContext(req);
    ctx.organizationId = organizationId;
    ctx.userSeqNo = userSeqNo;
  }

  // Every step of the flow is recorded in the emulator's request log as API `authorize`: the request's
  // query or form (passwords masked), and the answer's status and redirect (the code masked). The consent
  // step's redirect carrying a code is the evidence that a test user completed the pages.
  app.addHook('onResponse', (req, reply, done) => {
    try {
      const ctx = req.testbedContext ?? null;
      const location = reply.getHeader('location');
      requestLog.record({
        organizationId: ctx?.organizationId ?? null,
        clientUseCode: ctx?.clientUseCode ?? null,
        method: req.method,
        path: req.url.split('?')[0]!,
        api: 'authorize',
        userSeqNo: ctx?.userSeqNo ?? null,
        rspCode: reply.statusCode < 400 ? null : String(reply.statusCode),
        bankRspCode: null,
        warnings: [],
        apiTranId: null,
        durationMs: reply.elapsedTime,
        contentType: req.headers['content-type'] ?? null,
        requestBody: req.method === 'GET' ? req.query : req.body,
        responseBody: {
          status: reply.statusCode,
          ...(typeof location === 'string' ? { location: maskUrl(location) } : {}),
        },
      });
    } finally {
      done();
    }
  });

  function pageData(flow: AuthorizeFlow, extra: Record<string, unknown> = {}) {
    return {
      flowId: flow.id,
      organizationName: flow.organizationName,
      scopes: flow.scopes,
      scopeText: scopeString(flow.scopes),
      wantsInquiry: flow.scopes.includes('inquiry'),
      wantsTransfer: flow.scopes.includes('transfer'),
      userName: flow.userName,
      cancelAction: `${BASE}/cancel`,
      ...extra,
    };
  }

  function render(
    reply: FastifyReply,
    flow: AuthorizeFlow,
    template: string,
    titleKey: string,
    data: Record<string, unknown> = {},
    status = 200,
  ) {
    allowFormActionTo(reply, flow.redirectUri);
    return reply.page(`testbed/${template}`, { titleKey, ...pageData(flow, data) }, status);
  }

  function nextStepAfterLogin(flow: AuthorizeFlow): string {
    return needsAccounts(flow) ? `${BASE}/accounts` : `${BASE}/consent`;
  }

  async function accountsFor(flow: AuthorizeFlow) {
    const accounts = await users.listPersonalAccounts(flow.userSeqNo!);
    const registered = new Set<string>();
    for (const a of accounts) if (await users.isRegisteredFor(flow.organizationId, a.id)) registered.add(a.id);
    return accounts.map((a) => ({
      ...a,
      bankName: bankName(a.bankCode),
      usable: a.status === 'active',
      registered: registered.has(a.id),
    }));
  }

  app.get(BASE, { ...html, schema: { querystring: AUTHORIZE_QUERY } }, async (req, reply) => {
    const q = req.query;
    const base = clientAndRedirect(q);
    if ('kind' in base) return errorPage(reply, base.reason);
    const set = await credentials.findUsableSetByClientId(base.clientId);
    if (!set) return errorPage(reply, 'client_invalid');
    noteCaller(req, set.organizationId, set.id, null);
    testbedContext(req).clientUseCode = set.clientUseCode;
    if (!(await credentials.isRegisteredRedirectUri(set.organizationId, base.redirectUri)))
      return errorPage(reply, 'redirect_unregistered');
    const params = authorizeParams(q, base);
    if ('kind' in params) {
      const state = typeof q.state === 'string' ? q.state : null;
      return reply.redirect(
        errorRedirect(base.redirectUri, { error: params.error, description: params.description, state }),
        302,
      );
    }
    const organizationName = await organizations.organizationName(set.organizationId);
    const flow: AuthorizeFlow = {
      id: crypto.randomUUID(),
      credentialSetId: set.id,
      organizationId: set.organizationId,
      organizationName: organizationName ?? set.clientUseCode,
      clientId: set.clientId,
      redirectUri: params.redirectUri,
      scopes: params.scopes,
      state: params.state,
      clientInfo: params.clientInfo,
      userSeqNo: null,
      userName: null,
      accountIds: null,
      arsCode: String(crypto.randomInt(10, 100)),
      startedAt: clock().getTime(),
    };
    if (params.authType === '2') {
      // Re-authentication skipped for a known user: the client proves it with the user's login-scope token.
      const seq = req.headers['kftc-bfop-userseqno'];
      const ci = req.headers['kftc-bfop-userci'];
      const token = req.headers['kftc-bfop-accesstoken'];
      const user = typeof seq === 'string' ? await users.findUser(seq) : undefined;
      const tokenValue = typeof token === 'string' ? token.replace(/^\s*bearer\s*/i, '') : '';
      const ok =
        user &&
        !user.closedAt &&
        typeof ci === 'string' &&
        ci === user.userCi &&
        tokenValue &&
        (await oauth.verifyReauthToken(set, { token: tokenValue, userSeqNo: user.userSeqNo }));
      if (!ok) {
        return reply.redirect(
          errorRedirect(flow.redirectUri, {
            error: 'access_denied',
            description:
              '[3002110] auth_type=2 needs valid Kftc-Bfop-UserSeqNo, Kftc-Bfop-UserCI and Kftc-Bfop-AccessToken headers',
            state: flow.state,
          }),
          302,
        );
      }
      flow.userSeqNo = user.userSeqNo;
      flow.userName = user.name;
      testbedContext(req).userSeqNo = user.userSeqNo;
      saveFlow(req, flow);
      return reply.redirect(nextStepAfterLogin(flow), 303);
    }
    saveFlow(req, flow);
    return render(reply, flow, 'authorize-login', 'oauth.login.title', { values: {} });
  });

  // Reloading or bookmarking a step lands on the step the flow is at (never a JSON answer).
  app.get(`${BASE}/login`, html, async (req, reply) => {
    const flow = loadFlow(req);
    if (!flow) return errorPage(reply, 'expired');
    if (flow.userSeqNo) return reply.redirect(nextStepAfterLogin(flow), 303);
    return render(reply, flow, 'authorize-login', 'oauth.login.title', { values: {} });
  });
  app.get(`${BASE}/cancel`, html, async (req, reply) => {
    const flow = loadFlow(req);
    if (!flow) return errorPage(reply, 'expired');
    return reply.redirect(flow.userSeqNo ? nextStepAfterLogin(flow) : `${BASE}/login`, 303);
  });

  app.post(`${BASE}/login`, { ...html, schema: { body: LOGIN } }, async (req, reply) => {
    const body = req.body;
    const flow = loadFlow(req, body.flow);
    if (!flow) return errorPage(reply, 'expired');
    const user = await users.verifyLogin(flow.organizationId, body.login_id, body.password);
    if (!user) {
      const loginId = typeof body.login_id === 'string' ? body.login_id.slice(0, 50) : '';
      return render(
        reply,
        flow,
        'authorize-login',
        'oauth.login.title',
        { values: { login_id: loginId }, errors: [{ field: 'login_id', text: reply.t('oauth.login.failed') }] },
        422,
      );
    }
    flow.userSeqNo = user.userSeqNo;
    testbedContext(req).userSeqNo = user.userSeqNo;
    flow.userName = user.name;
    saveFlow(req, flow);
    return reply.redirect(nextStepAfterLogin(flow), 303);
  });

  app.get(`${BASE}/accounts`, html, async (req, reply) => {
    const flow = loadFlow(req);
    if (!flow) return errorPage(reply, 'expired');
    if (!flow.userSeqNo) return render(reply, flow, 'authorize-login', 'oauth.login.title', { values: {} });
    const accounts = await accountsFor(flow);
    const chosen = flow.accountIds ?? accounts.filter((a) => a.usable).map((a) => a.id);
    return render(reply, flow, 'authorize-accounts', 'oauth.accounts.title', {
      accounts: accounts.map((a) => ({ ...a, checked: chosen.includes(a.id) })),
    });
  });

  app.post(`${BASE}/accounts`, { ...html, schema: { body: ACCOUNTS } }, async (req, reply) => {
    const body = req.body;
    const flow = loadFlow(req, body.flow);
    if (!flow?.userSeqNo) return errorPage(reply, 'expired');
    const accounts = await accountsFor(flow);
    const usable = new Set(accounts.filter((a) => a.usable).map((a) => a.id));
    const picked = [...new Set(list(body.account_id))];
    if (picked.length === 0 || !picked.every((id) => usable.has(id))) {
      return render(
        reply,
        flow,
        'authorize-accounts',
        'oauth.accounts.title',
        {
          accounts: accounts.map((a) => ({ ...a, checked: picked.includes(a.id) })),
          errors: [{ field: 'account_id', text: reply.t('oauth.accounts.choose_one') }],
        },
        422,
      );
    }
    flow.accountIds = picked;
    saveFlow(req, flow);
    return reply.redirect(`${BASE}/consent`, 303);
  });

  async function consentData(flow: AuthorizeFlow) {
    const accounts = needsAccounts(flow)
      ? (await accountsFor(flow)).filter((a) => flow.accountIds?.includes(a.id))
      : [];
    return { accounts, arsCode: flow.arsCode };
  }

  app.get(`${BASE}/consent`, html, async (req, reply) => {
    const flow = loadFlow(req);
    if (!flow) return errorPage(reply, 'expired');
    if (!flow.userSeqNo) return errorPage(reply, 'expired');
    if (needsAccounts(flow) && !flow.accountIds) return reply.redirect(`${BASE}/accounts`, 303);
    return render(reply, flow, 'authorize-consent', 'oauth.consent.title', {
      ...(await consentData(flow)),
      values: { transfer_method: 'ars' },
    });
  });

  app.post(`${BASE}/consent`, { ...html, schema: { body: CONSENT } }, async (req, reply) => {
    const body = req.body;
    const flow = loadFlow(req, body.flow);
    if (!flow?.userSeqNo || (needsAccounts(flow) && !flow.accountIds)) return errorPage(reply, 'expired');
    const errors: { field: string; text: string }[] = [];
    if (body.agree_service !== 'Y')
      errors.push({ field: 'agree_service', text: reply.t('oauth.consent.service_required') });
    const wantsInquiry = flow.scopes.includes('inquiry');
    const wantsTransfer = flow.scopes.includes('transfer');
    if (wantsInquiry && body.agree_inquiry !== 'Y')
      errors.push({ field: 'agree_inquiry', text: reply.t('oauth.consent.inquiry_required') });
    const method = body.transfer_method === 'certificate' ? 'certificate' : 'ars';
    if (wantsTransfer) {
      if (body.agree_transfer !== 'Y')
        errors.push({ field: 'agree_transfer', text: reply.t('oauth.consent.transfer_required') });
      else if (method === 'ars' && body.ars_code !== flow.arsCode)
        errors.push({ field: 'ars_code', text: reply.t('oauth.consent.ars_wrong') });
      else if (method === 'certificate') {
        const user = await users.findUser(flow.userSeqNo);
        const pw = typeof body.cert_password === 'string' ? body.cert_password.slice(0, 201) : '';
        if (!user || !pw || !(await verifyPassword(pw, user.passwordHash)))
          errors.push({ field: 'cert_password', text: reply.t('oauth.consent.certificate_wrong') });
      }
    }
    if (errors.length) {
      return render(
        reply,
        flow,
        'authorize-consent',
        'oauth.consent.title',
        {
          ...(await consentData(flow)),
          errors,
          values: {
            agree_service: body.agree_service === 'Y',
            agree_inquiry: body.agree_inquiry === 'Y',
            agree_transfer: body.agree_transfer === 'Y',
            transfer_method: method,
          },
        },
        422,
      );
    }
    const set = await credentials.findSet(flow.credentialSetId);
    if (set?.status !== 'active' || !(await credentials.isRegisteredRedirectUri(set.organizationId, flow.redirectUri)))
      return errorPage(reply, 'client_invalid');
    const user = await users.findUser(flow.userSeqNo);
    if (!user || user.closedAt) return errorPage(reply, 'expired');
    const code = await oauth.grantConsent({
      set,
      redirectUri: flow.redirectUri,
      userSeqNo: user.userSeqNo,
      scopes: flow.scopes,
      bankAccountIds: flow.accountIds ?? [],
      transferMethod: method,
    });
    saveFlow(req, null);
    return reply.redirect(
      successRedirect(flow.redirectUri, {
        code,
        scope: scopeString(flow.scopes),
        clientInfo: flow.clientInfo,
        state: flow.state,
      }),
      303,
    );
  });

  app.post(`${BASE}/cancel`, { ...html, schema: { body: CANCEL } }, async (req, reply) => {
    const body = req.body;
    const flow = loadFlow(req, body.flow);
    if (!flow) return errorPage(reply, 'expired');
    saveFlow(req, null);
    return reply.redirect(
      errorRedirect(flow.redirectUri, {
        error: 'access_denied',
        description: reply.t('oauth.cancelled_description'),
        state: flow.state,
      }),
      303,
    );
  });
};

export default authorizePages;
