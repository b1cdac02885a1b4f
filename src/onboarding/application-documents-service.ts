// Stage 1 documents (신청 서류): the applicant uploads them while the application is editable (a draft, or a change
// request naming the documents); every upload is a new version (src/uploads/stored-files.ts); members of the
// organization and any staff read them. Which documents are required follows from the answers
// (application-documents.ts); onboarding's submit refuses while one is missing and freezes the latest versions.
import type { Knex } from 'knex';
import type { CurrentUser } from '../accounts/types';
import type { AuditService } from '../audit/service';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import { AppError, conflict, validationFailed, type FieldError } from '../http/errors';
import { assertApplicant, assertCanSee, isOrgMemberOf, type ApplicationSummary } from '../workflow/application-access';
import { createApplications } from '../workflow/applications';
import type { UploadedFile } from '../uploads/multipart-upload';
import { createStoredFiles, type FileMeta, type FileWithContent } from '../uploads/stored-files';
import { checkUpload } from '../uploads/upload-checks';
import {
  readKindVersions,
  VERSIONS_PER_PAGE,
  type KindVersions,
  type VersionPageRequest,
} from '../uploads/version-pages';
import {
  APPLICATION_DOCUMENT_KINDS,
  isApplicationDocumentKind,
  missingDocumentKinds,
  requiredDocumentKinds,
  type ApplicationDocumentKind,
  type FrozenDocument,
} from './application-documents';
import { createOnboardingRepository } from './repository';
import { documentsEditable } from './section-editing';

export interface ApplicationDocumentsDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
}

export interface ApplicationDocumentsView {
  application: ApplicationSummary;
  /**
   * Required kinds first (in display order), then any other kind that has an upload; each with its newest
   * versions (or the page of older ones asked for) and its number of versions (src/uploads/version-pages.ts).
   */
  documents: ({ kind: ApplicationDocumentKind; required: boolean } & KindVersions)[];
  missingKinds: ApplicationDocumentKind[];
  canEdit: boolean;
}

/** The newest version of each kind, as a submitted version records it. */
export function latestDocuments(files: readonly FileMeta[]): FrozenDocument[] {
  return APPLICATION_DOCUMENT_KINDS.flatMap((kind) => {
    const f = files.filter((x) => x.slot === kind).sort((a, b) => b.version - a.version)[0];
    return f
      ? [
          {
            kind,
            fileId: f.id,
            version: f.version,
            filename: f.filename,
            contentType: f.contentType,
            sizeBytes: f.sizeBytes,
            sha256: f.sha256,
          },
        ]
      : [];
  });
}

/** Field errors naming each missing document (the check page's error summary links to the documents page). */
export function missingDocumentErrors(kinds: readonly ApplicationDocumentKind[]): FieldError[] {
  return kinds.map((k) => ({ field: `document-${k}`, message: `onboarding.documents.missing.${k}` }));
}

export function createApplicationDocumentsService(deps: ApplicationDocumentsDeps) {
  const files = createStoredFiles(deps.db, 'application_files');
  const answersRepo = createOnboardingRepository();
  const applications = createApplications(deps.db);
  const load = applications.load;

  const editableState = (a: ApplicationSummary) => ({
    stage: a.stage,
    status: a.status,
    changes_requested_sections: JSON.stringify(a.changesRequested),
  });

  return {
    files,

    /** The documents page; `versionPage` (a kind and a cursor) shows that kind's older versions; `size`: versions per kind (the JSON API's `?size=`). */
    async view(
      user: CurrentUser,
      applicationId: string,
      versionPage: VersionPageRequest | null = null,
      size = VERSIONS_PER_PAGE,
    ): Promise<ApplicationDocumentsView> {
      const app = await load(applicationId);
      assertCanSee(user, app);
      const [answers, byKind] = await Promise.all([
        answersRepo.listAnswers(deps.db, app.id),
        readKindVersions(files, app.id, APPLICATION_DOCUMENT_KINDS, versionPage, size),
      ]);
      const required = requiredDocumentKinds(answers);
      const uploaded = APPLICATION_DOCUMENT_KINDS.filter((kind) => byKind.get(kind)!.total > 0);
      const documents = APPLICATION_DOCUMENT_KINDS.filter(
        (kind) => required.includes(kind) || uploaded.includes(kind),
      ).map((kind) => ({ kind, required: required.includes(kind), ...byKind.get(kind)! }));
      return {
        application: app,
        documents,
        missingKinds: missingDocumentKinds(answers, uploaded),
        canEdit: isOrgMemberOf(user, app) && documentsEditable(editableState(app)),
      };
    },

    /** Members of the organization only (staff 403, anyone else 404); checked before an upload's body is read. */
    async assertCanUpload(user: CurrentUser, applicationId: string): Promise<void> {
      assertApplicant(user, await load(applicationId));
    },

    /** A new version of one document; earlier versions are kept. Refused (409) once the application is not editable. */
    async upload(
      user: CurrentUser,
      applicationId: string,
      kind: unknown,
      file: UploadedFile | null,
    ): Promise<FileMeta> {
      const app = await load(applicationId);
      assertApplicant(user, app);
      const errors: FieldError[] = [];
      if (!isApplicationDocumentKind(kind))
        errors.push({ field: 'kind', message: 'onboarding.documents.errors.kind_required' });
      const checked = await checkUpload(isApplicationDocumentKind(kind) ? `file-${kind}` : 'file', file);
      if (!checked.ok) errors.push(checked.error);
      if (errors.length || !checked.ok || !isApplicationDocumentKind(kind)) throw validationFailed(errors);
      return deps.db.transaction(async (trx) => {
        // Checked again under the row lock: a submit between our read and this write wins.
        const current = await applications.lock(trx, app.id);
        if (!documentsEditable(editableState(current)))
          throw conflict('onboarding.conflict.documents_locked', `${current.stage}:${current.status}`);
        const version = (await files.latestVersion(app.id, kind, trx)) + 1;
        const meta = {
          id: deps.ids(),
          applicationId: app.id,
          organizationId: app.organizationId,
          slot: kind,
          version,
          filename: checked.upload.filename,
          contentType: checked.upload.contentType,
          sizeBytes: checked.upload.bytes.length,
          sha256: checked.upload.sha256,
          uploadedBy: user.id,
          uploadedAt: deps.clock().toISOString(),
        };
        await files.insertFile({ ...meta, content: checked.upload.bytes }, trx);
        await applications.touch(app.id, meta.uploadedAt, trx);
        await deps.audit.record(
          {
            event: 'application.document_uploaded',
            actor: { userId: user.id, label: user.email },
            organizationId: app.organizationId,
            applicationId: app.id,
            data: {
              kind,
              version,
              fileId: meta.id,
              filename: meta.filename,
              sha256: meta.sha256,
              sizeBytes: meta.sizeBytes,
              contentType: meta.contentType,
            },
          },
          trx,
        );
        return { ...meta, uploadedByName: user.name };
      });
    },

    /** The bytes of one stored document version, for organization members and any staff. */
    async download(user: CurrentUser, applicationId: string, fileId: string): Promise<FileWithContent> {
      const app = await load(applicationId);
      assertCanSee(user, app);
      const file = await files.findFile(app.id, fileId);
      if (!file || file.organizationId !== app.organizationId) throw new AppError('not_found', 'file');
      return file;
    },
  };
}
export type ApplicationDocumentsService = ReturnType<typeof createApplicationDocumentsService>;
