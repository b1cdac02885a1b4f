// Stage 4, security inspection (보안점검): documents, findings, remediations and the inspector's decision.
// Stage changes go through the workflow core (transition with guard facts); this service owns the files,
// the findings and their audit trail. Every write runs in one transaction with its audit row.
import type { Knex } from 'knex';
import type { CurrentUser } from '../accounts/types';
import type { AuditActor, AuditService } from '../audit/service';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import { AppError, validationFailed, type FieldError } from '../http/errors';
import {
  assertApplicant,
  assertCanRead,
  assertStaff,
  isOrgMemberOf,
  type ApplicationSummary,
} from '../workflow/application-access';
import { createApplications } from '../workflow/applications';
import { typedText as text } from '../workflow/typed-text';
import {
  countOpenCriticalOrHigh,
  isSeverity,
  nextFindingStatus,
  SEVERITIES,
  type FindingAction,
  type Severity,
} from './finding-lifecycle';
import type { UploadedFile } from '../uploads/multipart-upload';
import {
  createInspectionRepository,
  type FileMeta,
  type FileWithContent,
  type Finding,
  type Remediation,
} from './repository';

import {
  isDocumentKind,
  missingDocumentKinds,
  remediationSlot,
  REQUIRED_DOCUMENT_KINDS,
  type DocumentKind,
} from './security-documents';
import { checkUpload, type CheckedUpload } from '../uploads/upload-checks';
import { createStoredFiles } from '../uploads/stored-files';
import {
  readKindVersions,
  VERSIONS_PER_PAGE,
  type KindVersions,
  type VersionPageRequest,
} from '../uploads/version-pages';
import type { WorkflowService } from '../workflow/service';
import { PAGE_SIZE_DEFAULT, type PageRequest } from '../pagination/cursor';

/** The shape of the findings list's cursor (routes read it; the repository pages by it). */
export { FINDING_CURSOR } from './repository';

export interface InspectionDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  workflow: Pick<WorkflowService, 'transition'>;
}

/** What an inspector can send back: one of the documents, or the findings (remediate them). */
export const CHANGE_REQUEST_SECTIONS: readonly string[] = [...REQUIRED_DOCUMENT_KINDS, 'findings'];

export const STAFF_DECISIONS = ['approve', 'request_changes', 'reject'] as const;
export type StaffDecision = (typeof STAFF_DECISIONS)[number];

const TERMINAL = new Set(['rejected', 'withdrawn', 'live']);
const DOCUMENT_EDITABLE = new Set(['in_progress', 'changes_requested']);
const MAX_TITLE = 200;
const MAX_TEXT = 5000;

/** Remediations shown under each finding, newest first; older ones a page at a time. */
export const REMEDIATIONS_PER_FINDING = 20;
export { REMEDIATION_CURSOR } from './repository';
/** The page of one finding's remediations asked for (its older ones); the other findings show their newest. */
export interface RemediationsRequest {
  findingId: string;
  page: PageRequest;
}

export interface FindingView extends Finding {
  /** A page of the finding's remediations, newest first, with the cursors of the older and newer pages. */
  remediations: Remediation[];
  remediationsNext: string | null;
  remediationsPrevious: string | null;
  canRemediate: boolean;
  canVerify: boolean;
  canReopen: boolean;
  canWithdraw: boolean;
}
export interface InspectionView {
  application: ApplicationSummary;
  inSecurityStage: boolean;
  /** Each kind's newest versions (or the page of older ones asked for) and its number of versions. */
  documents: ({ kind: DocumentKind } & KindVersions)[];
  missingKinds: DocumentKind[];
  /** One page of findings (most severe first), with the cursors of the next and previous pages. */
  findings: FindingView[];
  findingsNext: string | null;
  findingsPrevious: string | null;
  openCriticalOrHigh: number;
  canEditDocuments: boolean;
  canSubmit: boolean;
  canRecordFindings: boolean;
  canDecide: boolean;
}

const actorOf = (u: CurrentUser): AuditActor => ({ userId: u.id, label: u.email });

