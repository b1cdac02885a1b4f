// Onboarding stage 1: the applicant's draft application, saved per section, checked, and submitted as a
// frozen version with a reference number. Also the read model the staff review pages reuse
// (loadApplicationRecord, formatApplicationSummary).
import type { DirectEmail } from '../notifications/service';
import type { AppConfig } from '../config';
import { isLocale, type Locale } from '../i18n';
import { buildReceipt, receiptText } from './receipt';
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { Runner } from '../db/knex';
import type { AuditService, AuditEvent } from '../audit/service';
import type { Page, PageRequest } from '../pagination/cursor';
import type { CurrentUser } from '../accounts/types';
import { AppError, conflict, notFound, validationFailed, type FieldError } from '../http/errors';
import { decide, isStage, isStatus, type WorkflowState } from '../workflow/state-machine';
import { applicantWorksIn } from '../workflow/stages';
import { createApplications, type ApplicationRow } from '../workflow/applications';
import type { Transition } from '../workflow/transition-types';
import { createOnboardingRepository } from './repository';
import { isActive } from './application-states';
import { checkDeclarations, type Declaration } from './declarations';
import { koreanToday, koreanYear } from './form-values';
import { canEditSection, documentsEditable, editableSections, requestedSections } from './section-editing';
import { APPLICATION_DOCUMENT_KINDS, missingDocumentKinds, type FrozenDocument } from './application-documents';
import { latestDocuments, missingDocumentErrors } from './application-documents-service';
import { createStoredFiles } from '../uploads/stored-files';
import {
  isSectionComplete,
  readSectionForm,
  SECTION_KEYS,
  validateSection,
  type SectionData,
  type SectionKey,
  type ValidationContext,
} from './sections';
import type { Answers } from './summary';
import { formatReference } from './reference-number';

export { formatApplicationSummary, type Answers } from './summary';
export { readTypedAnswers } from './answers';

interface ApplicationVersion {
  version: number;
  stage: string;
  /** `documents`: the document versions submitted with this version (absent in versions from before documents). */
  answers: Answers & { declarations?: Declaration[]; documents?: FrozenDocument[] };
  submittedBy: string | null;
  submittedAt: string;
}

/**
 * One application: the row, the current answers per section, and a page of its frozen versions, newest first (by
 * default the newest RECORD_VERSIONS: what the review's diff and the readers of the latest version need).
 */
export interface ApplicationRecord {
  application: ApplicationRow;
  answers: Answers;
  versions: ApplicationVersion[];
  /** Cursor of the older versions (`VERSIONS_CURSOR`); null: the oldest is in `versions`. */
  versionsNext: string | null;
  /** Sections the reviewer asked to change (only meaningful while status is changes_requested). */
  requestedSections: SectionKey[];
}

export type SaveMode = 'draft' | 'continue';

/** Versions a record holds unless asked for a page: the latest and the one before it (the review's diff). */
const RECORD_VERSIONS = 2;
export { VERSIONS_CURSOR } from './repository';

/**
 * Loads an application with all sections and a page of its versions (`versionsPage`, newest first; by default the
 * newest RECORD_VERSIONS), without any access check (callers check). `row`: the application row the caller has
 * already read (e.g. workflow's loadFor), so it is not read a second time.
 */
export async function loadApplicationRecord(
  db: Runner,
  id: string,
  trx?: Runner,
  row?: ApplicationRow,
  versionsPage: PageRequest = { size: RECORD_VERSIONS },
): Promise<ApplicationRecord | null> {
  const repo = createOnboardingRepository();
  const run = trx ?? db;
  const application = row && row.id === id ? row : await createApplications(db).find(id, trx);
  if (!application) return null;
  const [answers, versions] = await Promise.all([repo.listAnswers(run, id), repo.versionsPage(run, id, versionsPage)]);
  return {
    application,
    answers,
    versionsNext: versions.next,
    versions: versions.rows.map((v) => ({
      version: v.version,
      stage: v.stage,
      answers: JSON.parse(v.answers) as ApplicationVersion['answers'],
      submittedBy: v.submitted_by,
      submittedAt: v.submitted_at,
    })),
    requestedSections: requestedSections(application),
  };
}

