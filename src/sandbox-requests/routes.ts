// The emulator's request log as pages: /sandbox/requests (the organization's own calls, newest first,
// filtered, 50 a page by cursor) and /sandbox/requests/:id (request and response side by side, the
// codes explained from KFTC's catalogue, a link to the API's docs). Staff open any organization's log
// from its application: /staff/applications/:id/requests(/:requestId). Another organization's request
// is a 404 (the queries always name the organization).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../http/errors';
import { mustBeOrgMember, mustBeStaff } from '../http/guards';
import { translateErrors } from '../http/views';
import { checkSchemasAfterGuards, PageQuery, UuidParam } from '../http/route-schemas';
import { filterQuery, parseRequestFilters } from './request-filters';
import { codeExplanation, docsLinkFor, REQUEST_API_KEYS } from './request-presentation';
import type { RequestDetail, RequestLogQueries, RequestSummary } from '../testbed/common/request-log-queries';
import type { WorkflowService } from '../workflow/service';

interface SandboxRequestsOptions {
  testbedRequests: Pick<RequestLogQueries, 'page' | 'get'>;
  /** Staff pages: the application (and the staff member's right to read it) behind an organization's log. */
  workflow: Pick<WorkflowService, 'loadFor'>;
}

/** The filters parse-request-filters reads; each bad one is a 422 naming it, never a schema error. */
const FILTERS = PageQuery(['api', 'result', 'user_seq_no', 'from', 'to', 'before']);
/** A request log row's id (a positive integer); anything else names no request: 404. */
const RequestId = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });
const StaffParams = Type.Object({ id: UuidParam });

const sandboxRequestsRoutes: FastifyPluginAsyncTypebox<SandboxRequestsOptions> = async (
  app,
  { testbedRequests, workflow },
) => {
  checkSchemasAfterGuards(app);
  function row(r: RequestSummary, base: string) {
    return {
      ...r,
      href: `${base}/${r.id}`,
      resultLabel: r.rspCode ?? (r.success ? 'OK' : ''),
      docsHref: docsLinkFor(r.api),
    };
  }

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    organizationId: string,
    base: string,
    extra: Record<string, unknown>,
  ) {
    const { filter, values, errors } = parseRequestFilters(req.query);
    const common = { ...extra, values, apiOptions: REQUEST_API_KEYS, base };
    if (errors.length) {
      return reply.page(
        'sandbox-requests/list',
        { ...common, requests: [], errors: translateErrors(req.locale, errors) },
        422,
      );
    }
    const page = await testbedRequests.page(organizationId, filter);
    return reply.page('sandbox-requests/list', {
      ...common,
      requests: page.requests.map((r) => row(r, base)),
      nextHref: page.next ? `${base}${filterQuery(values, { after: page.next }, filter.limit)}` : null,
      previousHref: page.previous ? `${base}${filterQuery(values, { before: page.previous }, filter.limit)}` : null,
      firstHref: filter.before || filter.after ? `${base}${filterQuery(values, {}, filter.limit)}` : null,
      filtered: Boolean(filter.api || filter.result || filter.userSeqNo || filter.from || filter.to),
    });
  }

  async function detailPage(
    reply: FastifyReply,
    requestId: string,
    organizationId: string,
    base: string,
    extra: Record<string, unknown>,
  ) {
    const found: RequestDetail | undefined = await testbedRequests.get(organizationId, Number(requestId));
    if (!found) throw new AppError('not_found', 'no such request');
    return reply.page('sandbox-requests/detail', {
      ...extra,
      base,
      titleKey: 'requests.detail.title',
      titleParams: { id: found.id },
      request: row(found, base),
      requestHeaders: Object.entries(found.requestHeaders).map(([name, value]) => ({ name, value })),
      requestJson: found.requestBody === null ? null : JSON.stringify(found.requestBody, null, 2),
      responseJson: found.responseBody === null ? null : JSON.stringify(found.responseBody, null, 2),
      codes: codeExplanation(found.rspCode, found.bankRspCode),
      docsHref: docsLinkFor(found.api),
    });
  }

  app.get('/sandbox/requests', { preHandler: mustBeOrgMember, schema: { querystring: FILTERS } }, async (req, reply) =>
    listPage(req, reply, req.user!.organizationId!, '/sandbox/requests', { titleKey: 'requests.list.title' }),
  );

  app.get(
    '/sandbox/requests/:requestId',
    { preHandler: mustBeOrgMember, schema: { params: Type.Object({ requestId: RequestId }) } },
    async (req, reply) =>
      detailPage(reply, req.params.requestId, req.user!.organizationId!, '/sandbox/requests', {
        backHref: '/sandbox/requests',
      }),
  );

  /** Staff: the organization behind an application (404 for an unknown id, as for any unknown page). */
  async function applicationOrg(req: FastifyRequest, id: string) {
    const application = await workflow.loadFor(id, req.user!);
    return { id, organizationId: application.organization_id, reference: application.reference ?? '' };
  }

  app.get(
    '/staff/applications/:id/requests',
    { preHandler: mustBeStaff(), schema: { params: StaffParams, querystring: FILTERS } },
    async (req, reply) => {
      const a = await applicationOrg(req, req.params.id);
      return listPage(req, reply, a.organizationId, `/staff/applications/${a.id}/requests`, {
        titleKey: 'requests.staff.title',
        titleParams: { reference: a.reference },
        staffApplication: { href: `/staff/applications/${a.id}`, reference: a.reference },
      });
    },
  );

  app.get(
    '/staff/applications/:id/requests/:requestId',
    { preHandler: mustBeStaff(), schema: { params: Type.Object({ id: UuidParam, requestId: RequestId }) } },
    async (req, reply) => {
      const a = await applicationOrg(req, req.params.id);
      return detailPage(reply, req.params.requestId, a.organizationId, `/staff/applications/${a.id}/requests`, {
        backHref: `/staff/applications/${a.id}/requests`,
        staffApplication: { href: `/staff/applications/${a.id}`, reference: a.reference },
      });
    },
  );
};

export default sandboxRequestsRoutes;
