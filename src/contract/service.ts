// Stage 5, the contract (이용계약): generated from the latest submitted application version, signed by the
// organization's owner (typed name, acceptance, time and IP), countersigned by a contract officer who is
// neither the suitability approver nor the signer. Countersigning makes the application live and hands
// over to production credential issuance (onContractCountersigned) inside the same transaction.
import type { Knex } from 'knex';
import type { CurrentUser } from '../accounts/types';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import { AppError, validationFailed, type FieldError } from '../http/errors';
import { koreanToday } from '../onboarding/form-values';
import type { Answers } from '../onboarding/summary';
import { dutyError, type WorkflowService } from '../workflow/service';
import {
  assertApplicant,
  assertCanRead,
  assertStaff,
  isOrgMemberOf,
  type ApplicationSummary,
} from '../workflow/application-access';
import { createApplications } from '../workflow/applications';
import { typedText as text } from '../workflow/typed-text';
import { createAuditService, type AuditService } from '../audit/service';
import type { Locale } from '../i18n';
import { buildContractDocument, freezeContractDocument, type ContractDocument } from './contract-document';
import { createContractPdfRecorder, hasPdf, type ContractPdf } from './contract-pdf-record';
import { contractNumber } from './contract-number';
import { fourEyesViolation, type FourEyesViolation } from './countersign-four-eyes';
import { CURRENT_FEE_SCHEDULE } from './fee-schedule';
import { createContractRepository, type ContractRecord } from './repository';
import type { PageRequest } from '../pagination/cursor';

/** The shape of the versions list's cursor (routes read it; the repository pages by it). */
export { CONTRACT_VERSIONS_CURSOR } from './repository';
/** Versions a page on the contract pages (a contract is signed again only after it was sent back: few). */
export const CONTRACT_VERSIONS_PER_PAGE = 20;
import { signatureNameMatches } from './signature-name-match';

export interface ContractDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  workflow: Pick<WorkflowService, 'transition' | 'dutyViolationFor'>;
  /**
   * Production credential issuance, called inside the countersignature transaction (after the application
   * became live). A failure rolls the countersignature back. src/services.ts wires credentials.issueProductionCredentials.
   */
  onContractCountersigned?: (applicationId: string, trx: Knex.Transaction) => Promise<void>;
  /** Where the contract PDF's recorded hashes are audited; by default an audit service over the same db. */
  audit?: Pick<AuditService, 'record'>;
}

/** What a contract officer can send back with request_changes. */
const CONTRACT_CHANGE_SECTIONS: readonly string[] = ['signature'];
const SIGNABLE = new Set(['in_progress', 'changes_requested']);
const COUNTERSIGNABLE = new Set(['submitted', 'in_review']);
const MAX_REASON = 4000;

export interface ContractView {
  application: ApplicationSummary;
  document: ContractDocument | null;
  /** The version that the document shows, when it is a signed one. */
  current: ContractRecord | null;
  /** The newest version (signed, countersigned or returned); null before the first signature. */
  latest: ContractRecord | null;
  /** One page of the versions, newest first, with the cursors of the next (older) and previous pages. */
  history: ContractRecord[];
  historyNext: string | null;
  historyPrevious: string | null;
  isDraft: boolean;
  canSign: boolean;
  /** A member (not owner) of the organization: sees the contract, cannot sign. */
  signerIsOwnerOnly: boolean;
  canCountersign: boolean;
  fourEyes: FourEyesViolation | null;
  /** Why this officer may not decide the contract (they decided another stage), as a message key. */
  dutyMessageKey: string | null;
}

