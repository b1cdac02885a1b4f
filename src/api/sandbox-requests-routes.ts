// /api/v1/sandbox/requests: the organization's own test-bed calls from the emulator's request log
// (newest first, cursor-paginated), and /api/v1/applications/:id/conformance: the testing stage's
// scenario checklist judged from that log. Same services, filters and rules as the pages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { RequestDetail, RequestLogQueries, RequestSummary } from '../testbed/common/request-log-queries';
import type { WorkflowService } from '../workflow/service';
import { AppError, validationFailed } from '../http/errors';
import { parseRequestFilters } from '../sandbox-requests/request-filters';
import { apiUser } from './authentication';
import { AUTHED_ERRORS, Closed, errors, IdParams } from './schemas';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const Summary = Type.Object({
  id: Type.Integer({ description: 'The request id (also the cursor: pass the last id as `before` for the next page)' }),
  at: Type.String({ description: 'ISO-8601 UTC' }),
  method: Type.String(),
  path: Type.String(),
  api: NullableString,
  grant_type: NullableString,
  rsp_code: NullableString,
  bank_rsp_code: NullableString,
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  bank_tran_id: NullableString,
  user_seq_no: NullableString,
});
const Detail = Type.Intersect([
  Summary,
  Type.Object({
    api_tran_id: NullableString,
    success: Type.Boolean(),
    warnings: Type.Array(Type.String()),
    request_headers: Type.Record(Type.String(), Type.String()),
    request_body: Type.Unknown({ description: 'The query string (GET) or the form/JSON body, secrets masked' }),
    response_body: Type.Unknown({ description: 'The answer sent, secrets masked' }),
  }),
]);
const ListQuery = Closed({
  api: Type.Optional(Type.String({ description: 'API key: balance, withdraw, oauth_token, authorize, …' })),
  rsp_code: Type.Optional(Type.String({ description: 'success, error, or one rsp_code (A0002, O0001, …)' })),
  user_seq_no: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ description: 'KST date or date-time (2026-12-03, 2026-12-03T15:30)' })),
  to: Type.Optional(Type.String({ description: 'KST date (the whole day) or date-time, exclusive' })),
  before: Type.Optional(Type.String({ description: 'Cursor: `next` of the previous page' })),
  limit: Type.Optional(Type.String({ description: '1–100, default 50' })),
});
const Conformance = Type.Object({
  complete: Type.Boolean(),
  since: Type.String({ description: 'Calls made from this instant (the application entered testing) count' }),
  scenarios: Type.Array(
    Type.Object({
      key: Type.String({ description: 'auth.client_credentials, withdraw.duplicate_refused, balance.success, …' }),
      status: Type.Union([Type.Literal('passed'), Type.Literal('open')]),
      evidence: Type.Array(Type.Integer(), {
        description: 'Ids of the requests that satisfied it (GET /api/v1/sandbox/requests/:id)',
      }),
    }),
  ),
});

function summaryJson(r: RequestSummary) {
  return {
    id: r.id,
    at: r.at,
    method: r.method,
    path: r.path,
    api: r.api,
    grant_type: r.grantType,
    rsp_code: r.rspCode,
    bank_rsp_code: r.bankRspCode,
    duration_ms: r.durationMs,
    bank_tran_id: r.bankTranId,
    user_seq_no: r.userSeqNo,
  };
}

function detailJson(r: RequestDetail) {
  return {
    ...summaryJson(r),
    api_tran_id: r.apiTranId,
    success: r.success,
    warnings: r.warnings,
    request_headers: r.requestHeaders,
    request_body: r.requestBody,
    response_body: r.responseBody,
  };
}

export interface SandboxRequestsApiRoutesOptions {
  testbedRequests: Pick<RequestLogQueries, 'page' | 'get'>;
  workflow: Pick<WorkflowService, 'loadFor' | 'conformance'>;
}

const sandboxRequestsApiRoutes: FastifyPluginAsyncTypebox<SandboxRequestsApiRoutesOptions> = async (
  app,
  { testbedRequests, workflow },
) => {
  /** The request log belongs to an organization: its members read it; staff open it from the application pages. */
  const memberOrg = (req: Parameters<typeof apiUser>[0]): string => {
    const u = apiUser(req);
    if (!u.organizationId || u.staffRole) throw new AppError('forbidden', 'organization members only');
    return u.organizationId;
  };

  app.get(
    '/sandbox/requests',
    {
      schema: {
        tags: ['sandbox'],
        summary: "The organization's test-bed calls, newest first (cursor-paginated, 50 a page)",
        querystring: ListQuery,
        response: {
          200: Type.Object({ requests: Type.Array(Summary), next: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errors(...AUTHED_ERRORS, 403),
        },
      },
    },
    async (req) => {
      const orgId = memberOrg(req);
      const q = req.query;
      // The API names the result filter rsp_code (the pages call it result).
      const { filter, errors: problems } = parseRequestFilters({ ...q, result: q.rsp_code }, { withLimit: true });
      if (problems.length)
        throw validationFailed(problems.map((p) => (p.field === 'result' ? { ...p, field: 'rsp_code' } : p)));
      const page = await testbedRequests.page(orgId, filter);
      return { requests: page.requests.map(summaryJson), next: page.next };
    },
  );

  app.get(
    '/sandbox/requests/:id',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'One test-bed call with its request and response bodies (secrets masked)',
        params: IdParams,
        response: { 200: Type.Object({ request: Detail }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const orgId = memberOrg(req);
      const raw = req.params.id;
      const found = /^[1-9]\d{0,14}$/.test(raw) ? await testbedRequests.get(orgId, Number(raw)) : undefined;
      if (!found) throw new AppError('not_found', 'not found');
      return { request: detailJson(found) };
    },
  );

  app.get(
    '/applications/:id/conformance',
    {
      schema: {
        tags: ['applications'],
        summary: 'Stage 3: the required test-bed scenarios and whether the request log shows each passed',
        params: IdParams,
        response: { 200: Conformance, ...errors(401, 404) },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      await workflow.loadFor(id, user); // staff, or the application's own organization; otherwise 404
      const result = await workflow.conformance(id);
      if (!result) throw new AppError('not_found', 'not found');
      return { complete: result.complete, since: result.since, scenarios: result.scenarios };
    },
  );
};

export default sandboxRequestsApiRoutes;
