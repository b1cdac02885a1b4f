// The review workflow: every state change of an application goes through `transition()`, which decides with
// the pure state machine and persists in ONE transaction: a compare-and-set update (zero rows → conflict
// naming the current state), the audit event(s), notifications and outbox e-mails.
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { AppConfig } from '../config';
import type { CurrentUser, StaffRole } from '../accounts/types';
import type { AuditActor, AuditService } from '../audit/service';
import type { NotificationsService, NotificationMessage, Audience } from '../notifications/service';
import { AppError, type FieldError } from '../http/errors';
import { PAGE_SIZE_DEFAULT, type Page, type PageRequest } from '../pagination/cursor';
import {
  availableEvents,
  decide,
  formatState,
  isStage,
  type DecisionContext,
  type Stage,
  type Status,
  type WorkflowActor,
  type WorkflowEvent,
  type WorkflowState,
} from './state-machine';
import {
  applicantStagePath,
  approvalEffects,
  evidenceFor,
  guardsFor,
  sectionsForStage,
  stageDefinition,
  stagesForRole,
  type ApprovalEffect,
  type GuardName,
} from './stages';
import { SUITABILITY_ITEMS, parseChecklistForm, type ChecklistEntry } from './suitability-checklist';
import type { TestingEvidenceGate } from './testing-evidence-gate';
import { openScenarios } from './conformance';
import { parseTestingReportForm, type TestingReport } from './testing-report';
import { koreanToday } from '../onboarding/form-values';
import { loadApplicationRecord, type ApplicationRecord } from '../onboarding/service';
import { isWaitingTooLong, workingDaysBetween } from './working-days';
import {
  createWorkflowRepository,
  type ApplicationRow,
  type ApplicationWithOrg,
  type ChecklistRow,
  type StatePatch,
} from './repository';
import { createApplications } from './applications';

/** The staff queue's cursor shape (oldest waiting first), for routes reading ?after= / ?before=. */
export { QUEUE_CURSOR } from './repository';
import { DECIDING_EVENTS, dutyViolation, pastActs, type DutyViolation } from './separation-of-duties';

/** Staff decisions: each needs a reason the applicant can read. */
const REASON_REQUIRED_EVENTS: readonly WorkflowEvent[] = ['approve', 'request_changes', 'reject', 'countersign'];
const REASON_MAX = 4000;

const SECTION_KEY = /^[a-z][a-z0-9_]{0,59}$/;

/** A failed guard as the decision form shows it. */
const GUARD_ERRORS: Record<GuardName, FieldError> = {
  checklist_all_pass_or_na: { field: 'checklist', message: 'workflow.errors.checklist_incomplete' },
  no_open_critical_or_high_findings: { field: 'findings', message: 'workflow.errors.open_findings' },
};

import type { Actor, TransitionInput, TransitionOptions, TransitionResult } from './transition-types';
export type { Actor, TransitionInput, TransitionResult, TransitionOptions } from './transition-types';

export interface WorkflowDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  config: AppConfig;
  audit: AuditService;
  notifications: NotificationsService;
  testingEvidenceGate?: TestingEvidenceGate;
  /** Called inside the approval transaction when suitability is approved (sandbox credentials). */
  onSuitabilityApproved?: (applicationId: string, trx: Knex.Transaction) => Promise<void>;
}

/** The form error for a refused decider: the stage they already decided is named in the message. */
export function dutyError(v: DutyViolation): FieldError {
  return {
    field: 'claim',
    message: v.kind === 'applicant' ? 'workflow.errors.duty_applicant' : `workflow.errors.duty_decided_${v.stage}`,
  };
}

/** Staff decisions that only the person holding the claim may make (anyone may claim it first). */
const DECISIONS_NEEDING_CLAIM: readonly WorkflowEvent[] = ['approve', 'request_changes', 'reject'];

/** The audit event of each workflow event: `application.<past tense>`. */
/** Test completion reports a page on the review screen (and the API's default page is PAGE_SIZE_DEFAULT). */
export const TESTING_REPORTS_PER_PAGE = 20;
/** Earlier checklist results a page on the review screen. */
export const CHECKLIST_HISTORY_PER_PAGE = 50;
export { CHECKLIST_HISTORY_CURSOR, TESTING_REPORTS_CURSOR } from './repository';
/** A stored test completion report with its number and time. */
export type SubmittedTestingReport = TestingReport & { version: number; submittedAt: string };

