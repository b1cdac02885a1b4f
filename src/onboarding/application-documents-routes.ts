// Stage 1 documents pages: GET /applications/:id/documents (the list with an upload form per document while
// editable; each document's newest versions, its older ones paged by ?kind=&after= — src/uploads/version-pages.ts), POST /applications/:id/documents (multipart: _csrf, kind, file), downloads for the applicant
// (GET /applications/:id/documents/:fileId) and for staff (GET /staff/applications/:id/documents/:fileId).
// Multipart parsing is registered in this plugin's scope only; an upload is admitted before its body is read.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { AccountsService } from '../accounts/service';
import type { CurrentUser } from '../accounts/types';
import { AppError } from '../http/errors';
import { handleForm } from '../http/forms';
import { mustBeOrgMember, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams, UuidParam } from '../http/route-schemas';
import { registerUploadParsing, uploadedFile, MAX_UPLOAD_BYTES } from '../uploads/multipart-upload';
import { sendStoredFile } from '../uploads/send-stored-file';
import { sizeLabel } from '../uploads/size-label';
import { readVersionPage, versionLinks, VersionPageQuery, type VersionPageRequest } from '../uploads/version-pages';
import { APPLICATION_DOCUMENT_KINDS } from './application-documents';
import type { ApplicationDocumentsService } from './application-documents-service';

/** The applicant's forms that carry a file (multipart). */
const APPLICANT_UPLOAD_ROUTES: readonly string[] = ['/applications/:id/documents'];

interface ApplicationDocumentsRoutesOptions {
  documents: Pick<ApplicationDocumentsService, 'assertCanUpload' | 'view' | 'upload' | 'download'>;
  /** Who sends an upload, read from the session before its body (the usual current-user hook runs later). */
  accounts: Pick<AccountsService, 'loadCurrentUser'>;
}

/** The upload form: `_csrf`, the document's kind and the file part (an UploadedFile, or absent). */
const UPLOAD = FormBody(['kind'], { file: Type.Optional(Type.Unknown()) });
const FileParams = Type.Object({ id: UuidParam, fileId: UuidParam });

const applicationDocumentsRoutes: FastifyPluginAsyncTypebox<ApplicationDocumentsRoutesOptions> = async (
  app,
  { documents, accounts },
) => {
  checkSchemasAfterGuards(app);
  await registerUploadParsing(app, async (req) => {
    const userId = req.session?.userId;
    const user = typeof userId === 'string' ? await accounts.loadCurrentUser(userId) : null;
    if (!user) throw new AppError('unauthenticated', 'sign in');
    if (!APPLICANT_UPLOAD_ROUTES.includes(req.routeOptions.url ?? '')) return;
    // onRequest, before the route's schema is checked: the id is checked here as the schema would.
    if (!Value.Check(IdParams, req.params)) throw new AppError('not_found', 'bad id');
    await documents.assertCanUpload(user, req.params.id);
  });

  async function page(
    user: CurrentUser,
    applicationId: string,
    versionPage: VersionPageRequest | null = null,
  ): Promise<Record<string, unknown>> {
    const view = await documents.view(user, applicationId, versionPage);
    const base = `/applications/${view.application.id}/documents`;
    return {
      titleKey: 'onboarding.documents.title',
      ...view,
      maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
      documents: view.documents.map((d) => ({
        ...d,
        ...versionLinks(base, d.kind, d),
        versions: d.versions.map((f) => ({ ...f, sizeLabel: sizeLabel(f.sizeBytes) })),
      })),
      values: {},
    };
  }

  async function sendFile(req: FastifyRequest & { params: { id: string; fileId: string } }, reply: FastifyReply) {
    return sendStoredFile(reply, await documents.download(req.user!, req.params.id, req.params.fileId));
  }

  app.get(
    '/applications/:id/documents',
    { preHandler: mustBeOrgMember, schema: { params: IdParams, querystring: VersionPageQuery } },
    async (req, reply) =>
      reply.page(
        'onboarding/documents',
        await page(req.user!, req.params.id, readVersionPage(req.query, APPLICATION_DOCUMENT_KINDS)),
      ),
  );

  app.post(
    '/applications/:id/documents',
    { preHandler: mustBeOrgMember, schema: { params: IdParams, body: UPLOAD } },
    async (req, reply) => {
      const body = req.body;
      const applicationId = req.params.id;
      try {
        return await handleForm(
          reply,
          'onboarding/documents',
          {},
          async () => {
            const meta = await documents.upload(req.user!, applicationId, body.kind, uploadedFile(body.file));
            req.session.flash = {
              kind: 'success',
              message: reply.t('onboarding.documents.uploaded', { filename: meta.filename, version: meta.version }),
            };
            return `/applications/${applicationId}/documents#document-${meta.slot}`;
          },
          () => page(req.user!, applicationId),
        );
      } catch (err) {
        // Submitted (or not asked for): the page says the documents are locked, as a section page does.
        if (err instanceof AppError && err.code === 'conflict') {
          return reply.page(
            'onboarding/conflict',
            {
              titleKey: 'onboarding.conflict.title',
              messageKey: 'onboarding.conflict.documents_locked',
              applicationId,
            },
            409,
          );
        }
        throw err;
      }
    },
  );

  app.get(
    '/applications/:id/documents/:fileId',
    { preHandler: mustBeOrgMember, schema: { params: FileParams } },
    sendFile,
  );
  app.get(
    '/staff/applications/:id/documents/:fileId',
    { preHandler: mustBeStaff(), schema: { params: FileParams } },
    sendFile,
  );
};
export default applicationDocumentsRoutes;