export function createInspectionService(deps: InspectionDeps) {
  const repo = createInspectionRepository();
  const storedFiles = createStoredFiles(deps.db, 'security_files');
  const now = () => deps.clock().toISOString();
  // The application row's owner: loading (not_found when absent) and locking it for a change.
  const { load, lock: lockApplication } = createApplications(deps.db);

  function inSecurity(app: { stage: string; status: string }): boolean {
    return app.stage === 'security' && !TERMINAL.has(app.status);
  }

  async function storeFile(
    trx: Knex.Transaction,
    app: ApplicationSummary,
    slot: string,
    upload: CheckedUpload,
    user: CurrentUser,
  ): Promise<FileMeta> {
    const version = (await storedFiles.latestVersion(app.id, slot, trx)) + 1;
    const meta = {
      id: deps.ids(),
      applicationId: app.id,
      organizationId: app.organizationId,
      slot,
      version,
      filename: upload.filename,
      contentType: upload.contentType,
      sizeBytes: upload.bytes.length,
      sha256: upload.sha256,
      uploadedBy: user.id,
      uploadedAt: now(),
    };
    await storedFiles.insertFile({ ...meta, content: upload.bytes }, trx);
    return { ...meta, uploadedByName: user.name };
  }

  /**
   * The stage's page; `versionPage` (a kind and a cursor) shows that kind's older versions; `size`: versions per
   * kind (the JSON API's `?size=`); `findingsRequest`: the page of findings (PAGE_SIZE_DEFAULT, most severe first),
   * whose remediations are read (the findings of other pages are not).
   */
  async function view(
    user: CurrentUser,
    applicationId: string,
    versionPage: VersionPageRequest | null = null,
    size = VERSIONS_PER_PAGE,
    findingsRequest: PageRequest = { size: PAGE_SIZE_DEFAULT },
    remediationsRequest: RemediationsRequest | null = null,
  ): Promise<InspectionView> {
    const app = await load(applicationId);
    assertCanRead(user, app, 'security');
    let [byKind, findings, counts] = await Promise.all([
      readKindVersions(storedFiles, app.id, REQUIRED_DOCUMENT_KINDS, versionPage, size),
      repo.findingsPage(deps.db, app.id, findingsRequest),
      repo.countOpen(deps.db, app.id),
    ]);
    // A cursor past either end (hand-made, or the findings changed) shows the first page, not "no findings".
    if (findings.rows.length === 0 && (findingsRequest.after || findingsRequest.before))
      findings = await repo.findingsPage(deps.db, app.id, { size: findingsRequest.size });
    const findingViews = await withRemediations(user, app, findings.rows, remediationsRequest);
    const isApplicant = isOrgMemberOf(user, app);
    const isInspector = user.staffRole === 'inspector' || user.staffRole === 'admin';
    const documents = REQUIRED_DOCUMENT_KINDS.map((kind) => ({ kind, ...byKind.get(kind)! }));
    const missingKinds = missingDocumentKinds(REQUIRED_DOCUMENT_KINDS.filter((kind) => byKind.get(kind)!.total > 0));
    return {
      application: app,
      inSecurityStage: inSecurity(app),
      documents,
      missingKinds,
      findings: findingViews,
      findingsNext: findings.next,
      findingsPrevious: findings.previous,
      openCriticalOrHigh: counts.openCriticalOrHigh,
      canEditDocuments: isApplicant && app.stage === 'security' && DOCUMENT_EDITABLE.has(app.status),
      canSubmit: isApplicant && app.stage === 'security' && DOCUMENT_EDITABLE.has(app.status),
      canRecordFindings: isInspector && inSecurity(app),
      canDecide: isInspector && app.stage === 'security' && (app.status === 'submitted' || app.status === 'in_review'),
    };
  }

  /**
   * Findings as the pages and the API show them: a page of their remediations (with files; each finding's newest
   * REMEDIATIONS_PER_FINDING, or the page `remediationsRequest` asks for one of them) and what `user` may do.
   */
  async function withRemediations(
    user: CurrentUser,
    app: ApplicationSummary,
    findings: readonly Finding[],
    remediationsRequest: RemediationsRequest | null = null,
  ): Promise<FindingView[]> {
    const newest = { size: REMEDIATIONS_PER_FINDING };
    const asked = (f: Finding) => (remediationsRequest?.findingId === f.id ? remediationsRequest.page : newest);
    const pages = await repo.remediationPages(deps.db, app.id, new Map(findings.map((f) => [f.id, asked(f)])));
    // A cursor past either end (hand-made, or of another finding) shows the finding's newest remediations.
    const stale = remediationsRequest && pages.get(remediationsRequest.findingId);
    if (stale && stale.rows.length === 0 && (remediationsRequest.page.after || remediationsRequest.page.before)) {
      const fresh = await repo.remediationPages(
        deps.db,
        app.id,
        new Map([[remediationsRequest.findingId, { size: remediationsRequest.page.size }]]),
      );
      pages.set(remediationsRequest.findingId, fresh.get(remediationsRequest.findingId)!);
    }
    const remediations = [...pages.values()].flatMap((p) => p.rows);
    // Only the files the remediations point at (their own slots), not every version of every slot.
    const remediationFiles = await storedFiles.filesByIds(
      app.id,
      remediations.flatMap((m) => (m.fileId ? [m.fileId] : [])),
    );
    const byId = new Map(remediationFiles.map((f) => [f.id, f]));
    const isApplicant = isOrgMemberOf(user, app);
    const isInspector = user.staffRole === 'inspector' || user.staffRole === 'admin';
    const active = inSecurity(app);
    return findings.map((f) => {
      const page = pages.get(f.id)!;
      return {
        ...f,
        remediations: page.rows.map((m) => ({ ...m, file: m.fileId ? (byId.get(m.fileId) ?? null) : null })),
        remediationsNext: page.next,
        remediationsPrevious: page.previous,
        canRemediate: isApplicant && active && nextFindingStatus(f.status, 'remediate') !== null,
        canVerify: isInspector && active && nextFindingStatus(f.status, 'verify') !== null,
        canReopen: isInspector && active && nextFindingStatus(f.status, 'reopen') !== null,
        canWithdraw: isInspector && active && nextFindingStatus(f.status, 'withdraw') !== null,
      };
    });
  }

  /** One finding of the application as the API shows it (404 when the application has no such finding). */
  async function findingView(
    user: CurrentUser,
    applicationId: string,
    findingId: string,
    remediationsPage: PageRequest = { size: REMEDIATIONS_PER_FINDING },
  ) {
    const app = await load(applicationId);
    assertCanRead(user, app, 'security');
    const [found, counts] = await Promise.all([
      repo.findFinding(deps.db, app.id, findingId),
      repo.countOpen(deps.db, app.id),
    ]);
    if (!found) throw new AppError('not_found', 'finding');
    const [f] = await withRemediations(user, app, [found], { findingId, page: remediationsPage });
    return { finding: f!, openCriticalOrHigh: counts.openCriticalOrHigh };
  }

  /**
   * The findings cursor of a page that shows `findingId`: null when it is on the first page (or there is no such
   * finding), else the page that starts at it (the cursor is the key of the finding before it). A form about a
   * finding re-renders or redirects to it. One index range read of at most PAGE_SIZE_DEFAULT rows.
   */
  async function findingsCursorAt(user: CurrentUser, applicationId: string, findingId: string) {
    const app = await load(applicationId);
    assertCanRead(user, app, 'security');
    const found = await repo.findFinding(deps.db, app.id, findingId);
    if (!found) return null;
    const before = await repo.findingsPage(deps.db, app.id, {
      before: [SEVERITIES.indexOf(found.severity), found.createdAt, found.id],
      size: PAGE_SIZE_DEFAULT,
    });
    // Fewer than a page before it: the first page shows it.
    if (!before.previous && before.rows.length < PAGE_SIZE_DEFAULT) return null;
    return before.next;
  }

  /** The titles of the findings an application's history names (its events may name findings of any page). */
  async function findingTitles(user: CurrentUser, applicationId: string, ids: readonly string[]) {
    const app = await load(applicationId);
    assertCanRead(user, app, 'security');
    return repo.findingTitles(deps.db, app.id, ids);
  }

  /**
   * Stage 4 in brief (the staff review screen): how many required documents are uploaded, and the open findings
   * (all, and critical or high). Reads which slots hold a file, never the list of every version.
   */
  async function brief(user: CurrentUser, applicationId: string) {
    const app = await load(applicationId);
    assertCanRead(user, app, 'security');
    const [slots, counts] = await Promise.all([
      storedFiles.slotsWithFiles(app.id, REQUIRED_DOCUMENT_KINDS),
      repo.countOpen(deps.db, app.id),
    ]);
    return {
      uploaded: slots.length,
      total: REQUIRED_DOCUMENT_KINDS.length,
      open: counts.open,
      openCriticalOrHigh: counts.openCriticalOrHigh,
    };
  }

  return {
    view,
    findingView,
    findingsCursorAt,
    findingTitles,
    brief,

    /**
     * Whether the user may send files to this application at all (its organization's members; staff 403,
     * anyone else 404). Checked before an upload's body is read; uploadDocument/remediate check again.
     */
    async assertCanUpload(user: CurrentUser, applicationId: string): Promise<void> {
      assertApplicant(user, await load(applicationId));
    },

    /** A new version of one of the required documents; earlier versions are kept. */
    async uploadDocument(
      user: CurrentUser,
      applicationId: string,
      kind: unknown,
      file: UploadedFile | null,
    ): Promise<FileMeta> {
      const app = await load(applicationId);
      assertApplicant(user, app);
      const errors: FieldError[] = [];
      if (!isDocumentKind(kind)) errors.push({ field: 'kind', message: 'inspection.errors.kind_required' });
      const checked = await checkUpload(isDocumentKind(kind) ? `file-${kind}` : 'file', file);
      if (!checked.ok) errors.push(checked.error);
      if (errors.length || !checked.ok || !isDocumentKind(kind)) throw validationFailed(errors);
      return deps.db.transaction(async (trx) => {
        const current = await lockApplication(trx, app.id);
        if (current.stage !== 'security' || !DOCUMENT_EDITABLE.has(current.status))
          throw new AppError('conflict', 'documents cannot change now', {
            currentState: `${current.stage}:${current.status}`,
          });
        const meta = await storeFile(trx, current, kind, checked.upload, user);
        await deps.audit.record(
          {
            event: 'security.document_uploaded',
            actor: actorOf(user),
            organizationId: app.organizationId,
            applicationId: app.id,
            data: {
              kind,
              version: meta.version,
              fileId: meta.id,
              filename: meta.filename,
              sha256: meta.sha256,
              sizeBytes: meta.sizeBytes,
              contentType: meta.contentType,
            },
          },
          trx,
        );
        return meta;
      });
    },

    /** The bytes of one stored file, for organization members and the staff who read security (STAFF_READERS). */
    async download(user: CurrentUser, applicationId: string, fileId: string): Promise<FileWithContent> {
      const app = await load(applicationId);
      assertCanRead(user, app, 'security');
      const file = await storedFiles.findFile(app.id, fileId);
      if (!file || file.organizationId !== app.organizationId) throw new AppError('not_found', 'file');
      return file;
    },

    /** The applicant hands the stage to the inspector once every required document has a version. */
    async submit(user: CurrentUser, applicationId: string): Promise<void> {
      const app = await load(applicationId);
      assertApplicant(user, app);
      await deps.db.transaction(async (trx) => {
        await lockApplication(trx, app.id);
        const missing = missingDocumentKinds(await storedFiles.slotsWithFiles(app.id, REQUIRED_DOCUMENT_KINDS, trx));
        if (missing.length)
          throw validationFailed(
            missing.map((k) => ({ field: `document-${k}`, message: `inspection.errors.missing_${k}` })),
          );
        await deps.workflow.transition(app.id, 'submit', user, {}, { trx });
      });
    },

    async recordFinding(user: CurrentUser, applicationId: string, input: Record<string, unknown>): Promise<Finding> {
      const app = await load(applicationId);
      assertStaff(user, app, ['inspector']);
      const severity = input.severity;
      const title = text(input.title, MAX_TITLE);
      const description = text(input.description, MAX_TEXT);
      const errors: FieldError[] = [];
      if (!isSeverity(severity)) errors.push({ field: 'severity', message: 'inspection.errors.severity_required' });
      if (!title) errors.push({ field: 'title', message: 'inspection.errors.title_required' });
      else if (title.length > MAX_TITLE)
        errors.push({ field: 'title', message: 'inspection.errors.too_long', params: { max: MAX_TITLE } });
      if (!description) errors.push({ field: 'description', message: 'inspection.errors.description_required' });
      else if (description.length > MAX_TEXT)
        errors.push({ field: 'description', message: 'inspection.errors.too_long', params: { max: MAX_TEXT } });
      if (errors.length) throw validationFailed(errors);
      return deps.db.transaction(async (trx) => {
        const current = await lockApplication(trx, app.id);
        if (!inSecurity(current))
          throw new AppError('conflict', 'not in the security stage', {
            currentState: `${current.stage}:${current.status}`,
          });
        const t = now();
        const finding: Finding = {
          id: deps.ids(),
          applicationId: app.id,
          organizationId: app.organizationId,
          severity: severity as Severity,
          title,
          description,
          status: 'open',
          createdBy: user.id,
          createdAt: t,
          updatedAt: t,
          closedBy: null,
          closedAt: null,
        };
        await repo.insertFinding(trx, finding);
        await deps.audit.record(
          {
            event: 'security.finding_recorded',
            actor: actorOf(user),
            organizationId: app.organizationId,
            applicationId: app.id,
            data: { findingId: finding.id, severity: finding.severity, title },
          },
          trx,
        );
        return finding;
      });
    },

    /** The applicant answers a finding: text, optionally a file (same rules as documents). */
    async remediate(
      user: CurrentUser,
      applicationId: string,
      findingId: string,
      input: { text: unknown; file: UploadedFile | null },
    ): Promise<void> {
      const app = await load(applicationId);
      assertApplicant(user, app);
      const answer = text(input.text, MAX_TEXT);
      const errors: FieldError[] = [];
      const field = `remediation-${findingId}`;
      if (!answer) errors.push({ field, message: 'inspection.errors.remediation_required' });
      else if (answer.length > MAX_TEXT)
        errors.push({ field, message: 'inspection.errors.too_long', params: { max: MAX_TEXT } });
      let upload: CheckedUpload | null = null;
      const fileGiven = input.file && !(input.file.isEmpty && !input.file.filename);
      if (fileGiven) {
        const checked = await checkUpload(`remediation-file-${findingId}`, input.file);
        if (checked.ok) upload = checked.upload;
        else errors.push(checked.error);
      }
      if (errors.length) throw validationFailed(errors);
      await deps.db.transaction(async (trx) => {
        const current = await lockApplication(trx, app.id);
        if (!inSecurity(current))
          throw new AppError('conflict', 'not in the security stage', {
            currentState: `${current.stage}:${current.status}`,
          });
        const finding = await repo.findFinding(trx, app.id, findingId);
        if (!finding) throw new AppError('not_found', 'finding');
        const next = nextFindingStatus(finding.status, 'remediate');
        if (!next) throw new AppError('conflict', 'finding is closed');
        const file = upload ? await storeFile(trx, current, remediationSlot(finding.id), upload, user) : null;
        const t = now();
        await repo.insertRemediation(trx, {
          id: deps.ids(),
          findingId: finding.id,
          applicationId: app.id,
          text: answer,
          fileId: file?.id ?? null,
          submittedBy: user.id,
          submittedAt: t,
        });
        if (
          !(await repo.updateFindingStatus(trx, finding.id, finding.status, {
            status: next,
            updatedAt: t,
            closedBy: null,
            closedAt: null,
          }))
        ) {
          throw new AppError('conflict', 'finding changed');
        }
        await deps.audit.record(
          {
            event: 'security.remediation_submitted',
            actor: actorOf(user),
            organizationId: app.organizationId,
            applicationId: app.id,
            data: {
              findingId: finding.id,
              fromStatus: finding.status,
              toStatus: next,
              ...(file ? { fileId: file.id, filename: file.filename, sha256: file.sha256, version: file.version } : {}),
            },
          },
          trx,
        );
      });
    },

    /**
     * The inspector verifies (closes) a remediated finding, reopens one, or withdraws one nobody needs to
     * fix; reopening and withdrawing need a reason the applicant sees.
     */
    async changeFinding(
      user: CurrentUser,
      applicationId: string,
      findingId: string,
      action: Extract<FindingAction, 'verify' | 'reopen' | 'withdraw'>,
      input: Record<string, unknown>,
    ): Promise<void> {
      const app = await load(applicationId);
      assertStaff(user, app, ['inspector']);
      const note = text(input.note, MAX_TEXT);
      const field = action === 'withdraw' ? `withdraw-${findingId}` : `note-${findingId}`;
      if (action === 'reopen' && !note)
        throw validationFailed([{ field, message: 'inspection.errors.reopen_reason_required' }]);
      if (action === 'withdraw' && !note)
        throw validationFailed([{ field, message: 'inspection.errors.withdraw_reason_required' }]);
      if (note.length > MAX_TEXT)
        throw validationFailed([{ field, message: 'inspection.errors.too_long', params: { max: MAX_TEXT } }]);
      await deps.db.transaction(async (trx) => {
        const current = await lockApplication(trx, app.id);
        if (!inSecurity(current))
          throw new AppError('conflict', 'not in the security stage', {
            currentState: `${current.stage}:${current.status}`,
          });
        const finding = await repo.findFinding(trx, app.id, findingId);
        if (!finding) throw new AppError('not_found', 'finding');
        if (action === 'verify' && finding.status === 'open') {
          throw validationFailed([{ field, message: 'inspection.errors.verify_needs_remediation' }]);
        }
        const next = nextFindingStatus(finding.status, action);
        if (!next) throw new AppError('conflict', `cannot ${action} a ${finding.status} finding`);
        const t = now();
        const closing = next === 'closed' || next === 'withdrawn';
        if (
          !(await repo.updateFindingStatus(trx, finding.id, finding.status, {
            status: next,
            updatedAt: t,
            closedBy: closing ? user.id : null,
            closedAt: closing ? t : null,
          }))
        ) {
          throw new AppError('conflict', 'finding changed');
        }
        await deps.audit.record(
          {
            event:
              action === 'verify'
                ? 'security.finding_verified'
                : action === 'withdraw'
                  ? 'security.finding_withdrawn'
                  : 'security.finding_reopened',
            actor: actorOf(user),
            organizationId: app.organizationId,
            applicationId: app.id,
            reason: note || null,
            data: { findingId: finding.id, severity: finding.severity, fromStatus: finding.status, toStatus: next },
          },
          trx,
        );
      });
    },

    /**
     * The inspector's decision with a reason (and an optional internal note, hidden from the applicant). Approval is guarded by the workflow: no open critical or high
     * finding, counted inside the same transaction as the state change (rows locked on PostgreSQL).
     */
    async decide(user: CurrentUser, applicationId: string, input: Record<string, unknown>): Promise<StaffDecision> {
      const app = await load(applicationId);
      assertStaff(user, app, ['inspector']);
      const decision = input.decision;
      const reason = text(input.reason, MAX_TEXT);
      const errors: FieldError[] = [];
      const known = typeof decision === 'string' && (STAFF_DECISIONS as readonly string[]).includes(decision);
      if (!known) errors.push({ field: 'decision', message: 'inspection.errors.decision_required' });
      // Each decision has its own form on the page; its reason field is named after it.
      const reasonField = known ? `reason_${decision}` : 'reason';
      if (!reason) errors.push({ field: reasonField, message: 'inspection.errors.reason_required' });
      else if (reason.length > MAX_TEXT)
        errors.push({ field: reasonField, message: 'inspection.errors.too_long', params: { max: MAX_TEXT } });
      const sections = (
        Array.isArray(input.sections) ? input.sections : input.sections === undefined ? [] : [input.sections]
      ).filter((x): x is string => typeof x === 'string');
      if (
        decision === 'request_changes' &&
        (sections.length === 0 || !sections.every((x) => CHANGE_REQUEST_SECTIONS.includes(x)))
      ) {
        errors.push({ field: 'sections', message: 'inspection.errors.sections_required' });
      }
      if (errors.length) throw validationFailed(errors);
      const event = decision as StaffDecision;
      await deps.db.transaction(async (trx) => {
        await lockApplication(trx, app.id);
        const findings = await repo.lockFindings(trx, app.id);
        const open = countOpenCriticalOrHigh(findings);
        if (event === 'approve' && open > 0) {
          throw validationFailed([
            { field: 'findings', message: 'inspection.errors.open_critical_or_high', params: { count: open } },
          ]);
        }
        await deps.workflow.transition(
          app.id,
          event,
          user,
          {
            reason,
            sections: event === 'request_changes' ? sections : undefined,
            allowedSections: CHANGE_REQUEST_SECTIONS,
            // Staff-only note: the workflow validates it and records it as an internal audit event.
            internalNote: input.internal_note,
            context: { openCriticalOrHighFindings: open },
            auditData: { openCriticalOrHighFindings: open },
          },
          { trx },
        );
      });
      return event;
    },
  };
}
export type InspectionService = ReturnType<typeof createInspectionService>;
