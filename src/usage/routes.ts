// Usage analytics pages: /sandbox/usage (the organization's own test-bed calls: calls a day, by API,
// error rate by rsp_code, latency, the mix beside KFTC's national mix) and /staff/usage (the same for
// all organizations or one, plus the review pipeline), each table also as CSV (…/usage.csv?table=…).
// A member's page always names the member's own organization: no filter can reach another's rows.
// Bad filters re-render the page as a 422 with an error summary naming the field.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { mustBeOrgMember, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, PageQuery } from '../http/route-schemas';
import { translateErrors } from '../http/views';
import type { FieldError } from '../http/errors';
import { PERIOD_DAYS, type UsageQueries, type UsageReport } from './usage-queries';
import { parseUsageFilters, type UsageFilterValues, type UsageTable } from './usage-filters';
import { usageCsv } from './usage-csv';
import { pipelineView, usageView } from './usage-page';

interface UsageRoutesOptions {
  usage: Pick<UsageQueries, 'report' | 'organizations' | 'pipeline'>;
}

/** The filters parseUsageFilters reads; each bad one is a 422 naming it, never a schema error. */
const MEMBER_FILTERS = PageQuery(['days', 'table']);
const STAFF_FILTERS = PageQuery(['days', 'table', 'organization']);

const usageRoutes: FastifyPluginAsyncTypebox<UsageRoutesOptions> = async (app, { usage }) => {
  checkSchemasAfterGuards(app);
  function dayOptions(values: UsageFilterValues) {
    const chosen = values.days || '30';
    return PERIOD_DAYS.map((d) => ({ value: String(d), selected: String(d) === chosen }));
  }

  function invalid(
    req: FastifyRequest,
    reply: FastifyReply,
    template: string,
    errors: FieldError[],
    data: Record<string, unknown>,
  ) {
    return reply.page(template, { ...data, errors: translateErrors(req.locale, errors) }, 422);
  }

  function sendCsv(
    reply: FastifyReply,
    table: UsageTable,
    scope: string,
    days: number,
    report: UsageReport | null,
    body: string,
  ) {
    const name = `usage-${scope}-${table}-${days}d${report ? `-${report.period.lastDay}` : ''}.csv`;
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'no-store')
      .send(body);
  }

  // ------------------------------------------------------------------ organization members

  async function sandboxPage(req: FastifyRequest, reply: FastifyReply, csv: boolean) {
    const organizationId = req.user!.organizationId!;
    const { filter, values, errors } = parseUsageFilters(req.query, { staff: false, csv });
    const common = { titleKey: 'usage.sandbox.title', values, dayOptions: dayOptions(values), base: '/sandbox/usage' };
    if (errors.length) return invalid(req, reply, 'usage/sandbox', errors, common);
    const report = await usage.report({ organizationId }, filter.days);
    if (csv)
      return sendCsv(reply, filter.table!, 'organization', filter.days, report, usageCsv(filter.table!, report, null));
    const links = { base: '/sandbox/usage', days: filter.days, organization: null };
    return reply.page('usage/sandbox', {
      ...common,
      report,
      view: report.total ? usageView(req.locale, report, links, { allOrganizations: false }) : null,
    });
  }

  const member = { preHandler: mustBeOrgMember, schema: { querystring: MEMBER_FILTERS } };
  app.get('/sandbox/usage', member, async (req, reply) => sandboxPage(req, reply, false));
  app.get('/sandbox/usage.csv', member, async (req, reply) => sandboxPage(req, reply, true));

  // ------------------------------------------------------------------ staff

  async function staffPage(req: FastifyRequest, reply: FastifyReply, csv: boolean) {
    const organizations = await usage.organizations();
    const known = new Set(organizations.map((o) => o.id));
    const { filter, values, errors } = parseUsageFilters(req.query, {
      staff: true,
      csv,
      organizationExists: (id) => known.has(id),
    });
    const chosen = organizations.find((o) => o.id === filter.organizationId) ?? null;
    const common = {
      values,
      dayOptions: dayOptions(values),
      base: '/staff/usage',
      organizationOptions: organizations.map((o) => ({
        value: o.id,
        label: o.name,
        selected: o.id === values.organization,
      })),
      ...(chosen
        ? { titleKey: 'usage.staff.title_one', titleParams: { name: chosen.name } }
        : { titleKey: 'usage.staff.title_all' }),
      allOrganizations: !chosen,
    };
    if (errors.length)
      return invalid(req, reply, 'usage/staff', errors, {
        ...common,
        titleKey: 'usage.staff.title',
        titleParams: undefined,
      });
    const pipelineTable = filter.table === 'pipeline' || filter.table === 'stage_days' || filter.table === 'reviewers';
    const report =
      csv && pipelineTable ? null : await usage.report({ organizationId: filter.organizationId }, filter.days);
    const pipeline = !csv || pipelineTable ? await usage.pipeline() : null;
    const scope = chosen ? `org-${chosen.id.slice(0, 8)}` : 'all';
    if (csv)
      return sendCsv(reply, filter.table!, scope, filter.days, report, usageCsv(filter.table!, report, pipeline));
    const links = { base: '/staff/usage', days: filter.days, organization: filter.organizationId };
    return reply.page('usage/staff', {
      ...common,
      report,
      view: report?.total ? usageView(req.locale, report, links, { allOrganizations: !chosen }) : null,
      pipeline: pipelineView(req.locale, pipeline!, links),
    });
  }

  const staff = { preHandler: mustBeStaff(), schema: { querystring: STAFF_FILTERS } };
  app.get('/staff/usage', staff, async (req, reply) => staffPage(req, reply, false));
  app.get('/staff/usage.csv', staff, async (req, reply) => staffPage(req, reply, true));
};

export default usageRoutes;