export function createContractService(deps: ContractDeps) {
  const repo = createContractRepository();
  const pdfRecorder = createContractPdfRecorder({ db: deps.db, repo, audit: deps.audit ?? createAuditService(deps) });
  // The application row's owner: loading (not_found when absent) and locking it for a change.
  const { load, lock: lockApplication } = createApplications(deps.db);

  /** The document as it would be signed now: from the latest submitted application version, current terms. */
  async function draftDocument(app: ApplicationSummary, trx?: Knex.Transaction): Promise<ContractDocument | null> {
    const version = await repo.latestApplicationVersion(trx ?? deps.db, app.id);
    if (!version) return null;
    return buildContractDocument({
      answers: version.answers as Answers,
      applicationReference: app.reference,
      applicationVersion: version.version,
      schedule: CURRENT_FEE_SCHEDULE,
    });
  }

  async function fourEyesFor(
    user: CurrentUser,
    app: ApplicationSummary,
    signed: ContractRecord | null,
    trx?: Knex.Transaction,
  ): Promise<FourEyesViolation | null> {
    if (!signed) return null;
    return fourEyesViolation(user.id, {
      suitabilityApproverIds: await repo.suitabilityApproverIds(trx ?? deps.db, app.id),
      signerId: signed.signerUserId,
    });
  }

  return {
    /** The recorded PDF hashes (per language) of the contract a view shows; null before the owner signs. */
    async pdfHashes(view: Pick<ContractView, 'current'>): Promise<Record<Locale, string> | null> {
      return hasPdf(view.current) ? pdfRecorder.hashes(view.current) : null;
    },

    /** The signed contract as a PDF in `locale`, for whoever may read the contract; not_found before signing. */
    async pdf(
      user: CurrentUser,
      applicationId: string,
      locale: Locale,
    ): Promise<ContractPdf & { contractNumber: string }> {
      const app = await load(applicationId);
      assertCanRead(user, app, 'contract');
      const latest = await repo.latestForApplication(deps.db, app.id);
      if (!hasPdf(latest)) throw new AppError('not_found', 'the contract is not signed');
      return { ...(await pdfRecorder.render(latest, locale)), contractNumber: contractNumber(latest) };
    },

    /** The contract as `user` may see it, with one page of its versions (`historyPage`, newest first). */
    async view(
      user: CurrentUser,
      applicationId: string,
      historyPage: PageRequest = { size: CONTRACT_VERSIONS_PER_PAGE },
    ): Promise<ContractView> {
      const app = await load(applicationId);
      assertCanRead(user, app, 'contract');
      let [latest, history] = await Promise.all([
        repo.latestForApplication(deps.db, app.id),
        repo.pageForApplication(deps.db, app.id, historyPage),
      ]);
      // A cursor past either end (hand-made, or from another application) shows the first page, not "no versions".
      if (history.rows.length === 0 && latest && (historyPage.after || historyPage.before))
        history = await repo.pageForApplication(deps.db, app.id, { size: historyPage.size });
      const signedNow = latest && latest.status !== 'returned' ? latest : null;
      const inContract = app.stage === 'contract';
      const isOwner = isOrgMemberOf(user, app) && user.orgRole === 'owner';
      const isOfficer = user.staffRole === 'contract_officer' || user.staffRole === 'admin';
      const awaitingCountersignature = inContract && COUNTERSIGNABLE.has(app.status) && signedNow?.status === 'signed';
      const fourEyes = isOfficer && awaitingCountersignature ? await fourEyesFor(user, app, signedNow) : null;
      // Separation of duties (src/workflow/separation-of-duties.ts): an officer who decided another stage of this
      // application is told so instead of being offered the countersignature.
      const duty =
        isOfficer && awaitingCountersignature && fourEyes === null
          ? await deps.workflow.dutyViolationFor(app.id, user)
          : null;
      return {
        application: app,
        document: signedNow ? signedNow.document : await draftDocument(app),
        current: signedNow,
        latest,
        history: history.rows,
        historyNext: history.next,
        historyPrevious: history.previous,
        isDraft: !signedNow,
        canSign: isOwner && inContract && SIGNABLE.has(app.status),
        signerIsOwnerOnly: isOrgMemberOf(user, app) && !isOwner && inContract && SIGNABLE.has(app.status),
        canCountersign: isOfficer && Boolean(awaitingCountersignature) && fourEyes === null && duty === null,
        fourEyes,
        dutyMessageKey: duty ? dutyError(duty).message : null,
      };
    },

    /** The owner signs: full name as on their account, acceptance ticked; name, time and IP are kept. */
    async sign(
      user: CurrentUser,
      applicationId: string,
      body: Record<string, unknown>,
      ip: string,
    ): Promise<ContractRecord> {
      const app = await load(applicationId);
      assertApplicant(user, app);
      if (user.orgRole !== 'owner') throw new AppError('forbidden', 'only the owner signs');
      const typed = text(body.full_name, 100);
      const errors: FieldError[] = [];
      if (!typed) errors.push({ field: 'full_name', message: 'contract.errors.full_name_required' });
      else if (!signatureNameMatches(typed, user.name))
        errors.push({ field: 'full_name', message: 'contract.errors.full_name_mismatch' });
      if (body.accept !== 'yes') errors.push({ field: 'accept', message: 'contract.errors.accept_required' });
      if (errors.length) throw validationFailed(errors);
      return deps.db.transaction(async (trx) => {
        const current = await lockApplication(trx, app.id);
        if (current.stage !== 'contract' || !SIGNABLE.has(current.status)) {
          throw new AppError('conflict', 'the contract cannot be signed now', {
            currentState: `${current.stage}:${current.status}`,
          });
        }
        const document = await draftDocument(current, trx);
        if (!document) throw new AppError('conflict', 'no submitted application version');
        const frozen = freezeContractDocument(document);
        const previous = await repo.latestForApplication(trx, app.id);
        const signedAt = deps.clock().toISOString();
        const record: ContractRecord = {
          id: deps.ids(),
          applicationId: app.id,
          organizationId: app.organizationId,
          version: (previous?.version ?? 0) + 1,
          termsVersion: document.termsVersion,
          document,
          documentSha256: frozen.sha256,
          status: 'signed',
          signerUserId: user.id,
          signerName: typed,
          signerEmail: user.email,
          signedAt,
          signerIp: ip,
          countersignerUserId: null,
          countersignerName: null,
          countersignedAt: null,
          countersignerIp: null,
          effectiveDate: null,
          returnedAt: null,
          returnedReason: null,
        };
        await deps.workflow.transition(
          app.id,
          'sign',
          user,
          {
            auditData: {
              contractId: record.id,
              contractVersion: record.version,
              termsVersion: record.termsVersion,
              documentSha256: frozen.sha256,
              signerName: typed,
              signedAt,
              ip,
            },
          },
          { trx },
        );
        await repo.insert(trx, record);
        return record;
      });
    },

    /** The contract officer countersigns (four eyes); the application goes live and production credentials are issued. */
    async countersign(
      user: CurrentUser,
      applicationId: string,
      body: Record<string, unknown>,
      ip: string,
    ): Promise<ContractRecord> {
      const app = await load(applicationId);
      assertStaff(user, app, ['contract_officer']);
      const reason = text(body.note, MAX_REASON);
      if (!reason) throw validationFailed([{ field: 'note', message: 'contract.errors.countersign_note_required' }]);
      if (reason.length > MAX_REASON)
        throw validationFailed([{ field: 'note', message: 'contract.errors.too_long', params: { max: MAX_REASON } }]);
      return deps.db.transaction(async (trx) => {
        const current = await lockApplication(trx, app.id);
        const signed = await repo.latestForApplication(trx, app.id);
        if (
          current.stage !== 'contract' ||
          !COUNTERSIGNABLE.has(current.status) ||
          !signed ||
          signed.status !== 'signed'
        ) {
          throw new AppError('conflict', 'nothing to countersign', {
            currentState: `${current.stage}:${current.status}`,
          });
        }
        const violation = await fourEyesFor(user, current, signed, trx);
        if (violation)
          throw validationFailed([{ field: 'countersign', message: `contract.errors.four_eyes_${violation}` }]);
        const at = deps.clock().toISOString();
        const effectiveDate = koreanToday(deps.clock());
        if (!(await repo.markCountersigned(trx, signed.id, { userId: user.id, at, ip, effectiveDate })))
          throw new AppError('conflict', 'the contract changed');
        await deps.workflow.transition(
          app.id,
          'countersign',
          user,
          {
            reason,
            auditData: {
              contractId: signed.id,
              contractVersion: signed.version,
              documentSha256: signed.documentSha256,
              countersignedAt: at,
              ip,
              effectiveDate,
            },
          },
          { trx },
        );
        if (deps.onContractCountersigned) await deps.onContractCountersigned(app.id, trx);
        return {
          ...signed,
          status: 'countersigned',
          countersignerUserId: user.id,
          countersignerName: user.name,
          countersignedAt: at,
          countersignerIp: ip,
          effectiveDate,
        };
      });
    },

    /**
     * The contract officer sends the signed contract back with a reason (and an optional internal note, hidden
     * from the applicant); the owner signs again (a new version).
     */
    async requestChanges(user: CurrentUser, applicationId: string, body: Record<string, unknown>): Promise<void> {
      const app = await load(applicationId);
      assertStaff(user, app, ['contract_officer']);
      const reason = text(body.reason, MAX_REASON);
      if (!reason) throw validationFailed([{ field: 'reason', message: 'contract.errors.reason_required' }]);
      if (reason.length > MAX_REASON)
        throw validationFailed([{ field: 'reason', message: 'contract.errors.too_long', params: { max: MAX_REASON } }]);
      await deps.db.transaction(async (trx) => {
        await lockApplication(trx, app.id);
        const signed = await repo.latestForApplication(trx, app.id);
        await deps.workflow.transition(
          app.id,
          'request_changes',
          user,
          {
            reason,
            sections: CONTRACT_CHANGE_SECTIONS,
            allowedSections: CONTRACT_CHANGE_SECTIONS,
            // Staff-only note: the workflow validates it and records it as an internal audit event.
            internalNote: body.internal_note,
            auditData: signed ? { contractId: signed.id, contractVersion: signed.version } : {},
          },
          { trx },
        );
        if (signed && signed.status === 'signed')
          await repo.markReturned(trx, signed.id, deps.clock().toISOString(), reason);
      });
    },
  };
}
export type ContractService = ReturnType<typeof createContractService>;
