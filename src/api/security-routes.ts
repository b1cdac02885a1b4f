// /api/v1/applications/:id/documents and …/findings: stage 4 (security inspection) through the inspection
// service — documents (list, upload, download), findings (record, remediate, verify, reopen).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../http/errors';
import { uploadedFile } from '../uploads/multipart-upload';
import { sendStoredFile } from '../uploads/send-stored-file';
import { REQUIRED_DOCUMENT_KINDS } from '../inspection/security-documents';
import { SEVERITIES } from '../inspection/finding-lifecycle';
import type { FileMeta } from '../uploads/stored-files';
import {
  FINDING_CURSOR,
  REMEDIATION_CURSOR,
  REMEDIATIONS_PER_FINDING,
  type FindingView,
  type InspectionService,
} from '../inspection/service';
import type { PageRequest } from '../pagination/cursor';
import { apiUser } from './authentication';
import { registerApiMultipart } from './multipart-body';
import { withFieldNames } from './field-names';
import { API_PREFIX } from './api-v1-prefix';
import { AUTHED_ERRORS, Closed, errors, OneOf, PathId } from './schemas';
import { apiPageRequest, NextCursor, pageParams } from './list-pages';
import { VersionsPaging, VersionsQuery, versionsPaging } from './document-versions';
import { readApiVersionPage } from '../uploads/version-pages';

const AppParams = Closed({ id: PathId });
const FileParams = Closed({ id: PathId, fileId: PathId });
const FindingParams = Closed({ id: PathId, findingId: PathId });
const AnyFile = Type.Unknown({ description: 'The file: PDF, PNG or JPEG (proven by its bytes), at most 10 MB' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const FileJson = Type.Object({
  id: Type.String(),
  slot: Type.String(),
  version: Type.Integer(),
  filename: Type.String(),
  content_type: Type.String(),
  size_bytes: Type.Integer(),
  sha256: Type.String(),
  uploaded_by_name: NullableString,
  uploaded_at: Type.String(),
  download_url: Type.String(),
});
const FindingJson = Type.Object({
  id: Type.String(),
  severity: Type.String({ description: SEVERITIES.join(' | ') }),
  title: Type.String(),
  description: Type.String(),
  status: Type.String({ description: 'open | remediated | closed | withdrawn' }),
  created_at: Type.String(),
  updated_at: Type.String(),
  closed_at: NullableString,
  remediations: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      file: Type.Union([FileJson, Type.Null()]),
      submitted_by_name: NullableString,
      submitted_at: Type.String(),
    }),
    { description: `The remediations, newest first: the newest ${REMEDIATIONS_PER_FINDING}, or the page asked for` },
  ),
  remediations_next: Type.Union([Type.String(), Type.Null()], {
    description: 'cursor of the older remediations (GET …/findings/:findingId?after=); null: the oldest is listed',
  }),
  can_remediate: Type.Boolean(),
  can_verify: Type.Boolean(),
  can_reopen: Type.Boolean(),
  can_withdraw: Type.Boolean(),
});

function fileJson(f: FileMeta) {
  return {
    id: f.id,
    slot: f.slot,
    version: f.version,
    filename: f.filename,
    content_type: f.contentType,
    size_bytes: f.sizeBytes,
    sha256: f.sha256,
    uploaded_by_name: f.uploadedByName,
    uploaded_at: f.uploadedAt,
    download_url: `${API_PREFIX}/applications/${f.applicationId}/documents/${f.id}`,
  };
}
function findingJson(f: FindingView) {
  return {
    id: f.id,
    severity: f.severity,
    title: f.title,
    description: f.description,
    status: f.status,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    closed_at: f.closedAt,
    remediations: f.remediations.map((m) => ({
      id: m.id,
      text: m.text,
      file: m.file ? fileJson(m.file) : null,
      submitted_by_name: m.submittedByName,
      submitted_at: m.submittedAt,
    })),
    remediations_next: f.remediationsNext,
    can_remediate: f.canRemediate,
    can_verify: f.canVerify,
    can_reopen: f.canReopen,
    can_withdraw: f.canWithdraw,
  };
}

/** The routes that take a file (multipart). */
const UPLOAD_ROUTES: readonly string[] = [
  '/applications/:id/documents',
  '/applications/:id/findings/:findingId/remediation',
];

/** A multipart body may only carry the fields the route names (JSON bodies are closed by their schema). */
function onlyFields(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !allowed.includes(k));
  if (unknown.length)
    throw new AppError('validation', 'validation failed', {
      fieldErrors: unknown.map((field) => ({ field, message: 'api.errors.unknown_field' })),
    });
  return b;
}

