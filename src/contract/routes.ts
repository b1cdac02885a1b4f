// Stage 5 pages: the applicant's contract page (read in Korean and English; the owner signs) and the
// contract officer's page (countersign, or send back with a reason).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../accounts/types';
import { isUuid } from '../db/ids';
import { AppError } from '../http/errors';
import { handleForm } from '../http/forms';
import { mustBeSignedIn, mustBeStaff } from '../http/guards';
import type { Services } from '../services';
import { contractText } from './contract-text';
import type { ContractService } from './service';
import { STAFF_READERS } from '../inspection/application-access';

type IdParams = { Params: { id: string } };

function id(req: FastifyRequest): string {
  const v = (req.params as Record<string, unknown>).id;
  if (!isUuid(v)) throw new AppError('not_found', 'bad id');
  return v;
}

async function pageData(contract: ContractService, user: CurrentUser, applicationId: string, staff: boolean): Promise<Record<string, unknown>> {
  const view = await contract.view(user, applicationId);
  const effective = view.current?.effectiveDate ?? null;
  return {
    titleKey: staff ? 'contract.staff.title' : 'contract.applicant.title',
    ...view,
    texts: view.document ? [contractText('ko', view.document, effective), contractText('en', view.document, effective)] : [],
    base: staff ? `/staff/applications/${view.application.id}/contract` : `/applications/${view.application.id}/contract`,
    staff,
    values: {},
  };
}

const contractRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const contract: ContractService = services.contract;

  app.get<IdParams>('/applications/:id/contract', { preHandler: mustBeSignedIn }, async (req, reply) => {
    if (req.user!.staffRole) return reply.redirect(`/staff/applications/${id(req)}/contract`, 303);
    return reply.page('contract/contract', await pageData(contract, req.user!, id(req), false));
  });

  app.post<IdParams>('/applications/:id/contract/sign', { preHandler: mustBeSignedIn }, async (req, reply) =>
    handleForm(reply, 'contract/contract', req.body, async () => {
      await contract.sign(req.user!, id(req), (req.body ?? {}) as Record<string, unknown>, req.ip);
      req.session.flash = { kind: 'success', message: reply.t('contract.applicant.signed') };
      return `/applications/${id(req)}/contract`;
    }, () => pageData(contract, req.user!, id(req), false)));

  const officer = { preHandler: mustBeStaff(...STAFF_READERS.contract) };
  app.get<IdParams>('/staff/applications/:id/contract', officer, async (req, reply) =>
    reply.page('contract/contract', await pageData(contract, req.user!, id(req), true)));

  app.post<IdParams>('/staff/applications/:id/contract/countersign', officer, async (req, reply) =>
    handleForm(reply, 'contract/contract', req.body, async () => {
      await contract.countersign(req.user!, id(req), (req.body ?? {}) as Record<string, unknown>, req.ip);
      req.session.flash = { kind: 'success', message: reply.t('contract.staff.countersigned') };
      return `/staff/applications/${id(req)}/contract`;
    }, () => pageData(contract, req.user!, id(req), true)));

  app.post<IdParams>('/staff/applications/:id/contract/request-changes', officer, async (req, reply) =>
    handleForm(reply, 'contract/contract', req.body, async () => {
      await contract.requestChanges(req.user!, id(req), (req.body ?? {}) as Record<string, unknown>);
      req.session.flash = { kind: 'success', message: reply.t('contract.staff.sent_back') };
      return `/staff/applications/${id(req)}/contract`;
    }, () => pageData(contract, req.user!, id(req), true)));
};
export default contractRoutes;