export interface OnboardingDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /** The submission is a workflow transition (compare-and-set, audit, the reviewers told), in the submit's transaction. */
  workflow: { transition: Transition };
  /** The receipt e-mail to the person who submitted goes through the outbox, in the submit transaction. */
  mail?: { queueEmail(mail: DirectEmail, trx?: Knex.Transaction): Promise<void> };
  config?: Pick<AppConfig, 'baseUrl'>;
}

export function createOnboardingService(deps: OnboardingDeps) {
  const repo = createOnboardingRepository();
  const applications = createApplications(deps.db);
  const documentFiles = createStoredFiles(deps.db, 'application_files');
  const now = () => deps.clock().toISOString();
  const ctx = (): ValidationContext => ({ today: koreanToday(deps.clock()) });
  const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.email });

  /** The application if it belongs to the user's organization; another organization's is "not found". */
  async function ownApplication(user: CurrentUser, id: string, trx?: Runner): Promise<ApplicationRow> {
    if (!user.organizationId) throw new AppError('forbidden', 'organization members only');
    const app = await applications.find(id, trx);
    if (!app || app.organization_id !== user.organizationId) throw notFound('application');
    return app;
  }

  /** Per section: complete / in progress / not started. */
  function sectionStates(answers: Answers, c = ctx()): Record<SectionKey, 'completed' | 'in_progress' | 'not_started'> {
    const out = {} as Record<SectionKey, 'completed' | 'in_progress' | 'not_started'>;
    for (const k of SECTION_KEYS)
      out[k] = !answers[k] ? 'not_started' : isSectionComplete(k, answers[k], c) ? 'completed' : 'in_progress';
    return out;
  }

  /**
   * Field errors naming each section that is missing or not valid (for the check page). Only the sections
   * the applicant may edit are checked: the others are frozen as they were accepted in the last version
   * (a launch date that has passed since must not block a resubmission that cannot change it).
   */
  function incompleteSections(
    answers: Answers,
    c = ctx(),
    sections: readonly SectionKey[] = SECTION_KEYS,
  ): FieldError[] {
    return SECTION_KEYS.filter((k) => sections.includes(k) && !isSectionComplete(k, answers[k], c)).map((k) => ({
      field: `section-${k}`,
      message: answers[k] ? 'onboarding.errors.section_invalid' : 'onboarding.errors.section_missing',
      params: { section: k },
    }));
  }

  return {
    sectionStates,
    incompleteSections,
    validationContext: ctx,

    /** The organization's applications, newest first, and the one shown on the applicant's home page. */
    async forOrganization(organizationId: string): Promise<{ current: ApplicationRow | null; all: ApplicationRow[] }> {
      const all = await applications.listForOrganization(organizationId);
      return { current: all.find((a) => isActive(a)) ?? all[0] ?? null, all };
    },

    /** Creates the organization's draft unless it already has an active application; returns its id. */
    async createDraft(user: CurrentUser): Promise<{ id: string; created: boolean }> {
      if (!user.organizationId) throw new AppError('forbidden', 'organization members only');
      const orgId = user.organizationId;
      return deps.db.transaction(async (trx) => {
        await repo.lockOrganization(trx, orgId);
        const existing = (await applications.listForOrganization(orgId, trx)).find((a) => isActive(a));
        if (existing) return { id: existing.id, created: false };
        const id = deps.ids();
        const ts = now();
        await applications.create({ id, organizationId: orgId, now: ts }, trx);
        await deps.audit.record(
          {
            event: 'application.created',
            actor: actorOf(user),
            organizationId: orgId,
            applicationId: id,
            toState: 'application:draft',
          },
          trx,
        );
        return { id, created: true };
      });
    },

    ownApplication,

    async loadForApplicant(user: CurrentUser, id: string): Promise<ApplicationRecord> {
      await ownApplication(user, id);
      return (await loadApplicationRecord(deps.db, id))!;
    },

    /**
     * The record of an application the user may see, with its organization's name: staff any (the workflow's
     * access rule), applicants their organization's (else 404). For the JSON API's application detail.
     */
    async loadVisibleRecord(
      user: CurrentUser,
      id: string,
      versionsPage?: PageRequest,
    ): Promise<{ record: ApplicationRecord; organizationName: string | null }> {
      if (!user.staffRole) {
        await ownApplication(user, id);
        return {
          record: (await loadApplicationRecord(deps.db, id, undefined, undefined, versionsPage))!,
          organizationName: user.organizationName,
        };
      }
      const visible = await applications.loadFor(id, user);
      const record = await loadApplicationRecord(deps.db, id, undefined, undefined, versionsPage);
      if (!record) throw notFound('application');
      return { record, organizationName: visible.organization_name };
    },

    /** The applicant-visible timeline, newest first, a page at a time (internal staff notes are left out). */
    timeline(applicationId: string, page: PageRequest): Promise<Page<AuditEvent>> {
      return deps.audit.pageForApplication(applicationId, { includeInternal: false, newestFirst: true }, page);
    },

    /** The newest change request on the application (its reason tells the applicant what to fix), or null. */
    latestChangeRequest(applicationId: string): Promise<AuditEvent | null> {
      return deps.audit.latestOf(applicationId, 'application.changes_requested');
    },

    /**
     * Saves one page. "draft" keeps whatever was typed (normalized where valid); "continue" refuses
     * anything invalid. Either way only allow-listed fields are stored, in this section's own row.
     */
    async saveSection(
      user: CurrentUser,
      id: string,
      section: SectionKey,
      body: unknown,
      mode: SaveMode,
    ): Promise<SectionData> {
      const app = await ownApplication(user, id);
      if (!canEditSection(app, section))
        throw conflict('onboarding.conflict.not_editable', `${app.stage}:${app.status}`);
      const form = readSectionForm(section, body);
      if (form.errors.length) throw validationFailed(form.errors);
      const checked = validateSection(section, form.data, ctx());
      if (mode === 'continue' && checked.errors.length) throw validationFailed(checked.errors);
      await deps.db.transaction(async (trx) => {
        // Checked again under the row lock: a submit between our read and this write wins.
        const locked = await applications.lockRow(trx, id);
        if (!locked || !canEditSection(locked, section)) throw conflict('onboarding.conflict.not_editable');
        const ts = now();
        await repo.upsertAnswer(trx, { applicationId: id, section, data: checked.data, userId: user.id, now: ts });
        await applications.touch(id, ts, trx);
      });
      return checked.data;
    },

    /**
     * Saves several complete sections at once (the JSON API), all or nothing: every section given is read and
     * validated like a page's "continue" before anything is written, then all are saved in ONE transaction
     * that re-checks, under the row lock, that each is still editable. Field errors are named
     * `<section>.<field>`. A section that is not editable now is a conflict naming the current state.
     */
    async saveSections(
      user: CurrentUser,
      id: string,
      bodies: Partial<Record<SectionKey, unknown>>,
    ): Promise<Partial<Record<SectionKey, SectionData>>> {
      const app = await ownApplication(user, id);
      const sections = SECTION_KEYS.filter((k) => bodies[k] !== undefined);
      if (sections.length === 0) return {};
      if (sections.some((k) => !canEditSection(app, k)))
        throw conflict('onboarding.conflict.not_editable', `${app.stage}:${app.status}`);
      const c = ctx();
      const errors: FieldError[] = [];
      const checked: Partial<Record<SectionKey, SectionData>> = {};
      for (const k of sections) {
        const form = readSectionForm(k, bodies[k]);
        const result = form.errors.length ? form : validateSection(k, form.data, c);
        errors.push(...result.errors.map((e) => ({ ...e, field: `${k}.${e.field}` })));
        checked[k] = result.data;
      }
      if (errors.length) throw validationFailed(errors);
      await deps.db.transaction(async (trx) => {
        // Checked again under the row lock: a submit between our read and these writes wins, and saves nothing.
        const locked = await applications.lockRow(trx, id);
        if (!locked) throw notFound('application');
        if (sections.some((k) => !canEditSection(locked, k)))
          throw conflict('onboarding.conflict.not_editable', `${locked.stage}:${locked.status}`);
        const ts = now();
        for (const k of sections)
          await repo.upsertAnswer(trx, { applicationId: id, section: k, data: checked[k]!, userId: user.id, now: ts });
        await applications.touch(id, ts, trx);
      });
      return checked;
    },

    /**
     * Submits (or resubmits after a change request) in one transaction: checks the answers, declarations and
     * documents under the row lock, then the workflow's transition() moves the state (compare-and-set on the state
     * and the version, audit `application.submitted`, the reviewers told) while this module freezes the answers as
     * version N+1 and assigns the reference on the first submission; the receipt e-mail goes to the outbox.
     */
    async submit(user: CurrentUser, id: string, body: unknown): Promise<{ reference: string; version: number }> {
      const actor = { kind: user.orgRole === 'owner' ? ('owner' as const) : ('member' as const) };
      /** Submits from the application form only: stage 1, or a stage whose changes are made on it (stages.ts). */
      const submittable = (a: ApplicationRow): boolean => {
        const state: WorkflowState | null =
          isStage(a.stage) && isStatus(a.status) ? { stage: a.stage, status: a.status } : null;
        return Boolean(state && applicantWorksIn(state.stage) === 'application' && decide(state, 'submit', actor).ok);
      };
      const before = await ownApplication(user, id);
      if (!submittable(before))
        throw conflict('onboarding.conflict.not_submittable', `${before.stage}:${before.status}`);
      return deps.db.transaction(async (trx) => {
        const app = await applications.lockRow(trx, id);
        if (!app) throw notFound('application');
        if (!submittable(app)) throw conflict('onboarding.conflict.not_submittable', `${app.stage}:${app.status}`);
        const c = ctx();
        const answers = await repo.listAnswers(trx, id);
        const editable = editableSections(app);
        const errors = incompleteSections(answers, c, editable);
        const apis = Array.isArray(answers.apis?.apis) ? (answers.apis!.apis as string[]) : [];
        const declarations = checkDeclarations(body, apis);
        errors.push(...declarations.errors);
        // The documents the answers need, while the applicant may still upload them (frozen ones were accepted).
        // The newest version of each kind only (one row per kind, whatever the number of versions).
        const { files } = await documentFiles.latestVersions(id, APPLICATION_DOCUMENT_KINDS, 1, trx);
        if (documentsEditable(app))
          errors.push(
            ...missingDocumentErrors(
              missingDocumentKinds(
                answers,
                files.map((f) => f.slot),
              ),
            ),
          );
        if (errors.length) throw validationFailed(errors);
        const frozen: Record<string, unknown> = {};
        for (const k of SECTION_KEYS)
          frozen[k] = editable.includes(k) ? validateSection(k, answers[k]!, c).data : answers[k];
        frozen.declarations = declarations.accepted;
        frozen.documents = latestDocuments(files);
        const reference =
          app.reference ??
          formatReference(koreanYear(deps.clock()), await repo.nextReferenceNumber(trx, koreanYear(deps.clock())));
        const version = app.current_version + 1;
        const ts = now();
        await deps.workflow.transition(
          id,
          'submit',
          user,
          { auditData: { version, reference, declarations: declarations.accepted } },
          {
            trx,
            submission: { version, reference },
            beforeCommit: (t) =>
              repo.insertVersion(t, {
                id: deps.ids(),
                applicationId: id,
                version,
                stage: 'application',
                answers: frozen,
                userId: user.id,
                now: ts,
              }),
          },
        );
        if (deps.mail) {
          const locale: Locale = isLocale(user.locale) ? user.locale : 'ko';
          const receipt = buildReceipt(locale, { reference, version, submittedAt: ts, answers: frozen });
          await deps.mail.queueEmail(
            {
              to: user.email,
              locale,
              subjectKey: 'onboarding.receipt.email_subject',
              bodyKey: 'onboarding.receipt.email_body',
              params: {
                name: user.name,
                reference,
                version,
                time: receipt.submittedAt,
                items: receiptText(receipt),
                link: `${deps.config?.baseUrl ?? ''}/applications/${id}/confirmation`,
              },
            },
            trx,
          );
        }
        return { reference, version };
      });
    },

    editableSections,
  };
}
export type OnboardingService = ReturnType<typeof createOnboardingService>;
