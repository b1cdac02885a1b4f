// The developer's first calls, from the portal alone (organization members):
// - /sandbox/callback — the callback catcher: where the authorize flow of the sandbox page's link lands.
//   It checks the state (callback-state.ts), shows the code (or the refused consent's error), and
//   exchanges the code with one button (the developer types the client secret; it is used for that one
//   call and never stored). The user token is kept in the portal session for the console.
// - /sandbox/console — the API console: a form per service API (console-form.ts), sent through
//   app.inject() to the real emulator routes, so the call passes the emulator's hooks and lands in the
//   request log under the organization; the exact request and answer are shown, the codes explained.
// Tokens live in the session (server side) only; oob tokens are issued for the organization's active
// sandbox set by oauth.issuePortalConsoleToken (no secret; logged as grant type `portal_console`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../clock';
import type { CredentialsService } from '../credentials/service';
import type { OAuthService } from '../testbed/oauth/service';
import type { RequestLog } from '../testbed/common/request-log';
import type { TestbedUsersService } from '../testbed/users/service';
import { mustBeOrgMember } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, OpenFormBody, PageQuery } from '../http/route-schemas';
import { KftcError } from '../testbed/common/kftc-error';
import { codeExplanation, docsLinkFor } from '../sandbox-requests/request-presentation';
import { consumeState, isKnownState } from './callback-state';
import {
  applyScenario,
  buildRequest,
  CONSOLE_APIS,
  consoleFields,
  findConsoleApi,
  needsUserToken,
  postedValues,
  scenariosFor,
} from './console-form';
import type { SandboxDefaultsQuery } from './console-defaults';
import { maskToken } from './token-display';

interface SandboxConsoleOptions {
  credentials: Pick<CredentialsService, 'activeSet'>;
  oauth: Pick<OAuthService, 'issuePortalConsoleToken'>;
  requestLog: Pick<RequestLog, 'record'>;
  testbedUsers: Pick<TestbedUsersService, 'personFor'>;
  sandboxDefaults: SandboxDefaultsQuery;
  baseUrl: string;
  clock: Clock;
}

interface ConsoleToken {
  accessToken: string;
  userSeqNo: string | null;
  scope: string;
  expiresAt: number;
}

const text = (v: unknown, max = 500) => (typeof v === 'string' ? v.slice(0, max) : '');

/** A call to the emulator as a client makes it (through the real routes and their hooks). */
async function callEmulator(
  app: FastifyInstance,
  req: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: string },
) {
  const res = await app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload });
  let json: unknown = null;
  try {
    json = res.json();
  } catch {
    json = null;
  }
  return {
    status: res.statusCode,
    contentType: String(res.headers['content-type'] ?? ''),
    warning: res.headers['x-testbed-warning'] ? String(res.headers['x-testbed-warning']) : null,
    json,
    raw: res.body,
  };
}

const CALLBACK_QUERY = PageQuery(['state', 'code', 'scope', 'client_info', 'error', 'error_description']);
const EXCHANGE = FormBody(['state', 'code', 'client_secret']);
/** The console's fields are named by the API chosen (console-form.ts picks the ones it knows). */
const CONSOLE = OpenFormBody(['api']);

