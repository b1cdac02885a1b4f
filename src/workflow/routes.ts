// Staff review pages (queue, one-screen review with checklist and decisions, audit CSV) and the applicant's
// stage 3 pages (test completion report). HTTP only: every rule lives in the workflow service.
import { Readable } from 'node:stream';
import { auditEventName, auditStateName } from '../audit/event-names';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CurrentUser } from '../accounts/types';
import { AUDIT_CURSOR, isDecision, type AuditService } from '../audit/service';
import type { ContractService } from '../contract/service';
import type { InspectionService } from '../inspection/service';
import { AppError } from '../http/errors';
import { handleForm, keepValues } from '../http/forms';
import { translateErrors } from '../http/views';
import { mustBeOrgMember, mustBeOrgOwner, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams, PageQuery } from '../http/route-schemas';
import { hasMessage, translate, type Locale } from '../i18n';
import { formatDate } from '../i18n/date-format';
import { formatApplicationSummary, readTypedAnswers } from '../onboarding/service';
import { API_CATALOGUE } from '../onboarding/api-catalogue';
import {
  STAGES,
  STATUSES,
  isStage,
  isStatus,
  isWorkflowEvent,
  type Stage,
  type Status,
  type WorkflowEvent,
} from './state-machine';
import { SUITABILITY_ITEMS, CHECKLIST_RESULTS } from './suitability-checklist';
import { checklistEvidence } from './checklist-evidence';
import { dutyError, type WorkflowService } from './service';
import { decidedOnReviewScreen, sectionsForStage, stagesForRole, staffStagePage } from './stages';
import { diffSummaries } from './version-diff';
import {
  namedPageLinks,
  pageLinks,
  readNamedPage,
  readPageRequest,
  type Page,
  type PageRequest,
} from '../pagination/cursor';
import {
  CHECKLIST_HISTORY_CURSOR,
  CHECKLIST_HISTORY_PER_PAGE,
  QUEUE_CURSOR,
  TESTING_REPORTS_CURSOR,
  TESTING_REPORTS_PER_PAGE,
} from './service';
import { auditTrailCsvChunks } from './audit-csv';
import { stageSummaries } from './stage-summaries';
import { conformanceView, openScenarioErrors } from './conformance-view';

const DECISION_EVENTS: readonly WorkflowEvent[] = ['approve', 'request_changes', 'reject'];

interface WorkflowRoutesOptions {
  workflow: Pick<
    WorkflowService,
    | 'queue'
    | 'availableEvents'
    | 'transition'
    | 'loadFor'
    | 'dutyViolationFor'
    | 'checklist'
    | 'checklistWithHistory'
    | 'saveChecklist'
    | 'testingReports'
    | 'countTestingReports'
    | 'checklistHistoryCounts'
    | 'latestTestingReport'
    | 'submitTestingReport'
    | 'submittedRecord'
    | 'conformance'
    | 'waitingOf'
  >;
  /** The review screen's decisions and audit trail, the audit CSV, the testing page's change request. */
  audit: Pick<AuditService, 'latestOf' | 'pageForApplication' | 'decisionsForApplication'>;
  /** Stages 4–5 in brief on the review screen, read through their own modules. */
  inspection: Pick<InspectionService, 'brief'>;
  contract: Pick<ContractService, 'view'>;
  /** Working days an application may wait before the queue highlights it. */
  reviewTargetDays: number;
}

const QUEUE_FILTERS = PageQuery(['stage', 'status', 'after', 'before', 'size']);
const REVIEW_QUERY = PageQuery([
  'show',
  'audit_after',
  'audit_before',
  'reports_after',
  'reports_before',
  'checklist_after',
  'checklist_before',
]);

/** The trail's links (`?audit_after=` later events, `?audit_before=` earlier ones), each landing on the trail. */
function auditPager(id: string, page: Pick<Page<unknown>, 'next' | 'previous'>, request: PageRequest) {
  const links = namedPageLinks(`/staff/applications/${id}`, 'audit', 'audit', page, request);
  return { laterHref: links.nextHref, earlierHref: links.previousHref, firstHref: links.firstHref };
}
const BUTTON = FormBody([]);
const CHECKLIST = FormBody(SUITABILITY_ITEMS.flatMap((item) => [`result_${item}`, `note_${item}`]));
const DECISION = FormBody(['event', 'reason', 'sections', 'internal_note']);
const TESTING_REPORT = FormBody([
  'period_start',
  'period_end',
  'notes',
  ...API_CATALOGUE.map((a) => `tested_${a.key}`),
]);
const WITHDRAW = FormBody(['confirm', 'reason']);

