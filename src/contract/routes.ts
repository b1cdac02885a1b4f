// Stage 5 pages: the applicant's contract page (the contract in the reader's language; the owner signs; once
// live, the production credentials and next steps) and the contract officer's page (countersign, or send
// back with a reason). Both offer the signed contract as a PDF with its recorded SHA-256.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../accounts/types';
import { isUuid } from '../db/ids';
import { AppError } from '../http/errors';
import { handleForm } from '../http/forms';
import { mustBeSignedIn, mustBeStaff } from '../http/guards';
import { translate, type Locale } from '../i18n';
import type { Services } from '../services';
import { contractText } from './contract-text';
import type { ContractService } from './service';
import { STAFF_READERS } from '../workflow/application-access';
import { attachmentDisposition, cleanFilename } from '../uploads/safe-download-filename';
import { PRODUCTION_BASE_URL, productionCredentialCard } from './production-credentials';

type IdParams = { Params: { id: string } };

function id(req: FastifyRequest): string {
  const v = (req.params as Record<string, unknown>).id;
  if (!isUuid(v)) throw new AppError('not_found', 'bad id');
  return v;
}

type CredentialsReader = Pick<Services['credentials'], 'activeSet'>;

/**
 * The page in the reader's language only (the English translation is the English page). The live panel is
 * the applicant's: the production credential card, read from the credentials module, never a secret.
 */
async function pageData(
  contract: ContractService,
  credentials: CredentialsReader,
  user: CurrentUser,
  locale: Locale,
  applicationId: string,
  staff: boolean,
): Promise<Record<string, unknown>> {
  const view = await contract.view(user, applicationId);
  const effective = view.current?.effectiveDate ?? null;
  const base = staff
    ? `/staff/applications/${view.application.id}/contract`
    : `/applications/${view.application.id}/contract`;
  const pdfHashes = await contract.pdfHashes(view);
  const live = !staff && view.application.stage === 'live';
  return {
    titleKey: staff ? 'contract.staff.title' : 'contract.applicant.title',
    ...view,
    text: view.document ? contractText(locale, view.document, effective) : null,
    base,
    staff,
    pdf: pdfHashes ? { url: `${base}.pdf`, sha256: pdfHashes[locale] } : null,
    live: live
      ? {
          credential: productionCredentialCard(
            await credentials.activeSet(view.application.organizationId, 'production'),
          ),
          baseUrl: PRODUCTION_BASE_URL,
        }
      : null,
    values: {},
  };
}

/** The PDF as an attachment, never cached; a rendering that no longer matches its recorded hash is logged. */
async function sendPdf(contract: ContractService, req: FastifyRequest, reply: FastifyReply) {
  const pdf = await contract.pdf(req.user!, id(req), req.locale);
  if (pdf.sha256 !== pdf.recordedSha256) {
    req.log.warn(
      { applicationId: id(req), sha256: pdf.sha256, recorded: pdf.recordedSha256 },
      'contract PDF differs from its recorded SHA-256',
    );
  }
  const filename = cleanFilename(
    translate(req.locale, 'contract.download.filename', { number: pdf.contractNumber }),
    'pdf',
  );
  return reply
    .header('Content-Type', 'application/pdf')
    .header('Content-Disposition', attachmentDisposition(filename))
    .header('Content-Length', String(pdf.bytes.length))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'private, no-store')
    .send(Buffer.from(pdf.bytes));
}

const contractRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const contract: ContractService = services.contract;
  const credentials: CredentialsReader = services.credentials;
  const page = (req: FastifyRequest, staff: boolean) =>
    pageData(contract, credentials, req.user!, req.locale, id(req), staff);

  app.get<IdParams>('/applications/:id/contract', { preHandler: mustBeSignedIn }, async (req, reply) => {
    if (req.user!.staffRole) return reply.redirect(`/staff/applications/${id(req)}/contract`, 303);
    return reply.page('contract/contract', await page(req, false));
  });

  app.get<IdParams>('/applications/:id/contract.pdf', { preHandler: mustBeSignedIn }, async (req, reply) => {
    if (req.user!.staffRole) return reply.redirect(`/staff/applications/${id(req)}/contract.pdf`, 303);
    return sendPdf(contract, req, reply);
  });

  app.post<IdParams>('/applications/:id/contract/sign', { preHandler: mustBeSignedIn }, async (req, reply) =>
    handleForm(
      reply,
      'contract/contract',
      req.body,
      async () => {
        await contract.sign(req.user!, id(req), (req.body ?? {}) as Record<string, unknown>, req.ip);
        req.session.flash = { kind: 'success', message: reply.t('contract.applicant.signed') };
        return `/applications/${id(req)}/contract`;
      },
      () => page(req, false),
    ),
  );

  const officer = { preHandler: mustBeStaff(...STAFF_READERS.contract) };
  app.get<IdParams>('/staff/applications/:id/contract', officer, async (req, reply) =>
    reply.page('contract/contract', await page(req, true)),
  );
  app.get<IdParams>('/staff/applications/:id/contract.pdf', officer, async (req, reply) =>
    sendPdf(contract, req, reply),
  );

  app.post<IdParams>('/staff/applications/:id/contract/countersign', officer, async (req, reply) =>
    handleForm(
      reply,
      'contract/contract',
      req.body,
      async () => {
        await contract.countersign(req.user!, id(req), (req.body ?? {}) as Record<string, unknown>, req.ip);
        req.session.flash = { kind: 'success', message: reply.t('contract.staff.countersigned') };
        return `/staff/applications/${id(req)}/contract`;
      },
      () => page(req, true),
    ),
  );

  app.post<IdParams>('/staff/applications/:id/contract/request-changes', officer, async (req, reply) =>
    handleForm(
      reply,
      'contract/contract',
      req.body,
      async () => {
        await contract.requestChanges(req.user!, id(req), (req.body ?? {}) as Record<string, unknown>);
        req.session.flash = { kind: 'success', message: reply.t('contract.staff.sent_back') };
        return `/staff/applications/${id(req)}/contract`;
      },
      () => page(req, true),
    ),
  );
};
export default contractRoutes;