const sandboxConsoleRoutes: FastifyPluginAsyncTypebox<SandboxConsoleOptions> = async (app, opts) => {
  const { credentials, oauth, requestLog, testbedUsers, sandboxDefaults, baseUrl, clock } = opts;
  checkSchemasAfterGuards(app);
  const catcherUrl = `${baseUrl}/sandbox/callback`;
  const member = { preHandler: mustBeOrgMember };
  const nowMs = () => clock().getTime();

  function userToken(req: FastifyRequest): ConsoleToken | null {
    const t = req.session.sandboxUserToken as ConsoleToken | undefined;
    return t && typeof t.accessToken === 'string' && t.expiresAt > nowMs() ? t : null;
  }

  /** The organization's oob token for the console: kept in the session, issued on the spot when missing. */
  async function oobToken(req: FastifyRequest): Promise<string> {
    const kept = req.session.sandboxOobToken as ConsoleToken | undefined;
    if (kept && typeof kept.accessToken === 'string' && kept.expiresAt > nowMs()) return kept.accessToken;
    const orgId = req.user!.organizationId!;
    const started = performance.now();
    const issued = await oauth.issuePortalConsoleToken(orgId);
    requestLog.record({
      organizationId: orgId,
      clientUseCode: issued.client_use_code,
      method: 'POST',
      path: '/oauth/2.0/token',
      api: 'oauth_token',
      grantType: 'portal_console',
      rspCode: null,
      bankRspCode: null,
      warnings: [`issued by the portal's API console for ${req.user!.email} (no client secret)`],
      apiTranId: null,
      durationMs: performance.now() - started,
      requestBody: { grant_type: 'portal_console', scope: 'oob' },
      responseBody: issued,
    });
    req.session.sandboxOobToken = {
      accessToken: issued.access_token,
      userSeqNo: null,
      scope: 'oob',
      expiresAt: nowMs() + issued.expires_in * 1000,
    } satisfies ConsoleToken;
    return issued.access_token;
  }

  // ── the callback catcher ──
  app.get('/sandbox/callback', { ...member, schema: { querystring: CALLBACK_QUERY } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const q = req.query;
    const state = text(q.state, 100);
    const known = isKnownState(req.session, state, nowMs());
    const error = text(q.error, 100);
    const data = {
      titleKey: 'sandbox.catcher.title',
      state,
      stateKnown: known,
      error,
      errorDescription: text(q.error_description, 500),
      code: text(q.code, 200),
      scope: text(q.scope, 200),
      clientInfo: text(q.client_info, 256),
      catcherUrl,
    };
    if (!known) return reply.page('sandbox-console/callback', { ...data, refused: true }, 400);
    return reply.page('sandbox-console/callback', data);
  });

  app.post('/sandbox/callback/exchange', { ...member, schema: { body: EXCHANGE } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const body = req.body;
    const state = text(body.state, 100);
    const code = text(body.code, 200);
    const secret = text(body.client_secret, 200).trim();
    const base = {
      titleKey: 'sandbox.catcher.title',
      state,
      code,
      catcherUrl,
      stateKnown: isKnownState(req.session, state, nowMs()),
    };
    if (!base.stateKnown) return reply.page('sandbox-console/callback', { ...base, refused: true }, 400);
    if (!code || !secret) {
      const errors = [
        ...(!code ? [{ field: 'code', text: reply.t('sandbox.catcher.code_missing') }] : []),
        ...(!secret ? [{ field: 'client_secret', text: reply.t('sandbox.catcher.secret_missing') }] : []),
      ];
      return reply.page('sandbox-console/callback', { ...base, errors }, 422);
    }
    const set = await credentials.activeSet(req.user!.organizationId!, 'sandbox');
    if (!set)
      return reply.page(
        'sandbox-console/callback',
        { ...base, errors: [{ field: 'client_secret', text: reply.t('sandbox.credentials.not_issued') }] },
        422,
      );
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: set.clientId,
      client_secret: secret,
      code,
      redirect_uri: catcherUrl,
    });
    const answer = await callEmulator(app, {
      method: 'POST',
      url: '/oauth/2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      payload: form.toString(),
    });
    const json = (answer.json ?? {}) as Record<string, unknown>;
    const ok = typeof json.access_token === 'string';
    if (ok) {
      consumeState(req.session, state, nowMs());
      req.session.sandboxUserToken = {
        accessToken: json.access_token as string,
        userSeqNo: typeof json.user_seq_no === 'string' ? json.user_seq_no : null,
        scope: String(json.scope ?? ''),
        expiresAt: nowMs() + Number(json.expires_in ?? 0) * 1000,
      } satisfies ConsoleToken;
    }
    return reply.page('sandbox-console/callback', {
      ...base,
      exchanged: true,
      ok,
      answerJson: JSON.stringify(json, null, 2),
      userSeqNo: json.user_seq_no,
      codes: ok ? [] : codeExplanation(typeof json.rsp_code === 'string' ? json.rsp_code : null, null),
    });
  });

  // ── the API console ──
  async function consolePage(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: {
      apiKey?: string;
      given?: Record<string, string>;
      scenarioId?: string;
      result?: Record<string, unknown>;
      status?: number;
    } = {},
  ) {
    const orgId = req.user!.organizationId!;
    const set = await credentials.activeSet(orgId, 'sandbox');
    const token = userToken(req);
    const api = findConsoleApi(extra.apiKey) ?? CONSOLE_APIS[0]!;
    const apis = CONSOLE_APIS.map((a) => ({
      key: a.key,
      title: a.title,
      method: a.method,
      path: a.path,
      needsUser: needsUserToken(a),
      selected: a.key === api.key,
    }));
    if (!set)
      return reply.page(
        'sandbox-console/console',
        { titleKey: 'sandbox.console.title', noCredentials: true, apis },
        extra.status ?? 200,
      );
    const d = await sandboxDefaults(orgId, token?.userSeqNo ?? null);
    const person = token?.userSeqNo ? await testbedUsers.personFor(orgId, token.userSeqNo) : undefined;
    const fields = consoleFields(
      api,
      {
        clientUseCode: set.clientUseCode,
        now: clock(),
        fintechUseNum: d.fintechUseNum,
        userSeqNo: token?.userSeqNo ?? null,
        personName: person?.name ?? null,
        collectionAccountNum: d.collectionAccountNum,
        payingAccountNum: d.payingAccountNum,
      },
      extra.given,
    );
    const scenarios = scenariosFor(api);
    const chosen = extra.scenarioId ? scenarios.find((s) => s.id === extra.scenarioId) : undefined;
    const changed = chosen && !extra.given ? applyScenario(fields, chosen) : [];
    return reply.page(
      'sandbox-console/console',
      {
        titleKey: 'sandbox.console.title',
        apis,
        api: { ...api, needsUser: needsUserToken(api), docsHref: docsLinkFor(api.key) },
        fields: fields.map((f) => ({ ...f, changed: changed.includes(f.name) })),
        scenarios: scenarios.map((s) => ({
          id: s.id,
          rspCode: s.rspCode,
          bankRspCode: s.bankRspCode ?? null,
          trigger: s.trigger.value,
          selected: s.id === chosen?.id,
        })),
        scenario: chosen ? { id: chosen.id } : null,
        userToken: token
          ? { userSeqNo: token.userSeqNo, scope: token.scope, hint: maskToken(token.accessToken) }
          : null,
        missingUserToken: needsUserToken(api) && !token,
        ...(extra.result ?? {}),
      },
      extra.status ?? 200,
    );
  }

  app.get(
    '/sandbox/console',
    { ...member, schema: { querystring: PageQuery(['api', 'scenario']) } },
    async (req, reply) => {
      const q = req.query;
      return consolePage(req, reply, { apiKey: text(q.api, 40), scenarioId: text(q.scenario, 60) || undefined });
    },
  );

  app.post('/sandbox/console', { ...member, schema: { body: CONSOLE } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const body = req.body;
    const api = findConsoleApi(body.api);
    if (!api)
      return consolePage(req, reply, {
        status: 422,
        result: { errors: [{ field: 'api', text: reply.t('sandbox.console.api_missing') }] },
      });
    const given = postedValues(api, body);
    let token: string;
    if (needsUserToken(api)) {
      const t = userToken(req);
      if (!t)
        return consolePage(req, reply, {
          apiKey: api.key,
          given,
          status: 422,
          result: { errors: [{ field: 'token', text: reply.t('sandbox.console.token_missing') }] },
        });
      token = t.accessToken;
    } else {
      try {
        token = await oobToken(req);
      } catch (err) {
        if (err instanceof KftcError)
          return consolePage(req, reply, {
            apiKey: api.key,
            given,
            status: 422,
            result: { errors: [{ field: 'token', text: reply.t('sandbox.console.no_oob', { code: err.rspCode }) }] },
          });
        throw err;
      }
    }
    const request = buildRequest(api, given);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (request.body) headers['content-type'] = 'application/json; charset=UTF-8';
    const payload = request.body ? JSON.stringify(request.body) : undefined;
    const answer = await callEmulator(app, { method: api.method, url: request.url, headers, payload });
    const json = (answer.json ?? {}) as Record<string, unknown>;
    const rsp = typeof json.rsp_code === 'string' ? json.rsp_code : null;
    const firstItem = Array.isArray(json.res_list)
      ? (json.res_list[0] as Record<string, unknown> | undefined)
      : undefined;
    const bank =
      typeof json.bank_rsp_code === 'string'
        ? json.bank_rsp_code
        : typeof firstItem?.bank_rsp_code === 'string'
          ? (firstItem.bank_rsp_code as string)
          : null;
    const requestText = [
      `${api.method} ${baseUrl}${request.url}`,
      `Authorization: Bearer ${maskToken(token)}`,
      ...(payload ? ['Content-Type: application/json; charset=UTF-8', '', JSON.stringify(request.body, null, 2)] : []),
    ].join('\n');
    return consolePage(req, reply, {
      apiKey: api.key,
      given,
      result: {
        sent: true,
        requestText,
        responseStatus: answer.status,
        responseWarning: answer.warning,
        responseJson: answer.json === null ? answer.raw : JSON.stringify(answer.json, null, 2),
        rspCode: rsp,
        success: rsp === 'A0000',
        codes: codeExplanation(rsp, bank),
      },
    });
  });

  app.post('/sandbox/console/forget', { ...member, schema: { body: FormBody([]) } }, async (req, reply) => {
    req.session.sandboxUserToken = undefined;
    req.session.sandboxOobToken = undefined;
    req.session.flash = { kind: 'success', message: reply.t('sandbox.console.forgotten') };
    return reply.redirect('/sandbox/console', 303);
  });
};

export default sandboxConsoleRoutes;