function stageName(locale: Locale, stage: string): string {
  return translate(locale, `workflow.stages.${stage}`);
}
function statusName(locale: Locale, status: string): string {
  return translate(locale, `workflow.statuses.${status}`);
}
const stateName = auditStateName;
/** Decisions read with the workflow's short words; every other event with its audit name (never a key). */
function eventLabel(locale: Locale, event: string): string {
  const key = `workflow.events.${event}`;
  return hasMessage(locale, key) ? translate(locale, key) : auditEventName(locale, event);
}
/** The declarations the applicant confirmed, as one more summary section (so they are diffed too). */
function declarationsSection(locale: Locale, accepted: readonly string[] | undefined) {
  const titles = (accepted ?? []).map((d) =>
    hasMessage(locale, `onboarding.declarations.${d}.title`)
      ? translate(locale, `onboarding.declarations.${d}.title`)
      : d,
  );
  return {
    key: 'declarations',
    title: translate(locale, 'workflow.sections.declarations'),
    rows: [
      {
        field: 'accepted',
        label: translate(locale, 'workflow.review.declarations_accepted'),
        value: titles.join('\n'),
      },
    ],
  };
}
function apiName(locale: Locale, api: string): string {
  const key = `onboarding.apis.${api}.name`;
  return hasMessage(locale, key) ? translate(locale, key) : api;
}
/** Who is applying, for the review screen's summary: the submitted legal name, registration number and service. */
function companyFacts(
  sections: readonly { key: string; rows: readonly { field: string; label: string; value: string }[] }[],
) {
  const row = (section: string, field: string) =>
    sections.find((s) => s.key === section)?.rows.find((r) => r.field === field);
  const brn = row('company', 'business_registration_number');
  return {
    legalName: row('company', 'legal_name')?.value ?? '',
    brn: brn?.value ?? '',
    brnLabel: brn?.label ?? '',
    serviceName: row('service', 'service_name')?.value ?? '',
  };
}
/** The review screen's decision panel says why it offers no decision (stages 4–5 link to their own pages instead). */
function panelNote(status: Status): string {
  if (status === 'draft' || status === 'in_progress' || status === 'changes_requested')
    return 'workflow.review.panel.with_applicant';
  if (status === 'submitted' || status === 'in_review') return 'workflow.review.panel.not_yours';
  return 'workflow.review.panel.closed';
}

