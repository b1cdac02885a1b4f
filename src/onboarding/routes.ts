// The applicant's application pages: home (card, task list, timeline), one page per section, check your
// answers, submit, confirmation. Organization members only (staff get 403); another organization's
// application is 404. Post/redirect/get throughout; invalid input re-renders the page with 422.
import { buildReceipt } from './receipt';
import { auditEventName } from '../audit/event-names';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CurrentUser } from '../accounts/types';
import { AppError } from '../http/errors';
import { mustBeOrgMember } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams, OpenFormBody, PageQuery } from '../http/route-schemas';
import { translateErrors } from '../http/views';
import { hasMessage, translate, type Locale } from '../i18n';
import { AUDIT_CURSOR, type AuditEvent } from '../audit/service';
import { namedPageLinks, readNamedPage } from '../pagination/cursor';
import { API_CATALOGUE, impliedScopes } from './api-catalogue';
import { statusTagClass } from './application-states';
import { DECLARATIONS, requiredDeclarations } from './declarations';
import { formSentBack } from './section-editing';
import {
  BUSINESS_TYPES,
  GUARANTEE_KINDS,
  HISTORY_CHOICES,
  SECTION_KEYS,
  SERVICE_KINDS,
  CONTACT_ROLES,
  nextSection,
  readSectionForm,
  sectionFieldNames,
  type SectionData,
  type SectionKey,
} from './sections';
import { formatApplicationSummary } from './summary';
import { buildTaskList, type TaskStatus } from './task-list';
import type { ApplicationRow } from '../workflow/applications';
import type { OnboardingService } from './service';
import {
  missingDocumentErrors,
  type ApplicationDocumentsService,
  type ApplicationDocumentsView,
} from './application-documents-service';
import { sizeLabel } from '../uploads/size-label';
import { isStage, isStatus } from '../workflow/state-machine';
import { stageTaskOverrides } from '../workflow/stage-summaries';

interface OnboardingRoutesOptions {
  onboarding: Pick<
    OnboardingService,
    | 'forOrganization'
    | 'loadForApplicant'
    | 'sectionStates'
    | 'editableSections'
    | 'timeline'
    | 'latestChangeRequest'
    | 'createDraft'
    | 'ownApplication'
    | 'saveSection'
    | 'incompleteSections'
    | 'validationContext'
    | 'submit'
  >;
  /** The documents task on the home page and the missing documents on the check page. */
  applicationDocuments: Pick<ApplicationDocumentsService, 'view'>;
  /** Working days the confirmation page says a review takes. */
  reviewTargetDays: number;
}

/** `?return=check`: a section page opened from "Check your answers" goes back there. */
const SECTION_QUERY = PageQuery(['return']);
const BUTTON = FormBody([]);
/** The declarations the check page asks for (which are required depends on the APIs: declarations.ts). */
const SUBMIT = FormBody(DECLARATIONS.map((d) => `declare_${d}`));

/** "application.submitted" → a sentence in the reader's language; events from other modules fall back gracefully. */
function eventLabel(locale: Locale, ev: AuditEvent): string {
  const key = `onboarding.events.${ev.event}`;
  if (hasMessage(locale, key)) return translate(locale, key);
  return auditEventName(locale, ev.event);
}

function stateText(locale: Locale, state: string | null): string {
  if (!state) return '';
  const [stage, status] = state.split(':');
  const stageKey = `onboarding.stages.${stage}`;
  const statusKey = `onboarding.statuses.${status}`;
  return `${hasMessage(locale, stageKey) ? translate(locale, stageKey) : stage} · ${hasMessage(locale, statusKey) ? translate(locale, statusKey) : status}`;
}

/** How many events the home page's timeline shows at a time (newest first; older ones a page further). */
const TIMELINE_PAGE_SIZE = 20;
const TIMELINE_QUERY = PageQuery(['timeline_after', 'timeline_before']);