export const PAST: Record<WorkflowEvent, string> = {
  submit: 'submitted',
  claim: 'claimed',
  approve: 'approved',
  request_changes: 'changes_requested',
  reject: 'rejected',
  withdraw: 'withdrawn',
  sign: 'signed',
  countersign: 'countersigned',
};

function actorKind(actor: Actor): WorkflowActor {
  if (actor === 'system') return { kind: 'system' };
  if (actor.staffRole) return { kind: actor.staffRole };
  if (actor.orgRole === 'owner') return { kind: 'owner' };
  return { kind: 'member' };
}

function auditActor(actor: Actor): AuditActor {
  return actor === 'system' ? { userId: null, label: 'system' } : { userId: actor.id, label: actor.email };
}

function isStaffActor(actor: Actor): actor is CurrentUser & { staffRole: StaffRole } {
  return actor !== 'system' && Boolean(actor.staffRole);
}

function parseSections(raw: unknown): string[] | null {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw];
  if (!list.every((s) => typeof s === 'string')) return null;
  return [...new Set(list as string[])];
}

export function createWorkflowService(deps: WorkflowDeps) {
  const repo = createWorkflowRepository();
  const applications = createApplications(deps.db);
  const gate = deps.testingEvidenceGate ?? null;
  /** Refuses (409 conformance_incomplete, naming the open scenarios) unless every required scenario passed. */
  async function requireConformance(applicationId: string): Promise<void> {
    if (!gate) return;
    const result = await gate(applicationId);
    if (!result) throw new AppError('not_found', 'application');
    const open = openScenarios(result);
    if (open.length)
      throw new AppError('conformance_incomplete', 'required test-bed scenarios are still open', { open });
  }

  /** Why this staff member may not decide the application's current stage, or null (separation-of-duties.ts). */
  async function dutyViolationFor(
    app: ApplicationWithOrg,
    actor: CurrentUser,
    trx?: Knex.Transaction,
  ): Promise<DutyViolation | null> {
    if (actor.organizationId === app.organization_id) return { kind: 'applicant' };
    return dutyViolation(await pastActs(trx ?? deps.db, app.id, actor.id), app.stage, {
      severalStagesAllowed: deps.config.staffMayDecideSeveralStages,
    });
  }

  /** How long an application has waited for staff (since its submission, else since its stage began): the queue's columns. */
  function waitingOf(r: { status: string; submitted_at: string | null; stage_entered_at: string }) {
    return waitingAt(r, deps.clock());
  }

  /** waitingOf at a given instant: the queue reads the clock once for its whole page. */
  function waitingAt(r: { status: string; submitted_at: string | null; stage_entered_at: string }, now: Date) {
    const since = r.submitted_at ?? r.stage_entered_at;
    const sinceDate = new Date(since);
    return {
      waitingSince: since,
      waitingWorkingDays: workingDaysBetween(sinceDate, now),
      overdue:
        (r.status === 'submitted' || r.status === 'in_review') &&
        isWaitingTooLong(sinceDate, now, deps.config.reviewTargetDays),
    };
  }

  async function requireSeparateDuties(
    app: ApplicationWithOrg,
    actor: CurrentUser,
    trx?: Knex.Transaction,
  ): Promise<void> {
    const violation = await dutyViolationFor(app, actor, trx);
    if (!violation) return;
    throw new AppError('validation', 'separation of duties', { fieldErrors: [dutyError(violation)] });
  }

  /** Loads an application the actor may see: staff see all, applicants their own organization's (else 404). */
  const loadFor = (applicationId: string, actor: Actor, trx?: Knex.Transaction): Promise<ApplicationWithOrg> =>
    applications.loadFor(applicationId, actor, trx);

  function validateInput(
    event: WorkflowEvent,
    stage: Stage,
    input: TransitionInput,
  ): { reason: string | null; sections: string[] | null; internalNote: string | null } {
    const errors: FieldError[] = [];
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (input.reason !== undefined && typeof input.reason !== 'string')
      errors.push({ field: 'reason', message: 'workflow.errors.reason_required' });
    else if (REASON_REQUIRED_EVENTS.includes(event) && reason === '')
      errors.push({ field: 'reason', message: 'workflow.errors.reason_required' });
    else if (reason.length > REASON_MAX)
      errors.push({ field: 'reason', message: 'workflow.errors.reason_too_long', params: { max: REASON_MAX } });
    const note = typeof input.internalNote === 'string' ? input.internalNote.trim() : '';
    if (note.length > REASON_MAX)
      errors.push({ field: 'internal_note', message: 'workflow.errors.reason_too_long', params: { max: REASON_MAX } });
    let sections: string[] | null = null;
    if (event === 'request_changes') {
      sections = parseSections(input.sections);
      const allowed = input.allowedSections ?? sectionsForStage(stage);
      if (!sections || sections.length === 0)
        errors.push({ field: 'sections', message: 'workflow.errors.sections_required' });
      else if (!sections.every((s) => SECTION_KEY.test(s) && (!allowed || allowed.includes(s))))
        errors.push({ field: 'sections', message: 'workflow.errors.sections_invalid' });
    }
    if (errors.length) throw new AppError('validation', 'validation failed', { fieldErrors: errors });
    return { reason: reason || null, sections, internalNote: note || null };
  }

  /** Facts the guards need, read from our own tables (never trusted from the caller for our own stages). */
  async function decisionContext(
    app: ApplicationWithOrg,
    event: WorkflowEvent,
    input: TransitionInput,
    trx?: Knex.Transaction,
    pendingChecklist?: ChecklistEntry[] | null,
  ): Promise<DecisionContext> {
    const ctx: DecisionContext = { ...input.context };
    if (readsOwnChecklist(app.stage, event)) {
      // A checklist saved with this decision counts as it will be stored (items it leaves empty stay empty).
      const rows = pendingChecklist ?? (await repo.checklist(trx ?? deps.db, app.id));
      ctx.checklist = rows.map((r) => ({ item: r.item, result: r.result }));
      ctx.checklistRequiredItems = SUITABILITY_ITEMS;
    }
    return ctx;
  }

  /** Stage 2: who may change the checklist, when, and whether the form is valid (throws otherwise). */
  function checkChecklistChange(
    app: { stage: Stage; status: Status },
    actor: Actor,
    body: Record<string, unknown>,
  ): ChecklistEntry[] {
    if (actor === 'system' || (actor.staffRole !== 'reviewer' && actor.staffRole !== 'admin'))
      throw new AppError('forbidden', 'reviewers only');
    if (!checklistEditable(app)) {
      throw new AppError('conflict', 'the checklist can only be changed while suitability is under review', {
        currentState: formatState(app),
      });
    }
    const { entries, errors } = parseChecklistForm(body);
    if (errors.length) throw new AppError('validation', 'validation failed', { fieldErrors: errors });
    return entries;
  }

  /** Writes the checklist and its internal audit event; the caller's transaction holds the row lock. */
  async function writeChecklist(
    app: ApplicationWithOrg,
    actor: CurrentUser,
    entries: ChecklistEntry[],
    trx: Knex.Transaction,
  ): Promise<void> {
    await repo.saveChecklist(trx, app.id, entries, actor.id, deps.clock().toISOString());
    await deps.audit.record(
      {
        event: 'suitability.checklist_saved',
        actor: auditActor(actor),
        organizationId: app.organization_id,
        applicationId: app.id,
        internal: true,
        data: { results: Object.fromEntries(entries.map((e) => [e.item, e.result])) },
      },
      trx,
    );
  }

  function statePatch(
    event: WorkflowEvent,
    from: WorkflowState,
    to: WorkflowState,
    actor: Actor,
    sections: string[] | null,
    now: string,
  ): StatePatch {
    const patch: StatePatch = { stage: to.stage, status: to.status, updated_at: now };
    if (to.stage !== from.stage) {
      patch.stage_entered_at = now;
      patch.claimed_by = null;
      patch.submitted_at = null;
      patch.changes_requested_sections = null;
    }
    if (event === 'submit' || event === 'sign') {
      patch.submitted_at = now;
      // A resubmission (after changes were requested) returns to the reviewer who asked for the changes.
      if (from.status !== 'changes_requested') patch.claimed_by = null;
      patch.changes_requested_sections = null;
    }
    // Deciding straight from `submitted` claims the item implicitly (auto-claim).
    if ((event === 'claim' || (from.status === 'submitted' && to.stage === from.stage)) && isStaffActor(actor))
      patch.claimed_by = actor.id;
    if (event === 'request_changes') {
      patch.changes_requested_sections = JSON.stringify(sections ?? []);
      if (isStaffActor(actor)) patch.claimed_by = actor.id; // the answer comes back to whoever asked
    }
    return patch;
  }

  /** Who hears about a transition, and what they are told. */
  function messagesFor(
    app: ApplicationWithOrg,
    event: WorkflowEvent,
    from: WorkflowState,
    to: WorkflowState,
    reason: string | null,
    sections: string[] | null,
  ): { audience: Audience; message: NotificationMessage }[] {
    const reference = app.reference ?? app.id.slice(0, 8);
    const base = { applicationId: app.id, organizationId: app.organization_id };
    const org: Audience = { organizationId: app.organization_id };
    // The applicant's page of the stage they are now in (when it has one), else their home.
    const applicantLink = applicantStagePath(app.id, to.stage) ?? '/applications';
    const staffLink = `/staff/applications/${app.id}`;
    const stageStaff = (stage: Stage): Audience | null => {
      const role = stageDefinition(stage).staffRole;
      return role ? { staffRole: role } : null;
    };
    const params = { reference, organization: app.organization_name, stage: from.stage, nextStage: to.stage };
    switch (event) {
      case 'submit':
      case 'sign': {
        const staff = stageStaff(to.stage);
        return staff
          ? [
              {
                audience: staff,
                message: { ...base, messageKey: 'notifications.messages.waiting_for_review', params, link: staffLink },
              },
            ]
          : [];
      }
      case 'claim':
        return [
          {
            audience: org,
            message: { ...base, messageKey: 'notifications.messages.in_review', params, link: applicantLink },
          },
        ];
      case 'approve':
        return [
          {
            audience: org,
            message: { ...base, messageKey: 'notifications.messages.approved', params, link: applicantLink },
          },
        ];
      case 'request_changes':
        return [
          {
            audience: org,
            message: {
              ...base,
              messageKey: 'notifications.messages.changes_requested',
              params: { ...params, sections: sections ?? [], reason: reason ?? '' },
              link: applicantLink,
            },
          },
        ];
      case 'reject':
        return [
          {
            audience: org,
            message: {
              ...base,
              messageKey: 'notifications.messages.rejected',
              params: { ...params, reason: reason ?? '' },
              link: '/applications',
            },
          },
        ];
      case 'countersign':
        return [
          {
            audience: org,
            message: { ...base, messageKey: 'notifications.messages.live', params, link: '/applications' },
          },
        ];
      case 'withdraw': {
        const staff = from.status === 'submitted' || from.status === 'in_review' ? stageStaff(from.stage) : null;
        return staff
          ? [
              {
                audience: staff,
                message: { ...base, messageKey: 'notifications.messages.withdrawn', params, link: staffLink },
              },
            ]
          : [];
      }
    }
  }

  /** What approving a stage does besides moving on (stages.ts `approval.effects`), inside the approval's transaction. */
  const approvalEffect: Record<
    ApprovalEffect,
    (app: ApplicationWithOrg, who: AuditActor, trx: Knex.Transaction) => Promise<void>
  > = {
    async issue_sandbox_credentials(app, who, trx) {
      if (!deps.onSuitabilityApproved) return;
      await deps.onSuitabilityApproved(app.id, trx);
      await deps.audit.record(
        {
          event: 'credentials.issued',
          actor: who,
          organizationId: app.organization_id,
          applicationId: app.id,
          data: { environment: 'sandbox' },
        },
        trx,
      );
    },
  };

  async function transition(
    applicationId: string,
    event: WorkflowEvent,
    actor: Actor,
    input: TransitionInput = {},
    opts: TransitionOptions = {},
  ): Promise<TransitionResult> {
    const app = await loadFor(applicationId, actor, opts.trx);
    const from: WorkflowState = { stage: app.stage, status: app.status };
    const { reason, sections, internalNote } = validateInput(event, from.stage, input);
    const pendingChecklist = input.checklist !== undefined ? checkChecklistChange(from, actor, input.checklist) : null;
    const context = await decisionContext(app, event, input, opts.trx, pendingChecklist);
    const decision = decide(from, event, actorKind(actor), context);
    if (!decision.ok) {
      if (decision.reason === 'role') throw new AppError('forbidden', `${event} is not allowed for this role`);
      if (decision.reason === 'guard')
        throw new AppError('validation', 'guard failed', { fieldErrors: [GUARD_ERRORS[decision.guard]] });
      throw new AppError('conflict', `${event} is not possible in ${formatState(from)}`, {
        currentState: formatState(from),
      });
    }
    // Deciding an application someone else has claimed needs taking it over first (claim), so that the
    // reviewer it was returned to is never decided past.
    if (
      DECISIONS_NEEDING_CLAIM.includes(event) &&
      actor !== 'system' &&
      app.claimed_by &&
      app.claimed_by !== actor.id
    ) {
      throw new AppError('validation', 'claimed by someone else', {
        fieldErrors: [
          {
            field: 'claim',
            message: 'workflow.errors.claimed_by_other',
            params: { name: app.claimed_by_name ?? app.claimed_by_email ?? '' },
          },
        ],
      });
    }
    if (isStaffActor(actor) && (DECIDING_EVENTS.includes(event) || event === 'claim'))
      await requireSeparateDuties(app, actor, opts.trx);
    const to = decision.to;
    // A stage decided on evidence (testing: the conformance checklist) cannot be handed in, nor approved, with a
    // scenario open.
    if (evidenceFor(from.stage, event) === 'conformance') await requireConformance(applicationId);
    const result: TransitionResult = { applicationId, from, to, event };

    const work = async (trx: Knex.Transaction) => {
      const now = deps.clock().toISOString();
      // Lock the row first (PostgreSQL; SQLite's transaction is exclusive), then re-check the guard facts we
      // own: a checklist saved between our first read and now must not let a stale approval through.
      await repo.currentState(trx, applicationId, { forUpdate: true });
      // The checklist given with the decision is written first (the compare-and-set below fails, and rolls it
      // back, if the application left the state we checked); the guard then reads it back.
      if (pendingChecklist && actor !== 'system') await writeChecklist(app, actor, pendingChecklist, trx);
      if (readsOwnChecklist(from.stage, event)) {
        const again = decide(from, event, actorKind(actor), await decisionContext(app, event, input, trx));
        if (!again.ok && again.reason === 'guard')
          throw new AppError('validation', 'guard failed', { fieldErrors: [GUARD_ERRORS[again.guard]] });
      }
      const changed = await repo.compareAndSetState(
        trx,
        applicationId,
        from,
        { ...statePatch(event, from, to, actor, sections, now), ...submissionPatch(opts.submission) },
        opts.submission ? { currentVersion: opts.submission.version - 1 } : {},
      );
      if (changed === 0) {
        const current = await repo.currentState(trx, applicationId);
        const label = current ? formatState(current) : 'deleted';
        throw new AppError('conflict', `the application changed to ${label} before ${event} was saved`, {
          currentState: label,
        });
      }
      const who = auditActor(actor);
      await deps.audit.record(
        {
          event: `application.${PAST[event]}`,
          actor: who,
          organizationId: app.organization_id,
          applicationId,
          fromState: formatState(from),
          toState: formatState(to),
          reason,
          data: { ...(sections ? { sections } : {}), ...(input.auditData ?? {}) },
        },
        trx,
      );
      if (internalNote) {
        await deps.audit.record(
          {
            event: 'application.internal_note',
            actor: who,
            organizationId: app.organization_id,
            applicationId,
            fromState: formatState(from),
            toState: formatState(to),
            reason: internalNote,
            internal: true,
          },
          trx,
        );
      }
      for (const effect of approvalEffects(from.stage, event)) await approvalEffect[effect](app, who, trx);
      if (opts.beforeCommit) await opts.beforeCommit(trx, result);
      // A first submission's reference is assigned by this very update: the messages name it.
      const told = opts.submission ? { ...app, reference: opts.submission.reference } : app;
      for (const { audience, message } of messagesFor(told, event, from, to, reason, sections))
        await deps.notifications.notify(audience, message, trx);
    };
    if (opts.trx) await work(opts.trx);
    else await deps.db.transaction(work);
    return result;
  }

  return {
    transition,
    loadFor,
    /** Why this staff member may not decide (or claim) the application's current stage; null when they may. */
    async dutyViolationFor(
      application: string | ApplicationWithOrg,
      user: CurrentUser,
      trx?: Knex.Transaction,
    ): Promise<DutyViolation | null> {
      const app =
        typeof application === 'string' ? await repo.findApplication(trx ?? deps.db, application) : application;
      if (!app || !isStage(app.stage)) return null;
      return dutyViolationFor(app, user, trx);
    },
    waitingOf,
    /**
     * The conformance checklist of an application (null without a gate or an application); `known`: its record
     * when the caller has loaded it already (not read again).
     */
    conformance: (applicationId: string, known?: ApplicationRecord) =>
      gate ? gate(applicationId, known) : Promise.resolve(null),

    /**
     * Tells the staff of a submitted application's stage, once more, that it is waiting (transition() tells them on
     * every submit already, stage 1's included). Inside the caller's transaction when given.
     */
    async announceSubmission(applicationId: string, trx?: Knex.Transaction): Promise<void> {
      const app = await repo.findApplication(trx ?? deps.db, applicationId);
      if (app?.status !== 'submitted' || !isStage(app.stage)) return;
      const state: WorkflowState = { stage: app.stage, status: 'submitted' };
      for (const { audience, message } of messagesFor(app, 'submit', state, state, null, null))
        await deps.notifications.notify(audience, message, trx);
    },

    /** Events this actor could attempt now (guards are checked when they do). */
    availableEvents(app: { stage: Stage; status: Status }, actor: Actor): WorkflowEvent[] {
      return availableEvents({ stage: app.stage, status: app.status }, actorKind(actor));
    },

    /** Stage 2: saves the checklist (staff of the suitability stage only, while it is under review). */
    /**
     * Stage 2: saves the checklist on its own (staff of the suitability stage only, while it is under review).
     * To save it with a decision, pass it as `checklist` to transition() so both commit or neither does.
     */
    async saveChecklist(
      applicationId: string,
      actor: CurrentUser,
      body: Record<string, unknown>,
    ): Promise<ChecklistEntry[]> {
      const app = await loadFor(applicationId, actor);
      const entries = checkChecklistChange(app, actor, body);
      await deps.db.transaction(async (trx) => {
        // Re-check the state inside the transaction: a checklist must not change after the decision.
        const now = await repo.currentState(trx, applicationId, { forUpdate: true });
        if (!now || !checklistEditable(now)) {
          throw new AppError('conflict', 'the application changed', {
            currentState: now ? formatState(now) : 'deleted',
          });
        }
        await writeChecklist(app, actor, entries, trx);
      });
      return entries;
    },

    async checklist(applicationId: string): Promise<ChecklistEntry[]> {
      return checklistEntries(await repo.checklist(deps.db, applicationId));
    },

    /**
     * checklist() and a page of the items' earlier results and the notes that explained them (`historyPage`, newest
     * change first; by default the newest CHECKLIST_HISTORY_PER_PAGE), in one read.
     */
    async checklistWithHistory(applicationId: string, historyPage: PageRequest = { size: CHECKLIST_HISTORY_PER_PAGE }) {
      const { checklist, history } = await repo.checklistWithHistory(deps.db, applicationId, historyPage);
      return { checklist: checklistEntries(checklist), history };
    },

    /** How many earlier results each checklist item has in all (a page of the history shows only some). */
    checklistHistoryCounts(applicationId: string): Promise<Map<string, number>> {
      return repo.checklistHistoryCounts(deps.db, applicationId);
    },

    /** How many test completion reports an application has in all. */
    countTestingReports(applicationId: string): Promise<number> {
      return repo.countTestingReports(deps.db, applicationId);
    },

    /** Stage 3: the applicant submits the test completion report; stored and submitted in one transaction. */
    async submitTestingReport(
      applicationId: string,
      actor: CurrentUser,
      body: Record<string, unknown>,
      requestedApis: readonly string[],
    ): Promise<TransitionResult> {
      await loadFor(applicationId, actor);
      const { report, errors } = parseTestingReportForm(body, requestedApis, koreanToday(deps.clock()));
      if (errors.length || !report) throw new AppError('validation', 'validation failed', { fieldErrors: errors });
      return transition(
        applicationId,
        'submit',
        actor,
        {},
        {
          beforeCommit: async (trx) => {
            const latest = (await repo.testingReportsPage(trx, applicationId, { size: 1 })).rows[0];
            await repo.insertTestingReport(trx, {
              id: deps.ids(),
              application_id: applicationId,
              version: (latest?.version ?? 0) + 1,
              data: JSON.stringify(report),
              submitted_by: actor.id,
              submitted_at: deps.clock().toISOString(),
            });
          },
        },
      );
    },

    /**
     * The application's submitted versions, newest first: the answers (declarations and documents too) frozen at
     * each submission, for the review screen's diff and the stage 3 report's APIs. No access check (callers check).
     */
    /**
     * The application's record and its submitted versions, newest first; `row` (the application the caller
     * loaded already) is reused instead of read again.
     */
    async submittedRecord(
      applicationId: string,
      row?: ApplicationRow,
    ): Promise<{ record: ApplicationRecord | undefined; versions: ApplicationRecord['versions'] }> {
      const record = await loadApplicationRecord(deps.db, applicationId, undefined, row);
      return {
        record: record ?? undefined,
        versions: [...(record?.versions ?? [])].sort((a, b) => b.version - a.version),
      };
    },

    /** A page of the test completion reports, newest first (by default the newest TESTING_REPORTS_PER_PAGE). */
    async testingReports(
      applicationId: string,
      page: PageRequest = { size: TESTING_REPORTS_PER_PAGE },
    ): Promise<Page<SubmittedTestingReport>> {
      const found = await repo.testingReportsPage(deps.db, applicationId, page);
      return {
        ...found,
        rows: found.rows.map((r) => ({
          ...(JSON.parse(r.data) as TestingReport),
          version: r.version,
          submittedAt: r.submitted_at,
        })),
      };
    },

    /** The newest test completion report (the one under review), or null. */
    async latestTestingReport(applicationId: string): Promise<SubmittedTestingReport | null> {
      const [r] = (await repo.testingReportsPage(deps.db, applicationId, { size: 1 })).rows;
      return r ? { ...(JSON.parse(r.data) as TestingReport), version: r.version, submittedAt: r.submitted_at } : null;
    },

    /**
     * One page of the staff queue for the stages a staff role works, oldest waiting first, with the
     * waiting-time highlight. `page` defaults to the first PAGE_SIZE_DEFAULT rows.
     */
    async queue(role: StaffRole, filter: { stage?: Stage; status?: Status }, page?: PageRequest) {
      const stages = stagesForRole(role).filter((s) => !filter.stage || s === filter.stage);
      const statuses: Status[] = filter.status ? [filter.status] : ['submitted', 'in_review'];
      const found = stages.length
        ? await repo.queue(deps.db, { stages, statuses }, page ?? { size: PAGE_SIZE_DEFAULT })
        : { rows: [], next: null, previous: null };
      const now = deps.clock();
      // Written field by field: in V8 every property set after an object spread is a slow runtime call, and a
      // page has 50 rows (bench/scale-queue.ts).
      const rows = found.rows.map((r) => {
        const w = waitingAt(r, now);
        return {
          id: r.id,
          organization_id: r.organization_id,
          reference: r.reference,
          organization_name: r.organization_name,
          stage: r.stage,
          status: r.status,
          current_version: r.current_version,
          changes_requested_sections: r.changes_requested_sections,
          submitted_at: r.submitted_at,
          stage_entered_at: r.stage_entered_at,
          claimed_by_name: r.claimed_by_name,
          claimed_by: r.claimed_by,
          waitingSince: w.waitingSince,
          waitingWorkingDays: w.waitingWorkingDays,
          overdue: w.overdue,
        };
      });
      return { rows, next: found.next, previous: found.previous };
    },
  };
}
export type WorkflowService = ReturnType<typeof createWorkflowService>;

/** The guard facts the workflow reads from its own tables (the suitability checklist), never from the caller. */
/** Every item in order, with its stored result and note (none yet: no result, no note). */
function checklistEntries(rows: readonly ChecklistRow[]): ChecklistEntry[] {
  const byItem = new Map(rows.map((r) => [r.item, r]));
  return SUITABILITY_ITEMS.map((item) => ({
    item,
    result: byItem.get(item)?.result ?? null,
    note: byItem.get(item)?.note ?? '',
  }));
}

function readsOwnChecklist(stage: Stage, event: WorkflowEvent): boolean {
  return guardsFor(stage, event).includes('checklist_all_pass_or_na');
}

function submissionPatch(submission: TransitionOptions['submission']): StatePatch {
  return submission ? { current_version: submission.version, reference: submission.reference } : {};
}

/** The suitability checklist can change only while suitability is under review. */
function checklistEditable(app: { stage: string; status: string }): boolean {
  return app.stage === 'suitability' && (app.status === 'submitted' || app.status === 'in_review');
}
