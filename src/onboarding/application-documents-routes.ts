// Stage 1 documents pages: GET /applications/:id/documents (the list with an upload form per document while
// editable), POST /applications/:id/documents (multipart: _csrf, kind, file), downloads for the applicant
// (GET /applications/:id/documents/:fileId) and for staff (GET /staff/applications/:id/documents/:fileId).
// Multipart parsing is registered in this plugin's scope only; an upload is admitted before its body is read.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../db/ids';
import { AppError } from '../http/errors';
import { handleForm } from '../http/forms';
import { mustBeOrgMember, mustBeStaff } from '../http/guards';
import type { Services } from '../services';
import { registerUploadParsing, uploadedFile, MAX_UPLOAD_BYTES } from '../uploads/multipart-upload';
import { sendStoredFile } from '../uploads/send-stored-file';
import { sizeLabel } from '../uploads/size-label';
import type { ApplicationDocumentsService } from './application-documents-service';

/** The applicant's forms that carry a file (multipart). */
const APPLICANT_UPLOAD_ROUTES: readonly string[] = ['/applications/:id/documents'];

function id(req: FastifyRequest, name = 'id'): string {
  const v = (req.params as Record<string, unknown>)[name];
  if (!isUuid(v)) throw new AppError('not_found', 'bad id');
  return v;
}

const applicationDocumentsRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const documents: ApplicationDocumentsService = services.applicationDocuments;
  await registerUploadParsing(app, async (req) => {
    const userId = req.session?.userId;
    const user = typeof userId === 'string' ? await services.accounts.loadCurrentUser(userId) : null;
    if (!user) throw new AppError('unauthenticated', 'sign in');
    if (APPLICANT_UPLOAD_ROUTES.includes(req.routeOptions.url ?? '')) await documents.assertCanUpload(user, id(req));
  });

  async function page(req: FastifyRequest): Promise<Record<string, unknown>> {
    const view = await documents.view(req.user!, id(req));
    return {
      titleKey: 'onboarding.documents.title',
      ...view,
      maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
      documents: view.documents.map((d) => ({
        ...d,
        versions: d.versions.map((f) => ({ ...f, sizeLabel: sizeLabel(f.sizeBytes) })),
      })),
      values: {},
    };
  }

  async function sendFile(req: FastifyRequest, reply: FastifyReply) {
    return sendStoredFile(reply, await documents.download(req.user!, id(req), id(req, 'fileId')));
  }

  app.get('/applications/:id/documents', { preHandler: mustBeOrgMember }, async (req, reply) =>
    reply.page('onboarding/documents', await page(req)),
  );

  app.post('/applications/:id/documents', { preHandler: mustBeOrgMember }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      return await handleForm(
        reply,
        'onboarding/documents',
        {},
        async () => {
          const meta = await documents.upload(req.user!, id(req), body.kind, uploadedFile(body.file));
          req.session.flash = {
            kind: 'success',
            message: reply.t('onboarding.documents.uploaded', { filename: meta.filename, version: meta.version }),
          };
          return `/applications/${id(req)}/documents#document-${meta.slot}`;
        },
        () => page(req),
      );
    } catch (err) {
      // Submitted (or not asked for): the page says the documents are locked, as a section page does.
      if (err instanceof AppError && err.code === 'conflict') {
        return reply.page(
          'onboarding/conflict',
          {
            titleKey: 'onboarding.conflict.title',
            messageKey: 'onboarding.conflict.documents_locked',
            applicationId: id(req),
          },
          409,
        );
      }
      throw err;
    }
  });

  app.get('/applications/:id/documents/:fileId', { preHandler: mustBeOrgMember }, sendFile);
  app.get('/staff/applications/:id/documents/:fileId', { preHandler: mustBeStaff() }, sendFile);
};
export default applicationDocumentsRoutes;