export interface SecurityRoutesOptions {
  inspection: Pick<
    InspectionService,
    | 'assertCanUpload'
    | 'view'
    | 'findingView'
    | 'uploadDocument'
    | 'download'
    | 'recordFinding'
    | 'remediate'
    | 'changeFinding'
  >;
}

const securityRoutes: FastifyPluginAsyncTypebox<SecurityRoutesOptions> = async (app, { inspection }) => {
  // Uploads are authorized before their body is read (bearer authentication already ran in onRequest):
  // another organization's application is a 404, staff 403 — the inspection service's own rule.
  // The router's path parameters (not yet validated: this runs before the schema).
  app.addHook<{ Params: { id: string } }>('onRequest', async (req) => {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) return;
    const url = req.routeOptions.url ?? '';
    if (!UPLOAD_ROUTES.some((r) => url.endsWith(r))) return;
    await inspection.assertCanUpload(apiUser(req), req.params.id);
  });
  await registerApiMultipart(app);

  async function findingById(
    user: Parameters<typeof inspection.view>[0],
    id: string,
    findingId: string,
    remediations?: PageRequest,
  ) {
    const found = await inspection.findingView(user, id, findingId, remediations);
    return { finding: findingJson(found.finding), open_critical_or_high: found.openCriticalOrHigh };
  }

  app.get(
    '/applications/:id/documents',
    {
      schema: {
        tags: ['security'],
        summary:
          "Security documents: each kind's newest versions (`size`, default 20) with its number of versions and a cursor to older ones",
        params: AppParams,
        querystring: VersionsQuery(REQUIRED_DOCUMENT_KINDS),
        response: {
          200: Type.Object({
            documents: Type.Array(
              Type.Object({ kind: Type.String(), versions: Type.Array(FileJson), ...VersionsPaging }),
            ),
            missing_kinds: Type.Array(Type.String()),
            can_upload: Type.Boolean(),
            can_submit: Type.Boolean(),
          }),
          ...errors(401, 404, 422),
        },
      },
    },
    async (req) => {
      const { size, page } = readApiVersionPage(req.query);
      const view = await inspection.view(apiUser(req), req.params.id, page, size);
      return {
        documents: view.documents.map((d) => ({
          kind: d.kind,
          versions: d.versions.map(fileJson),
          ...versionsPaging(d),
        })),
        missing_kinds: view.missingKinds,
        can_upload: view.canEditDocuments,
        can_submit: view.canSubmit,
      };
    },
  );

  app.post(
    '/applications/:id/documents',
    {
      schema: {
        tags: ['security'],
        summary: 'Upload a new version of a security document (multipart/form-data: kind, file)',
        params: AppParams,
        consumes: ['multipart/form-data'],
        body: Closed({ kind: OneOf(REQUIRED_DOCUMENT_KINDS, REQUIRED_DOCUMENT_KINDS.join(' | ')), file: AnyFile }),
        response: { 201: Type.Object({ document: FileJson }), ...errors(...AUTHED_ERRORS, 403, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const body = onlyFields(req.body, ['kind', 'file']);
      const meta = await withFieldNames(
        (f) => (f.startsWith('file') ? 'file' : f),
        () => inspection.uploadDocument(user, req.params.id, body.kind, uploadedFile(body.file)),
      );
      return reply.code(201).send({ document: fileJson(meta) });
    },
  );

  app.get(
    '/applications/:id/documents/:fileId',
    {
      schema: {
        tags: ['security'],
        summary: 'Download one stored file (a document version or a remediation attachment)',
        params: FileParams,
        response: { ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      const { id, fileId } = req.params;
      return sendStoredFile(reply, await inspection.download(apiUser(req), id, fileId));
    },
  );

  app.get(
    '/applications/:id/findings',
    {
      schema: {
        tags: ['security'],
        summary:
          'Findings of the security inspection with their remediations, most severe first, then oldest first; 50 a page',
        params: AppParams,
        querystring: Closed(pageParams('findings')),
        response: {
          200: Type.Object({
            findings: Type.Array(FindingJson),
            next: NextCursor,
            open_critical_or_high: Type.Integer({ description: 'open critical or high findings on every page' }),
          }),
          ...errors(401, 404, 422),
        },
      },
    },
    async (req) => {
      const page = apiPageRequest(req.query, FINDING_CURSOR);
      const view = await inspection.view(apiUser(req), req.params.id, null, undefined, page);
      return {
        findings: view.findings.map(findingJson),
        next: view.findingsNext,
        open_critical_or_high: view.openCriticalOrHigh,
      };
    },
  );

  app.get(
    '/applications/:id/findings/:findingId',
    {
      schema: {
        tags: ['security'],
        summary: `One finding with its remediations, newest first, ${REMEDIATIONS_PER_FINDING} a page (\`?after=\` the \`remediations_next\` cursor)`,
        params: FindingParams,
        querystring: Closed({
          after: Type.Optional(Type.String({ maxLength: 400, description: 'the `remediations_next` cursor' })),
          size: Type.Optional(
            Type.Integer({
              minimum: 1,
              description: `remediations a page (default ${REMEDIATIONS_PER_FINDING}, at most 100)`,
            }),
          ),
        }),
        response: {
          200: Type.Object({ finding: FindingJson, open_critical_or_high: Type.Integer() }),
          ...errors(401, 404, 422),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const page = apiPageRequest({ after: q.after, size: q.size ?? REMEDIATIONS_PER_FINDING }, REMEDIATION_CURSOR);
      return findingById(apiUser(req), req.params.id, req.params.findingId, page);
    },
  );

  app.post(
    '/applications/:id/findings',
    {
      schema: {
        tags: ['security'],
        summary: 'Record a finding (inspector)',
        params: AppParams,
        body: Closed({
          severity: OneOf(SEVERITIES, SEVERITIES.join(' | ')),
          title: Type.String({ maxLength: 1000 }),
          description: Type.String({ maxLength: 20_000 }),
        }),
        response: {
          201: Type.Object({ finding: FindingJson, open_critical_or_high: Type.Integer() }),
          ...errors(...AUTHED_ERRORS, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const { id } = req.params;
      const finding = await inspection.recordFinding(user, id, req.body);
      return reply.code(201).send(await findingById(user, id, finding.id));
    },
  );

  app.post(
    '/applications/:id/findings/:findingId/remediation',
    {
      schema: {
        tags: ['security'],
        summary: 'Answer a finding with a remediation (applicant): JSON {text} or multipart {text, file}',
        params: FindingParams,
        consumes: ['application/json', 'multipart/form-data'],
        body: Closed({ text: Type.String({ maxLength: 20_000 }), file: Type.Optional(AnyFile) }),
        response: {
          201: Type.Object({ finding: FindingJson, open_critical_or_high: Type.Integer() }),
          ...errors(...AUTHED_ERRORS, 403, 404, 409, 413),
        },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const { id, findingId } = req.params;
      const body = onlyFields(req.body, ['text', 'file']);
      const file = body.file === undefined ? null : uploadedFile(body.file);
      if (body.file !== undefined && !file)
        throw new AppError('validation', 'validation failed', {
          fieldErrors: [{ field: 'file', message: 'inspection.errors.file_required' }],
        });
      await withFieldNames(
        (f) => (f.startsWith('remediation-file-') ? 'file' : f.startsWith('remediation-') ? 'text' : f),
        () => inspection.remediate(user, id, findingId, { text: body.text, file }),
      );
      return reply.code(201).send(await findingById(user, id, findingId));
    },
  );

  const SUMMARY = {
    verify: 'Verify (close) a remediated finding (inspector); note optional',
    reopen: 'Reopen a finding (inspector); note required, the applicant sees it',
    withdraw: 'Withdraw a finding nobody needs to fix (inspector); reason required, the applicant sees it',
  } as const;
  for (const action of ['verify', 'reopen', 'withdraw'] as const) {
    app.post(
      `/applications/:id/findings/:findingId/${action}`,
      {
        schema: {
          tags: ['security'],
          summary: SUMMARY[action],
          params: FindingParams,
          body:
            action === 'verify'
              ? Type.Optional(Closed({ note: Type.Optional(Type.String({ maxLength: 20_000 })) }))
              : Closed({ note: Type.String({ maxLength: 20_000 }) }),
          response: {
            200: Type.Object({ finding: FindingJson, open_critical_or_high: Type.Integer() }),
            ...errors(...AUTHED_ERRORS, 403, 404, 409),
          },
        },
      },
      async (req) => {
        const user = apiUser(req);
        const { id, findingId } = req.params;
        await withFieldNames(
          (f) => (f.startsWith('note-') || f.startsWith('withdraw-') ? 'note' : f),
          () => inspection.changeFinding(user, id, findingId, action, req.body ?? {}),
        );
        return findingById(user, id, findingId);
      },
    );
  }
};
export default securityRoutes;
