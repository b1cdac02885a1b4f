// Stage 5 pages: the applicant's contract page (the contract in the reader's language; the owner signs; once
// live, the production credentials and next steps) and the contract officer's page (countersign, or send
// back with a reason). Both offer the signed contract as a PDF with its recorded SHA-256.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CurrentUser } from '../accounts/types';
import type { CredentialsService } from '../credentials/service';
import { handleForm } from '../http/forms';
import { mustBeSignedIn, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams, PageQuery } from '../http/route-schemas';
import { translate, type Locale } from '../i18n';
import { namedPageLinks, readNamedPage, type PageRequest as ListPageRequest } from '../pagination/cursor';
import { contractText } from './contract-text';
import { CONTRACT_VERSIONS_CURSOR, CONTRACT_VERSIONS_PER_PAGE, type ContractService } from './service';
import { STAFF_READERS } from '../workflow/application-access';
import { attachmentDisposition, cleanFilename } from '../uploads/safe-download-filename';
import { PRODUCTION_BASE_URL, productionCredentialCard } from './production-credentials';

type ContractReader = Pick<ContractService, 'view' | 'pdfHashes'>;
type CredentialsReader = Pick<CredentialsService, 'activeSet'>;

interface ContractRoutesOptions {
  contract: ContractReader & Pick<ContractService, 'pdf' | 'sign' | 'countersign' | 'requestChanges'>;
  /** The live panel's production credential card (never a secret). */
  credentials: CredentialsReader;
}

/** A page with the application's id in its path. */
type PageRequest = FastifyRequest & { params: { id: string } };

const SIGN = FormBody(['full_name', 'accept']);
const COUNTERSIGN = FormBody(['note']);
const SEND_BACK = FormBody(['reason', 'internal_note']); // the note: staff-only, as the API sends it
/** The pages' query: the versions list's page (`?versions_after=` older, `?versions_before=` newer). */
const VERSIONS_QUERY = PageQuery(['versions_after', 'versions_before']);

/** The versions' page on a GET (a cursor the list did not give out is the first page); a form's re-render shows the first. */
function versionsPageOf(req: FastifyRequest): ListPageRequest {
  return readNamedPage(
    req.method === 'GET' ? req.query : {},
    'versions',
    CONTRACT_VERSIONS_CURSOR,
    CONTRACT_VERSIONS_PER_PAGE,
  );
}

/**
 * The page in the reader's language only (the English translation is the English page). The live panel is
 * the applicant's: the production credential card, read from the credentials module, never a secret.
 */
async function pageData(
  contract: ContractReader,
  credentials: CredentialsReader,
  user: CurrentUser,
  locale: Locale,
  applicationId: string,
  staff: boolean,
  versionsRequest: ListPageRequest = { size: CONTRACT_VERSIONS_PER_PAGE },
): Promise<Record<string, unknown>> {
  const view = await contract.view(user, applicationId, versionsRequest);
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
    versionsPager: namedPageLinks(
      base,
      'versions',
      'versions',
      { next: view.historyNext, previous: view.historyPrevious },
      versionsRequest,
    ),
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
async function sendPdf(contract: Pick<ContractService, 'pdf'>, req: PageRequest, reply: FastifyReply) {
  const pdf = await contract.pdf(req.user!, req.params.id, req.locale);
  if (pdf.sha256 !== pdf.recordedSha256) {
    req.log.warn(
      { applicationId: req.params.id, sha256: pdf.sha256, recorded: pdf.recordedSha256 },
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

const contractRoutes: FastifyPluginAsyncTypebox<ContractRoutesOptions> = async (app, { contract, credentials }) => {
  checkSchemasAfterGuards(app);
  const page = (req: PageRequest, staff: boolean) =>
    pageData(contract, credentials, req.user!, req.locale, req.params.id, staff, versionsPageOf(req));

  app.get(
    '/applications/:id/contract',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, querystring: VERSIONS_QUERY } },
    async (req, reply) => {
      if (req.user!.staffRole) return reply.redirect(`/staff/applications/${req.params.id}/contract`, 303);
      return reply.page('contract/contract', await page(req, false));
    },
  );

  app.get(
    '/applications/:id/contract.pdf',
    { preHandler: mustBeSignedIn, schema: { params: IdParams } },
    async (req, reply) => {
      if (req.user!.staffRole) return reply.redirect(`/staff/applications/${req.params.id}/contract.pdf`, 303);
      return sendPdf(contract, req, reply);
    },
  );

  app.post(
    '/applications/:id/contract/sign',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, body: SIGN } },
    async (req, reply) =>
      handleForm(
        reply,
        'contract/contract',
        req.body,
        async () => {
          await contract.sign(req.user!, req.params.id, req.body, req.ip);
          req.session.flash = { kind: 'success', message: reply.t('contract.applicant.signed') };
          return `/applications/${req.params.id}/contract`;
        },
        () => page(req, false),
      ),
  );

  const officer = { preHandler: mustBeStaff(...STAFF_READERS.contract), schema: { params: IdParams } };
  const officerPage = { ...officer, schema: { params: IdParams, querystring: VERSIONS_QUERY } };
  app.get('/staff/applications/:id/contract', officerPage, async (req, reply) =>
    reply.page('contract/contract', await page(req, true)),
  );
  app.get('/staff/applications/:id/contract.pdf', officer, async (req, reply) => sendPdf(contract, req, reply));

  app.post(
    '/staff/applications/:id/contract/countersign',
    { ...officer, schema: { params: IdParams, body: COUNTERSIGN } },
    async (req, reply) =>
      handleForm(
        reply,
        'contract/contract',
        req.body,
        async () => {
          await contract.countersign(req.user!, req.params.id, req.body, req.ip);
          req.session.flash = { kind: 'success', message: reply.t('contract.staff.countersigned') };
          return `/staff/applications/${req.params.id}/contract`;
        },
        () => page(req, true),
      ),
  );

  app.post(
    '/staff/applications/:id/contract/request-changes',
    { ...officer, schema: { params: IdParams, body: SEND_BACK } },
    async (req, reply) =>
      handleForm(
        reply,
        'contract/contract',
        req.body,
        async () => {
          await contract.requestChanges(req.user!, req.params.id, req.body);
          req.session.flash = { kind: 'success', message: reply.t('contract.staff.sent_back') };
          return `/staff/applications/${req.params.id}/contract`;
        },
        () => page(req, true),
      ),
  );
};
export default contractRoutes;