/** The timeline's events (newest first, as read) as the home page lists them. */
function timelineItems(locale: Locale, events: AuditEvent[]) {
  return events.map((ev) => ({
    createdAt: ev.createdAt,
    label: eventLabel(locale, ev),
    state: stateText(locale, ev.toState),
    actor: ev.actorLabel,
    reason: ev.reason,
  }));
}

/** Field errors with the API name filled in (the service only knows the key). */
function pageErrors(locale: Locale, err: AppError) {
  const fieldErrors = (err.details.fieldErrors ?? []).map((f) =>
    f.params?.api
      ? { ...f, params: { ...f.params, api: translate(locale, `onboarding.apis.${f.params.api}.name`) } }
      : f,
  );
  return translateErrors(locale, fieldErrors);
}

/** Why a stage-1 section cannot be changed now (shown beside it in the task list and when its page is opened). */
function lockedReasonKey(application: Pick<ApplicationRow, 'stage' | 'status'>): string {
  if (formSentBack(application)) return 'onboarding.locked.not_requested';
  if (application.status === 'withdrawn' || application.status === 'rejected') return 'onboarding.locked.closed';
  return 'onboarding.locked.submitted';
}

const onboardingRoutes: FastifyPluginAsyncTypebox<OnboardingRoutesOptions> = async (
  app,
  { onboarding, applicationDocuments, reviewTargetDays },
) => {
  checkSchemasAfterGuards(app);
  const guard = { preHandler: mustBeOrgMember };
  const user = (req: FastifyRequest): CurrentUser => req.user!;

  /** A refused change (someone else moved the application, or it is frozen) gets a page that says what to do. */
  async function withConflictPage(
    reply: FastifyReply,
    applicationId: string,
    fn: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        reply.request.log.info({ reqId: reply.request.id, msg: err.message }, 'onboarding conflict');
        const messageKey = hasMessage(reply.request.locale, err.message) ? err.message : 'onboarding.conflict.changed';
        return reply.page(
          'onboarding/conflict',
          { titleKey: 'onboarding.conflict.title', messageKey, applicationId },
          409,
        );
      }
      throw err;
    }
  }

  /** The documents task after the five sections: done when every required document has a version. */
  function documentsTask(application: ApplicationRow, docs: ApplicationDocumentsView) {
    const editable = docs.canEdit;
    let status: TaskStatus =
      docs.missingKinds.length === 0
        ? 'completed'
        : docs.documents.some((d) => d.latest)
          ? 'in_progress'
          : 'not_started';
    if (!editable && application.current_version > 0) status = 'completed';
    if (application.status === 'changes_requested' && editable) status = 'changes_requested';
    return {
      key: 'documents' as const,
      labelKey: 'onboarding.documents.task',
      status,
      href: editable ? `/applications/${application.id}/documents` : undefined,
      lockedKey: editable ? undefined : lockedReasonKey(application),
    };
  }

  function taskSections(
    application: ApplicationRow,
    states: Record<SectionKey, 'completed' | 'in_progress' | 'not_started'>,
    docs: ApplicationDocumentsView,
  ) {
    const editable = onboarding.editableSections(application);
    const changesRequested = application.status === 'changes_requested';
    return [
      ...SECTION_KEYS.map((key) => {
        const isEditable = editable.includes(key);
        let status: TaskStatus = states[key];
        // Submitted answers are frozen as accepted, whatever today's date makes of them.
        if (!isEditable && application.current_version > 0) status = 'completed';
        if (changesRequested && isEditable) status = 'changes_requested';
        return {
          key,
          status,
          href: isEditable ? `/applications/${application.id}/${key}` : undefined,
          lockedKey: isEditable ? undefined : lockedReasonKey(application),
        };
      }),
      documentsTask(application, docs),
    ];
  }

  // ---- Applicant home
  app.get('/applications', { ...guard, schema: { querystring: TIMELINE_QUERY } }, async (req, reply) => {
    const u = user(req);
    const { current, all } = await onboarding.forOrganization(u.organizationId!);
    if (!current) {
      return reply.page('onboarding/home', {
        titleKey: 'onboarding.home.title',
        application: null,
        taskList: buildTaskList({
          application: null,
          sections: SECTION_KEYS.map((key) => ({ key, status: 'not_started' as const })),
        }),
      });
    }
    const record = await onboarding.loadForApplicant(u, current.id);
    const states = onboarding.sectionStates(record.answers);
    const editable = onboarding.editableSections(current);
    const docs = await applicationDocuments.view(u, current.id);
    const firstToDo = SECTION_KEYS.find((k) => editable.includes(k) && states[k] !== 'completed');
    const documentsToDo = docs.canEdit && docs.missingKinds.length > 0;
    const timelineRequest = readNamedPage(req.query, 'timeline', AUDIT_CURSOR, TIMELINE_PAGE_SIZE);
    const events = await onboarding.timeline(current.id, timelineRequest);
    const canStartNew = all.every((a) => a.status === 'rejected' || a.status === 'withdrawn');
    const changesRequested = formSentBack(current);
    // The reviewer's reason for the change request, so the applicant knows what to fix.
    const changeRequest = changesRequested ? await onboarding.latestChangeRequest(current.id) : null;
    return reply.page('onboarding/home', {
      titleKey: 'onboarding.home.title',
      application: current,
      statusTag: statusTagClass(current.status),
      editable: editable.length > 0,
      changesRequested,
      changeRequestReason: changeRequest?.reason ?? null,
      // The documents too, when the reviewer named them (their link goes to the documents page).
      requestedSections: [...record.requestedSections, ...(changesRequested && docs.canEdit ? ['documents'] : [])],
      sectionsDone: SECTION_KEYS.filter((k) => states[k] === 'completed').length,
      sectionsTotal: SECTION_KEYS.length,
      continueHref: firstToDo
        ? `/applications/${current.id}/${firstToDo}`
        : documentsToDo
          ? `/applications/${current.id}/documents`
          : `/applications/${current.id}/check`,
      taskList: buildTaskList({
        application: current,
        sections: taskSections(current, states, docs),
        applicationHref: `/applications/${current.id}/check`,
        // Stages 2–5 as the workflow sees them (status and, where a page exists, a link).
        overrides:
          isStage(current.stage) && isStatus(current.status)
            ? stageTaskOverrides({ id: current.id, stage: current.stage, status: current.status })
            : undefined,
      }),
      timeline: timelineItems(req.locale, events.rows),
      timelinePager: namedPageLinks('/applications', 'timeline', 'timeline-title', events, timelineRequest),
      canStartNew,
    });
  });

  app.post('/applications', { ...guard, schema: { body: BUTTON } }, async (req, reply) => {
    const { id, created } = await onboarding.createDraft(user(req));
    if (created) req.session.flash = { kind: 'success', message: reply.t('onboarding.home.created') };
    return reply.redirect(created ? `/applications/${id}/company` : '/applications', 303);
  });

  // ---- One page per section
  async function sectionContext(
    req: FastifyRequest & { query: { return?: unknown } },
    application: ApplicationRow,
    section: SectionKey,
    values: SectionData,
  ) {
    const returnToCheck = req.query.return === 'check';
    const chosen = Array.isArray(values.apis) ? values.apis : [];
    const position = SECTION_KEYS.indexOf(section) + 1;
    return {
      titleKey: `onboarding.sections.${section}.title`,
      application,
      section,
      values,
      returnToCheck,
      position,
      total: SECTION_KEYS.length,
      action: `/applications/${application.id}/${section}${returnToCheck ? '?return=check' : ''}`,
      backHref: returnToCheck ? `/applications/${application.id}/check` : '/applications',
      businessTypeOptions: BUSINESS_TYPES.map((v) => ({
        value: v,
        label: translate(req.locale, `onboarding.business_types.${v}`),
      })),
      historyOptions: HISTORY_CHOICES.map((v) => ({
        value: v,
        label: translate(req.locale, `onboarding.history_choices.${v}`),
      })),
      guaranteeKindOptions: GUARANTEE_KINDS.map((v) => ({
        value: v,
        label: translate(req.locale, `onboarding.guarantee_kinds.${v}`),
      })),
      serviceKindOptions: SERVICE_KINDS.map((v) => ({
        value: v,
        label: translate(req.locale, `onboarding.service_kinds.${v}`),
      })),
      contactRoles: CONTACT_ROLES,
      catalogue: API_CATALOGUE.map((a) => ({
        ...a,
        checked: chosen.includes(a.key),
        callsField: `calls_${a.key}`,
        callsValue: values[`calls_${a.key}`] ?? '',
        scopes: a.impliedScopes.join(', '),
      })),
      impliedScopes: impliedScopes(chosen).join(', '),
    };
  }

  for (const section of SECTION_KEYS) {
    // The page's fields typed; any other field is let through and dropped by readSectionForm, the section's
    // allow-list (a field the page does not have is never stored: test/onboarding/pages.test.ts).
    const SECTION_FORM = OpenFormBody([...sectionFieldNames(section), 'action']);
    app.get(
      `/applications/:id/${section}`,
      { ...guard, schema: { params: IdParams, querystring: SECTION_QUERY } },
      async (req, reply) => {
        const record = await onboarding.loadForApplicant(user(req), req.params.id);
        // Frozen answers are read on the summary page, not in a form; the page says why it cannot be changed.
        if (!onboarding.editableSections(record.application).includes(section)) {
          req.session.flash = { kind: 'info', message: reply.t(lockedReasonKey(record.application)) };
          return reply.redirect(`/applications/${req.params.id}/check`, 303);
        }
        const saved = record.answers[section];
        // The company's name as given at sign-up starts the company page, until the applicant saves it.
        const values =
          !saved && section === 'company' && user(req).organizationName
            ? { legal_name: user(req).organizationName! }
            : (saved ?? {});
        return reply.page(`onboarding/${section}`, await sectionContext(req, record.application, section, values));
      },
    );

    app.post(
      `/applications/:id/${section}`,
      { ...guard, schema: { params: IdParams, querystring: SECTION_QUERY, body: SECTION_FORM } },
      async (req, reply) => {
        const u = user(req);
        const application = await onboarding.ownApplication(u, req.params.id);
        const body = req.body;
        const mode = body.action === 'draft' ? 'draft' : 'continue';
        return withConflictPage(reply, application.id, async () => {
          try {
            await onboarding.saveSection(u, application.id, section, body, mode);
          } catch (err) {
            if (err instanceof AppError && err.code === 'validation') {
              const typed = readSectionForm(section, body).data;
              const ctx = await sectionContext(req, application, section, typed);
              return reply.page(`onboarding/${section}`, { ...ctx, errors: pageErrors(req.locale, err) }, 422);
            }
            throw err;
          }
          if (mode === 'draft') {
            req.session.flash = {
              kind: 'success',
              message: reply.t('onboarding.draft_saved', { section: reply.t(`onboarding.sections.${section}.title`) }),
            };
            return reply.redirect('/applications', 303);
          }
          const returnToCheck = req.query.return === 'check';
          const next = returnToCheck ? 'check' : nextSection(section);
          return reply.redirect(`/applications/${application.id}/${next}`, 303);
        });
      },
    );
  }

  // ---- Check your answers, declarations, submit
  async function checkContext(req: FastifyRequest, id: string) {
    const record = await onboarding.loadForApplicant(user(req), id);
    const { application, answers } = record;
    const editable = onboarding.editableSections(application);
    const states = onboarding.sectionStates(answers);
    const summary = formatApplicationSummary(answers, req.locale).map((s) => ({
      ...s,
      editable: editable.includes(s.key),
      state: editable.includes(s.key) ? states[s.key] : undefined,
      href: `/applications/${id}/${s.key}?return=check`,
    }));
    const apis = Array.isArray(answers.apis?.apis) ? (answers.apis!.apis as string[]) : [];
    const incomplete = onboarding.incompleteSections(answers, onboarding.validationContext(), editable).map((e) => ({
      href: `/applications/${id}/${String(e.params?.section)}?return=check`,
      text: translate(req.locale, e.message, {
        section: translate(req.locale, `onboarding.sections.${String(e.params?.section)}.title`),
      }),
    }));
    // Each missing document is named, linking to its upload form (submission is refused until they are there).
    const docs = await applicationDocuments.view(user(req), id);
    if (docs.canEdit) {
      incomplete.push(
        ...missingDocumentErrors(docs.missingKinds).map((e) => ({
          href: `/applications/${id}/documents#${e.field}`,
          text: translate(req.locale, e.message),
        })),
      );
    }
    const latest = record.versions[0]; // newest first
    return {
      titleKey: editable.length || docs.canEdit ? 'onboarding.check.title' : 'onboarding.check.title_submitted',
      application,
      summary,
      incomplete,
      documents: docs.documents.map((d) => ({
        kind: d.kind,
        required: d.required,
        latest: d.latest ? { ...d.latest, sizeLabel: sizeLabel(d.latest.sizeBytes) } : null,
      })),
      documentsEditable: docs.canEdit,
      documentsHref: `/applications/${id}/documents`,
      submittable: editable.length > 0 || docs.canEdit,
      isResubmission: application.status === 'changes_requested',
      declarations: requiredDeclarations(apis),
      latestVersion: latest ?? null,
      statusTag: statusTagClass(application.status),
    };
  }

  app.get('/applications/:id/check', { ...guard, schema: { params: IdParams } }, async (req, reply) =>
    reply.page('onboarding/check', { ...(await checkContext(req, req.params.id)), values: {} }),
  );

  app.post('/applications/:id/submit', { ...guard, schema: { params: IdParams, body: SUBMIT } }, async (req, reply) => {
    const u = user(req);
    await onboarding.ownApplication(u, req.params.id);
    return withConflictPage(reply, req.params.id, async () => {
      try {
        await onboarding.submit(u, req.params.id, req.body);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation') {
          const ctx = await checkContext(req, req.params.id);
          const declarationErrors = pageErrors(
            req.locale,
            new AppError('validation', 'declarations', {
              fieldErrors: (err.details.fieldErrors ?? []).filter((f) => f.field.startsWith('declare_')),
            }),
          );
          const body: Record<string, unknown> = req.body;
          const values = Object.fromEntries(
            ctx.declarations.map((d) => [`declare_${d}`, body[`declare_${d}`] === 'yes']),
          );
          return reply.page('onboarding/check', { ...ctx, errors: declarationErrors, values, submitFailed: true }, 422);
        }
        throw err;
      }
      return reply.redirect(`/applications/${req.params.id}/confirmation`, 303);
    });
  });

  app.get('/applications/:id/confirmation', { ...guard, schema: { params: IdParams } }, async (req, reply) => {
    const record = await onboarding.loadForApplicant(user(req), req.params.id);
    const latest = record.versions[0]; // newest first
    if (!latest || !record.application.reference) return reply.redirect(`/applications/${req.params.id}/check`, 303);
    return reply.page('onboarding/confirmation', {
      titleKey: 'onboarding.confirmation.title',
      application: record.application,
      version: latest.version,
      resubmitted: latest.version > 1,
      // The receipt, from the frozen version (the same as the e-mail sent at submission).
      receipt: buildReceipt(req.locale, {
        reference: record.application.reference,
        version: latest.version,
        submittedAt: latest.submittedAt,
        answers: latest.answers as Record<string, unknown>,
      }),
      submitterEmail: latest.submittedBy === user(req).id ? user(req).email : null,
      reviewTargetDays,
    });
  });
};
export default onboardingRoutes;