const workflowRoutes: FastifyPluginAsyncTypebox<WorkflowRoutesOptions> = async (
  app,
  { workflow, audit, inspection, contract, reviewTargetDays },
) => {
  checkSchemasAfterGuards(app);

  /**
   * Stages 4–5 in a few lines for the review screen, read through the stage's own module (the same view its page
   * shows); null when the user's role may not read that stage (its page would refuse them too).
   */
  async function stageBrief(
    stage: Stage,
    user: CurrentUser,
    id: string,
    locale: Locale,
  ): Promise<{ label: string; value: string; at?: string | null }[] | null> {
    try {
      if (stage === 'security') {
        // Counts only: the documents' versions and the findings are listed on the stage's own page.
        const v = await inspection.brief(user, id);
        return [
          {
            label: translate(locale, 'inspection.documents.title'),
            value: translate(locale, 'workflow.review.brief.documents', { uploaded: v.uploaded, total: v.total }),
          },
          {
            label: translate(locale, 'inspection.findings.title'),
            value: translate(locale, 'workflow.review.brief.findings', { open: v.open, severe: v.openCriticalOrHigh }),
          },
        ];
      }
      if (stage === 'contract') {
        const v = await contract.view(user, id);
        const notYet = translate(locale, 'contract.not_yet');
        return [
          ...(v.document
            ? [{ label: translate(locale, 'contract.terms_version'), value: v.document.termsVersion }]
            : []),
          {
            label: translate(locale, 'contract.signed_by'),
            value: v.current ? v.current.signerName : notYet,
            at: v.current?.signedAt ?? null,
          },
          {
            label: translate(locale, 'contract.countersigned_by'),
            value: v.current?.countersignedAt ? (v.current.countersignerName ?? '') : notYet,
            at: v.current?.countersignedAt ?? null,
          },
        ];
      }
      return null;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'forbidden' || err.code === 'not_found')) return null;
      throw err;
    }
  }

  // ---------------------------------------------------------------- staff queue
  app.get('/staff', { preHandler: mustBeStaff(), schema: { querystring: QUEUE_FILTERS } }, async (req, reply) => {
    const user = req.user!;
    const q = req.query;
    const roleStages = stagesForRole(user.staffRole!);
    const errors: { field: string; text: string }[] = [];
    const stage = q.stage === undefined || q.stage === '' ? undefined : q.stage;
    const status = q.status === undefined || q.status === '' ? undefined : q.status;
    if (stage !== undefined && !(isStage(stage) && roleStages.includes(stage)))
      errors.push({ field: 'stage', text: reply.t('workflow.queue.errors.stage_invalid') });
    if (status !== undefined && !isStatus(status))
      errors.push({ field: 'status', text: reply.t('workflow.queue.errors.status_invalid') });
    // A cursor this queue did not issue reads as the first page (src/pagination/cursor.ts).
    const { page } = readPageRequest(q, QUEUE_CURSOR);
    const found = errors.length
      ? { rows: [], next: null, previous: null }
      : await workflow.queue(
          user.staffRole!,
          { stage: stage as Stage | undefined, status: status as Status | undefined },
          page,
        );
    const rows = found.rows;
    const locale = req.locale;
    return reply.page(
      'staff/queue',
      {
        titleKey: 'workflow.queue.title',
        errors,
        values: { stage: typeof stage === 'string' ? stage : '', status: typeof status === 'string' ? status : '' },
        ...pageLinks('/staff', { stage: stage as string, status: status as string }, found, page),
        targetDays: reviewTargetDays,
        stageOptions: roleStages.map((s) => ({ value: s, label: stageName(locale, s) })),
        statusOptions: STATUSES.filter((s) => s !== 'draft').map((s) => ({ value: s, label: statusName(locale, s) })),
        rows: queueRows(rows, locale, user),
        // The words every row repeats, translated once for the page (views/staff/queue.hbs).
        rowWords: {
          noReference: reply.t('workflow.queue.no_reference'),
          overdue: reply.t('workflow.queue.overdue'),
          you: reply.t('workflow.queue.you'),
          unclaimed: reply.t('workflow.queue.unclaimed'),
          claim: reply.t('workflow.queue.claim'),
        },
      },
      errors.length ? 422 : 200,
    );
  });

  /**
   * The queue's rows as the page shows them, text ready to print: a page holds up to 50 rows, and a helper
   * call in the template costs more than the text it makes. The rows are in a handful of (stage, status)
   * states: their labels and "may claim" are worked out once per state, the waiting-days text once per count,
   * and each row is written field by field (in V8 every property set after an object spread is a slow runtime
   * call). The same words and dates the template's {{t}} and {{date}} helpers gave.
   */
  function queueRows(rows: Awaited<ReturnType<typeof workflow.queue>>['rows'], locale: Locale, user: CurrentUser) {
    const perState = new Map<string, { stageLabel: string; statusLabel: string; canClaim: boolean }>();
    const daysText = new Map<number, string>();
    return rows.map((r) => {
      let waitingDaysText = daysText.get(r.waitingWorkingDays);
      if (waitingDaysText === undefined) {
        waitingDaysText = translate(locale, 'workflow.queue.working_days', { count: r.waitingWorkingDays });
        daysText.set(r.waitingWorkingDays, waitingDaysText);
      }
      const key = `${r.stage}:${r.status}`;
      let state = perState.get(key);
      if (!state) {
        state = {
          stageLabel: stageName(locale, r.stage),
          statusLabel: statusName(locale, r.status),
          canClaim: workflow.availableEvents(r, user).includes('claim'),
        };
        perState.set(key, state);
      }
      return {
        id: r.id,
        reference: r.reference,
        organization_name: r.organization_name,
        stage: r.stage,
        status: r.status,
        claimed_by: r.claimed_by,
        claimed_by_name: r.claimed_by_name,
        waitingSinceText: formatDate(locale, r.waitingSince),
        waitingDaysText,
        overdue: r.overdue,
        stageLabel: state.stageLabel,
        statusLabel: state.statusLabel,
        canClaim: state.canClaim,
        claimedByMe: r.claimed_by === user.id,
      };
    });
  }

  app.post(
    '/staff/applications/:id/claim',
    { preHandler: mustBeStaff(), schema: { params: IdParams, body: BUTTON } },
    async (req, reply) => {
      const id = req.params.id;
      try {
        await workflow.transition(id, 'claim', req.user!);
      } catch (err) {
        // Someone who may not decide this stage (separation of duties) is told why on the page itself.
        if (err instanceof AppError && err.code === 'validation') {
          return reply.page(
            'staff/application',
            await reviewPage(req, id, { errors: translateErrors(req.locale, err.details.fieldErrors ?? []) }),
            422,
          );
        }
        throw err;
      }
      req.session.flash = { kind: 'success', message: reply.t('workflow.review.claimed') };
      return reply.redirect(`/staff/applications/${id}`, 303);
    },
  );

  // ---------------------------------------------------------------- one screen to decide
  /** `showApplication`: the review screen's own GET asked for the application unfolded (?show=application). */
  async function reviewPage(
    req: FastifyRequest,
    id: string,
    extra: Record<string, unknown> = {},
    showApplication = false,
  ) {
    const user = req.user!;
    const locale = req.locale;
    const application = await workflow.loadFor(id, user);
    const { record, versions } = await workflow.submittedRecord(id, application);
    const current = versions[0] ?? null;
    const previous = versions[1] ?? null;
    const summary = (
      v: NonNullable<typeof current>,
      sections: ReturnType<typeof formatApplicationSummary> = formatApplicationSummary(v.answers, locale),
    ) => [...sections, declarationsSection(locale, v.answers.declarations)];
    // The current version is formatted once: the diff, the company facts and the checklist's evidence read it.
    const currentSections = current ? formatApplicationSummary(current.answers, locale) : null;
    const currentSummary = current && currentSections ? summary(current, currentSections) : null;
    const diff = currentSummary ? diffSummaries(previous ? summary(previous) : null, currentSummary) : [];
    const requestedApis = current ? readTypedAnswers(current.answers).apis : [];
    // The trail a page at a time (?audit_after= / ?audit_before=, oldest first); every decision above it, read
    // apart only when the trail does not fit on one page.
    const auditRequest = readNamedPage(req.query, 'audit', AUDIT_CURSOR);
    const auditPage = await audit.pageForApplication(id, { includeInternal: true }, auditRequest);
    const events = auditPage.rows;
    const wholeTrail = !auditPage.next && !auditPage.previous && !auditRequest.after && !auditRequest.before;
    const decisionEvents = wholeTrail ? events.filter(isDecision) : await audit.decisionsForApplication(id);
    // Stages 4–5 are decided on their own modules' pages (documents, findings, the contract).
    const decidedHere = decidedOnReviewScreen(application.stage);
    const offered = decidedHere
      ? workflow.availableEvents(application, user)
      : workflow.availableEvents(application, user).filter((e) => e === 'claim');
    // Separation of duties: someone who may not decide this stage is told why instead of being offered the forms.
    const duty = offered.length ? await workflow.dutyViolationFor(application, user) : null;
    const available = duty ? [] : offered;
    // The checklist's earlier results and the test reports, newest first, a page at a time (?checklist_after=,
    // ?reports_after=; a cursor the list did not give out is its first page). The newest report is read apart
    // only on a later page of the reports.
    const checklistRequest = readNamedPage(
      req.query,
      'checklist',
      CHECKLIST_HISTORY_CURSOR,
      CHECKLIST_HISTORY_PER_PAGE,
    );
    const reportsRequest = readNamedPage(req.query, 'reports', TESTING_REPORTS_CURSOR, TESTING_REPORTS_PER_PAGE);
    let { checklist, history: checklistHistory } = await workflow.checklistWithHistory(id, checklistRequest);
    if (!checklistHistory.rows.length && (checklistRequest.after || checklistRequest.before))
      checklistHistory = (await workflow.checklistWithHistory(id)).history;
    const submittedChecklist = (extra.checklistValues ?? null) as Record<string, unknown> | null;
    let reportsPage = await workflow.testingReports(id, reportsRequest);
    if (!reportsPage.rows.length && (reportsRequest.after || reportsRequest.before))
      reportsPage = await workflow.testingReports(id);
    const reports = reportsPage.rows;
    // The totals the folded lists name ("이전 보고서 12건"): counted only when the list runs past one page; when it
    // fits, the page holds them all.
    const onePage = (p: { next: string | null; previous: string | null }) => p.next === null && p.previous === null;
    const reportTotal = onePage(reportsPage) ? reports.length : await workflow.countTestingReports(id);
    const historyTotals = onePage(checklistHistory) ? null : await workflow.checklistHistoryCounts(id);
    const newestReport =
      reportsPage.previous === null && !reportsRequest.before
        ? (reports[0] ?? null)
        : await workflow.latestTestingReport(id);
    const reportView = (r: NonNullable<typeof newestReport>) => ({
      ...r,
      apis: r.apis.map((a) => ({ ...a, name: apiName(locale, a.api) })),
    });
    const conformance =
      application.stage === 'testing' || newestReport
        ? conformanceView(
            await workflow.conformance(id, record ?? undefined),
            locale,
            (rid) => `/staff/applications/${id}/requests/${rid}`,
          )
        : null;
    const sectionKeys = sectionsForStage(application.stage) ?? [];
    const sectionsRequested = application.changes_requested_sections
      ? (JSON.parse(application.changes_requested_sections) as string[])
      : [];
    // The page is laid out for the stage being decided (views/staff/application.hbs): its own material first, the
    // decision panel in reach, the full application and earlier stages' material folded away.
    const stage = application.stage as Stage;
    const status = application.status as Status;
    const waitingForStaff = status === 'submitted' || status === 'in_review';
    // Working days waiting: the queue's own row (same clock, same holidays, same target), when this is one it lists.
    const queued =
      waitingForStaff && stagesForRole(user.staffRole!).includes(stage)
        ? { ...application, ...workflow.waitingOf(application) }
        : undefined;
    const checklistResults = checklist.filter((c) => c.result !== null);
    // What each item is judged on: the submitted version's answers and documents (see checklist-evidence.ts).
    const evidenceVersion = current && currentSections ? { answers: current.answers, summary: currentSections } : null;
    const evidenceFor = (item: (typeof SUITABILITY_ITEMS)[number]) =>
      evidenceVersion
        ? checklistEvidence(item, evidenceVersion, locale, (fileId) => `/staff/applications/${id}/documents/${fileId}`)
        : null;
    return {
      titleKey: 'workflow.review.title',
      titleParams: { reference: application.reference ?? '' },
      application: {
        ...application,
        stageLabel: stageName(locale, application.stage),
        statusLabel: statusName(locale, application.status),
        sectionsRequested: sectionsRequested.map((s) => translate(locale, `workflow.sections.${s}`)),
      },
      version: current ? { number: current.version, submittedAt: current.submittedAt } : null,
      previousVersion: previous ? { number: previous.version } : null,
      diff,
      hasDiff: Boolean(previous),
      requestedApis: requestedApis.map((a) => apiName(locale, a)),
      decisions: decisionEvents.map((e) => ({
        ...e,
        eventLabel: eventLabel(locale, e.event),
        fromLabel: e.fromState ? stateName(locale, e.fromState) : '',
        toLabel: e.toState ? stateName(locale, e.toState) : '',
      })),
      auditPager: auditPager(id, auditPage, auditRequest),
      auditTrail: events.map((e) => ({
        ...e,
        eventLabel: auditEventName(locale, e.event),
        fromLabel: auditStateName(locale, e.fromState),
        toLabel: auditStateName(locale, e.toState),
      })),
      checklistEditable:
        application.stage === 'suitability' &&
        (application.status === 'submitted' || application.status === 'in_review') &&
        (user.staffRole === 'reviewer' || user.staffRole === 'admin'),
      showChecklist: application.stage === 'suitability' || checklist.some((c) => c.result !== null),
      checklist: SUITABILITY_ITEMS.map((item) => {
        const stored = checklist.find((c) => c.item === item)!;
        const result = submittedChecklist ? (submittedChecklist[`result_${item}`] ?? '') : (stored.result ?? '');
        const note = submittedChecklist ? (submittedChecklist[`note_${item}`] ?? '') : stored.note;
        const history = checklistHistory.rows
          .filter((h) => h.item === item)
          .map((h) => ({ ...h, resultLabel: translate(locale, `workflow.checklist.results.${h.result}`) }));
        return {
          item,
          result,
          note,
          history,
          historyTotal: historyTotals ? (historyTotals.get(item) ?? 0) : history.length,
          evidence: evidenceFor(item),
          labelKey: `workflow.checklist.items.${item}`,
          hintKey: `workflow.checklist.hints.${item}`,
        };
      }),
      checklistResults: CHECKLIST_RESULTS,
      reports: reports.map(reportView),
      latestReport: newestReport ? reportView(newestReport) : null,
      reportsPager: namedPageLinks(`/staff/applications/${id}`, 'reports', 'reports', reportsPage, reportsRequest),
      checklistHistoryPager: namedPageLinks(
        `/staff/applications/${id}`,
        'checklist',
        'checklist',
        checklistHistory,
        checklistRequest,
      ),
      conformance,
      requestLogHref: `/staff/applications/${id}/requests`,
      canClaim: available.includes('claim'),
      canApprove: available.includes('approve'),
      canRequestChanges: available.includes('request_changes'),
      canReject: available.includes('reject'),
      canDecide: DECISION_EVENTS.some((e) => available.includes(e)),
      sectionOptions: sectionKeys.map((s) => ({ value: s, label: translate(locale, `workflow.sections.${s}`) })),
      csvUrl: `/staff/applications/${id}/audit.csv`,
      stagePage: staffStagePage(application.stage)
        ? {
            href: `/staff/applications/${id}/${staffStagePage(application.stage)}`,
            label: stageName(locale, application.stage),
          }
        : null,
      facts: currentSummary ? companyFacts(currentSummary) : null,
      waiting: queued
        ? {
            days: queued.waitingWorkingDays,
            since: queued.waitingSince,
            overdue: queued.overdue,
            fromSubmission: Boolean(queued.submitted_at),
          }
        : null,
      isSuitability: stage === 'suitability',
      isTesting: stage === 'testing',
      // Earlier stages' material, folded away below the application once the application has moved past them.
      earlierChecklist: stage !== 'suitability' && checklist.some((c) => c.result !== null),
      earlierTesting: stage !== 'testing' && Boolean(conformance || newestReport),
      earlierReports: reports.filter((r) => r.version !== newestReport?.version).map(reportView),
      earlierReportTotal: Math.max(0, reportTotal - (newestReport ? 1 : 0)),
      changedSections: previous
        ? diff
            .filter((d) => d.changed)
            .map((d) => d.title)
            .join(', ')
        : '',
      // Collapsed unless the reviewer of the application itself has a new version to compare, or asked for it.
      applicationOpen: (Boolean(previous) && stage === 'suitability') || showApplication,
      checklistProgress: { assessed: checklistResults.length, total: SUITABILITY_ITEMS.length },
      panelNote: panelNote(status),
      dutyNotice: duty ? translate(locale, dutyError(duty).message) : null,
      stageBrief: staffStagePage(stage) ? await stageBrief(stage, user, id, locale) : null,
      values: {},
      ...extra,
    };
  }

  app.get(
    '/staff/applications/:id',
    { preHandler: mustBeStaff(), schema: { params: IdParams, querystring: REVIEW_QUERY } },
    async (req, reply) =>
      reply.page('staff/application', await reviewPage(req, req.params.id, {}, req.query.show === 'application')),
  );

  app.post(
    '/staff/applications/:id/checklist',
    { preHandler: mustBeStaff(), schema: { params: IdParams, body: CHECKLIST } },
    async (req, reply) => {
      const id = req.params.id;
      const body = req.body;
      try {
        await workflow.saveChecklist(id, req.user!, body);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation') {
          return reply.page(
            'staff/application',
            await reviewPage(req, id, {
              checklistValues: keepValues(body),
              errors: translateErrors(req.locale, err.details.fieldErrors ?? []),
            }),
            422,
          );
        }
        throw err;
      }
      req.session.flash = { kind: 'success', message: reply.t('workflow.checklist.saved') };
      return reply.redirect(`/staff/applications/${id}#checklist`, 303);
    },
  );

  app.post(
    '/staff/applications/:id/decision',
    { preHandler: mustBeStaff(), schema: { params: IdParams, body: DECISION } },
    async (req, reply) => {
      const id = req.params.id;
      const body = req.body;
      const event = body.event;
      if (!isWorkflowEvent(event) || !DECISION_EVENTS.includes(event))
        throw new AppError('bad_request', 'unknown decision');
      const current = await workflow.loadFor(id, req.user!);
      const stagePage = staffStagePage(current.stage);
      if (stagePage) {
        // Security and contract are decided by their own services (open findings, the signed contract), on their
        // own pages: nothing is decided here; the reviewer is sent to the page where that decision is made.
        req.session.flash = { kind: 'info', message: reply.t('workflow.review.stage_page') };
        return reply.redirect(`/staff/applications/${id}/${stagePage}`, 303);
      }
      if (!decidedOnReviewScreen(current.stage)) {
        return reply.page(
          'staff/application',
          await reviewPage(req, id, { conflictState: stateName(req.locale, `${current.stage}:${current.status}`) }),
          409,
        );
      }
      try {
        await workflow.transition(id, event, req.user!, {
          reason: body.reason,
          sections: body.sections,
          internalNote: body.internal_note,
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'conformance_incomplete') {
          return reply.page(
            'staff/application',
            await reviewPage(req, id, {
              values: {
                [`reason_${event}`]: keepValues(body).reason,
                [`internal_note_${event}`]: keepValues(body).internal_note,
              },
              errors: translateErrors(req.locale, openScenarioErrors(err.details.open ?? [], req.locale)),
            }),
            409,
          );
        }
        if (err instanceof AppError && (err.code === 'validation' || err.code === 'conflict')) {
          // Field ids are per decision form (reason_approve …), so the error summary links to the right box.
          const fieldErrors = (err.details.fieldErrors ?? []).map((f) =>
            f.field === 'reason' || f.field === 'internal_note' ? { ...f, field: `${f.field}_${event}` } : f,
          );
          const conflictState = err.code === 'conflict' ? stateName(req.locale, err.details.currentState ?? '') : null;
          return reply.page(
            'staff/application',
            await reviewPage(req, id, {
              values: {
                [`reason_${event}`]: keepValues(body).reason,
                [`internal_note_${event}`]: keepValues(body).internal_note,
                sections: Array.isArray(body.sections) ? body.sections : body.sections ? [body.sections] : [],
              },
              errors: translateErrors(req.locale, fieldErrors),
              conflictState,
            }),
            err.code === 'conflict' ? 409 : 422,
          );
        }
        throw err;
      }
      req.session.flash = { kind: 'success', message: reply.t(`workflow.review.decided.${event}`) };
      return reply.redirect(`/staff/applications/${id}`, 303);
    },
  );

  app.get(
    '/staff/applications/:id/audit.csv',
    { preHandler: mustBeStaff(), schema: { params: IdParams } },
    async (req, reply) => {
      const id = req.params.id;
      const application = await workflow.loadFor(id, req.user!);
      const name = `audit-${(application.reference ?? application.id).replace(/[^A-Za-z0-9-]/g, '')}.csv`;
      // Streamed in keyset chunks: a long trail is never held in memory at once.
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}"`)
        .header('Cache-Control', 'no-store')
        .send(
          Readable.from(
            auditTrailCsvChunks((page) => audit.pageForApplication(id, { includeInternal: true }, page), req.locale),
          ),
        );
    },
  );

  // ---------------------------------------------------------------- applicant: stage 3 testing
  async function testingPage(req: FastifyRequest, id: string, extra: Record<string, unknown> = {}) {
    const user = req.user as CurrentUser;
    const locale = req.locale;
    const application = await workflow.loadFor(id, user);
    const {
      record,
      versions: [latestVersion],
    } = await workflow.submittedRecord(id, application);
    const requestedApis = latestVersion ? readTypedAnswers(latestVersion.answers).apis : [];
    const latest = await workflow.latestTestingReport(id);
    const canSubmit = workflow.availableEvents(application, user).includes('submit') && application.stage === 'testing';
    const lastRequest = await audit.latestOf(id, 'application.changes_requested', 'testing');
    const stageIndex = STAGES.indexOf(application.stage);
    const prefill: Record<string, unknown> = latest
      ? {
          period_start: latest.periodStart,
          period_end: latest.periodEnd,
          notes: latest.notes,
          ...Object.fromEntries(latest.apis.map((a) => [`tested_${a.api}`, a.tested])),
        }
      : {};
    return {
      titleKey: 'workflow.testing.title',
      application: {
        ...application,
        stageLabel: stageName(locale, application.stage),
        statusLabel: statusName(locale, application.status),
      },
      summary: stageSummaries(application).find((s) => s.stage === 'testing'),
      notStarted: stageIndex < STAGES.indexOf('testing'),
      canSubmit,
      changesRequested:
        application.stage === 'testing' && application.status === 'changes_requested' && lastRequest
          ? {
              reason: lastRequest.reason,
              sections: ((lastRequest.data?.sections as string[] | undefined) ?? []).map((s) =>
                translate(locale, `workflow.sections.${s}`),
              ),
            }
          : null,
      apis: requestedApis.map((a) => ({
        key: a,
        name: apiName(locale, a),
        field: `tested_${a}`,
        paths: API_CATALOGUE.find((c) => c.key === a)?.paths.join(', ') ?? '',
      })),
      latestReport: latest
        ? { ...latest, apis: latest.apis.map((a) => ({ ...a, name: apiName(locale, a.api) })) }
        : null,
      conformance:
        stageIndex >= STAGES.indexOf('testing')
          ? conformanceView(
              await workflow.conformance(id, record ?? undefined),
              locale,
              (rid) => `/sandbox/requests/${rid}`,
            )
          : null,
      values: prefill,
      ...extra,
    };
  }

  app.get(
    '/applications/:id/testing',
    { preHandler: mustBeOrgMember, schema: { params: IdParams } },
    async (req, reply) => reply.page('workflow/testing', await testingPage(req, req.params.id)),
  );

  app.post(
    '/applications/:id/testing',
    { preHandler: mustBeOrgMember, schema: { params: IdParams, body: TESTING_REPORT } },
    async (req, reply) => {
      const id = req.params.id;
      const user = req.user!;
      try {
        return await submitTestingForm(req, reply, id, user);
      } catch (err) {
        // Open scenarios: the same page, its values kept, the summary naming each open scenario (409).
        if (!(err instanceof AppError && err.code === 'conformance_incomplete')) throw err;
        return reply.page(
          'workflow/testing',
          {
            ...(await testingPage(req, id)),
            values: keepValues(req.body),
            errors: translateErrors(req.locale, openScenarioErrors(err.details.open ?? [], req.locale)),
          },
          409,
        );
      }
    },
  );

  function submitTestingForm(
    req: FastifyRequest & { body: Record<string, unknown> },
    reply: FastifyReply,
    id: string,
    user: CurrentUser,
  ) {
    return handleForm(
      reply,
      'workflow/testing',
      req.body,
      async () => {
        const application = await workflow.loadFor(id, user);
        const {
          versions: [latestVersion],
        } = await workflow.submittedRecord(id, application);
        await workflow.submitTestingReport(
          application.id,
          user,
          req.body,
          latestVersion ? readTypedAnswers(latestVersion.answers).apis : [],
        );
        req.session.flash = { kind: 'success', message: reply.t('workflow.testing.submitted') };
        return `/applications/${id}/testing`;
      },
      async () => ({ ...(await testingPage(req, id)), values: {} }),
    );
  }

  // ---------------------------------------------------------------- applicant: withdraw (owner only)
  async function withdrawPage(req: FastifyRequest, id: string) {
    const application = await workflow.loadFor(id, req.user!);
    return {
      titleKey: 'workflow.withdraw.title',
      application: {
        ...application,
        stageLabel: stageName(req.locale, application.stage),
        statusLabel: statusName(req.locale, application.status),
      },
      canWithdraw: workflow.availableEvents(application, req.user!).includes('withdraw'),
      values: {},
    };
  }
  app.get(
    '/applications/:id/withdraw',
    { preHandler: mustBeOrgOwner, schema: { params: IdParams } },
    async (req, reply) => reply.page('workflow/withdraw', await withdrawPage(req, req.params.id)),
  );
  app.post(
    '/applications/:id/withdraw',
    { preHandler: mustBeOrgOwner, schema: { params: IdParams, body: WITHDRAW } },
    async (req, reply) => {
      const id = req.params.id;
      const body = req.body;
      return handleForm(
        reply,
        'workflow/withdraw',
        body,
        async () => {
          if (body.confirm !== 'yes')
            throw new AppError('validation', 'not confirmed', {
              fieldErrors: [{ field: 'confirm', message: 'workflow.withdraw.errors.confirm_required' }],
            });
          await workflow.transition(id, 'withdraw', req.user!, { reason: body.reason });
          req.session.flash = { kind: 'success', message: reply.t('workflow.withdraw.done') };
          return '/applications';
        },
        () => withdrawPage(req, id),
      );
    },
  );
};

export default workflowRoutes;
