// /api/v1/applications/:id/application-documents: stage 1 documents (사업자등록증, 등기사항전부증명서, 재무제표,
// 개인정보 처리방침, 보증 증빙) through the same service as the documents page — list, upload, download. Mirrors the
// security documents endpoint (security-routes.ts): multipart {kind, file}, authorized before the body is read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../http/errors';
import { APPLICATION_DOCUMENT_KINDS } from '../onboarding/application-documents';
import { uploadedFile } from '../uploads/multipart-upload';
import { sendStoredFile } from '../uploads/send-stored-file';
import type { FileMeta } from '../uploads/stored-files';
import type { ApplicationDocumentsService } from '../onboarding/application-documents-service';
import { apiUser } from './authentication';
import { registerApiMultipart } from './multipart-body';
import { withFieldNames } from './field-names';
import { API_PREFIX } from './api-v1-prefix';
import { AUTHED_ERRORS, Closed, errors, OneOf, PathId } from './schemas';
import { VersionsPaging, VersionsQuery, versionsPaging } from './document-versions';
import { readApiVersionPage } from '../uploads/version-pages';

const AppParams = Closed({ id: PathId });
const FileParams = Closed({ id: PathId, fileId: PathId });
const Kind = OneOf(APPLICATION_DOCUMENT_KINDS, APPLICATION_DOCUMENT_KINDS.join(' | '));
const AnyFile = Type.Unknown({ description: 'The file: PDF, PNG or JPEG (proven by its bytes), at most 10 MB' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const FileJson = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  version: Type.Integer(),
  filename: Type.String(),
  content_type: Type.String(),
  size_bytes: Type.Integer(),
  sha256: Type.String(),
  uploaded_by_name: NullableString,
  uploaded_at: Type.String(),
  download_url: Type.String(),
});

function fileJson(f: FileMeta) {
  return {
    id: f.id,
    kind: f.slot,
    version: f.version,
    filename: f.filename,
    content_type: f.contentType,
    size_bytes: f.sizeBytes,
    sha256: f.sha256,
    uploaded_by_name: f.uploadedByName,
    uploaded_at: f.uploadedAt,
    download_url: `${API_PREFIX}/applications/${f.applicationId}/application-documents/${f.id}`,
  };
}

export interface ApplicationDocumentsApiRoutesOptions {
  applicationDocuments: Pick<ApplicationDocumentsService, 'assertCanUpload' | 'view' | 'upload' | 'download'>;
}

const applicationDocumentsApiRoutes: FastifyPluginAsyncTypebox<ApplicationDocumentsApiRoutesOptions> = async (
  app,
  { applicationDocuments: documents },
) => {
  // Uploads are authorized before their body is read (bearer authentication already ran in onRequest).
  // The router's path parameters (not yet validated: this runs before the schema).
  app.addHook<{ Params: { id: string } }>('onRequest', async (req) => {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) return;
    if (!(req.routeOptions.url ?? '').endsWith('/applications/:id/application-documents')) return;
    await documents.assertCanUpload(apiUser(req), req.params.id);
  });
  await registerApiMultipart(app);

  app.get(
    '/applications/:id/application-documents',
    {
      schema: {
        tags: ['applications'],
        summary:
          "Application documents (stage 1): each kind's newest versions (`size`, default 20) with its number of versions and a cursor to older ones, and which kinds are still missing",
        params: AppParams,
        querystring: VersionsQuery(APPLICATION_DOCUMENT_KINDS),
        response: {
          200: Type.Object({
            documents: Type.Array(
              Type.Object({
                kind: Type.String(),
                required: Type.Boolean(),
                versions: Type.Array(FileJson),
                ...VersionsPaging,
              }),
            ),
            missing_kinds: Type.Array(Type.String()),
            can_upload: Type.Boolean(),
          }),
          ...errors(401, 404, 422),
        },
      },
    },
    async (req) => {
      const { size, page } = readApiVersionPage(req.query);
      const view = await documents.view(apiUser(req), req.params.id, page, size);
      return {
        documents: view.documents.map((d) => ({
          kind: d.kind,
          required: d.required,
          versions: d.versions.map(fileJson),
          ...versionsPaging(d),
        })),
        missing_kinds: view.missingKinds,
        can_upload: view.canEdit,
      };
    },
  );

  app.post(
    '/applications/:id/application-documents',
    {
      schema: {
        tags: ['applications'],
        summary: 'Upload a new version of an application document (multipart/form-data: kind, file)',
        params: AppParams,
        consumes: ['multipart/form-data'],
        body: Closed({ kind: Kind, file: AnyFile }),
        response: { 201: Type.Object({ document: FileJson }), ...errors(...AUTHED_ERRORS, 403, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const unknown = Object.keys(b).filter((k) => k !== 'kind' && k !== 'file');
      if (unknown.length)
        throw new AppError('validation', 'validation failed', {
          fieldErrors: unknown.map((field) => ({ field, message: 'api.errors.unknown_field' })),
        });
      const meta = await withFieldNames(
        (f) => (f.startsWith('file') ? 'file' : f),
        () => documents.upload(user, req.params.id, b.kind, uploadedFile(b.file)),
      );
      return reply.code(201).send({ document: fileJson(meta) });
    },
  );

  app.get(
    '/applications/:id/application-documents/:fileId',
    {
      schema: {
        tags: ['applications'],
        summary: 'Download one application document version',
        params: FileParams,
        response: { ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      const { id, fileId } = req.params;
      return sendStoredFile(reply, await documents.download(apiUser(req), id, fileId));
    },
  );
};
export default applicationDocumentsApiRoutes;
