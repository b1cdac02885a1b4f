// /api/v1/applications: list, read, create, answers, submit, decisions, checklist, claim, withdraw, audit.
// HTTP only: each handler checks the caller's role like the pages' guards, then calls the onboarding or
// workflow service, which check access again (another organization's application is a 404).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TOptional, type TSchema } from '@sinclair/typebox';
import type { CurrentUser } from '../accounts/types';
import { AppError, validationFailed } from '../http/errors';
import {
  readTypedAnswers,
  VERSIONS_CURSOR,
  type ApplicationRecord,
  type OnboardingService,
} from '../onboarding/service';
import { sectionFieldNames, SECTION_KEYS, type SectionKey } from '../onboarding/sections';
import { DECLARATIONS } from '../onboarding/declarations';
import { STAGES, STATUSES, type Stage, type Status } from '../workflow/state-machine';
import { SUITABILITY_ITEMS, CHECKLIST_RESULTS, type SuitabilityItem } from '../workflow/suitability-checklist';
import { apiUser } from './authentication';
import { ApplicationSummary, applicationJson, AuditEntry, auditJson } from './application-json';
import { AUTHED_ERRORS, Closed, errors, IdParams, OneOf } from './schemas';
import { apiPageRequest, NextCursor, pageParams } from './list-pages';
import { PAGE_SIZE_DEFAULT, type PageRequest } from '../pagination/cursor';
import { QUEUE_CURSOR, TESTING_REPORTS_CURSOR, type WorkflowService } from '../workflow/service';
import { NEWEST_FIRST_CURSOR, type NotificationsService } from '../notifications/service';
import { AUDIT_CURSOR, type AuditService } from '../audit/service';
import type { InspectionService } from '../inspection/service';
import type { ContractService } from '../contract/service';
import { renameFields, withFieldNames } from './field-names';

/** Each section of the application form as a closed object of its allow-listed fields (from sections.ts). */
const sectionSchema = (section: SectionKey) =>
  Closed(
    Object.fromEntries(
      sectionFieldNames(section).map((f) => [
        f,
        Type.Optional(
          Type.Union([
            Type.String({ maxLength: 10_000 }),
            Type.Array(Type.String({ maxLength: 10_000 }), {
              maxItems: 100,
              description: 'for multiple choices (apis)',
            }),
          ]),
        ),
      ]),
    ),
    { description: `Fields of the "${section}" page (${sectionFieldNames(section).join(', ')})` },
  );
const AnswersBody = Closed(Object.fromEntries(SECTION_KEYS.map((k) => [k, Type.Optional(sectionSchema(k))])), {
  minProperties: 1,
  description:
    'One or more sections; each section given replaces that section and must be complete and valid (the same validators as the pages). Nothing is saved unless every section given is valid.',
});

/** A property per checklist item, each optional. */
function perItem<T extends TSchema>(schema: T): { [K in SuitabilityItem]: TOptional<T> } {
  const props: Record<string, TSchema> = {};
  for (const item of SUITABILITY_ITEMS) props[item] = Type.Optional(schema);
  return props as { [K in SuitabilityItem]: TOptional<T> };
}
const ChecklistResults = Closed(perItem(OneOf(CHECKLIST_RESULTS)), {
  description: `Suitability checklist, item → pass | fail | na. Items: ${SUITABILITY_ITEMS.join(', ')}. Items not given keep their saved result.`,
});
const ChecklistNotes = Closed(perItem(Type.String({ maxLength: 10_000 })), {
  description: 'Notes per item (a failed item needs one)',
});

const ApplicationDetail = Type.Intersect([
  Type.Ref('ApplicationSummary'),
  Type.Object({
    answers: Type.Object({}, { additionalProperties: true, description: 'Current answers, per section' }),
    versions: Type.Array(
      Type.Object({
        version: Type.Integer(),
        stage: Type.String(),
        answers: Type.Object({}, { additionalProperties: true }),
        submitted_by: Type.Union([Type.String(), Type.Null()]),
        submitted_at: Type.String(),
      }),
      { description: 'The submitted versions, newest first, a page at a time (`versions_after`)' },
    ),
    versions_next: NextCursor,
    checklist: Type.Object({
      items: Type.Array(Type.String(), {
        description: 'Item keys of the current stage’s checklist (empty when the stage has none)',
      }),
      results: Type.Optional(
        Type.Object({}, { additionalProperties: true, description: 'Staff only: item → {result, note}' }),
      ),
    }),
    testing_reports: Type.Array(Type.Object({}, { additionalProperties: true }), {
      description: 'The test completion reports, newest first, a page at a time (`testing_reports_after`)',
    }),
    testing_reports_next: NextCursor,
    available_events: Type.Array(Type.String(), {
      description: 'Workflow events you could attempt now (guards are checked when you do)',
    }),
  }),
]);

const DetailResponse = Type.Object({ application: ApplicationDetail });

export interface ApplicationsRoutesOptions {
  onboarding: Pick<
    OnboardingService,
    | 'loadVisibleRecord'
    | 'loadForApplicant'
    | 'forOrganization'
    | 'createDraft'
    | 'saveSections'
    | 'ownApplication'
    | 'submit'
  >;
  workflow: Pick<
    WorkflowService,
    | 'loadFor'
    | 'checklist'
    | 'testingReports'
    | 'availableEvents'
    | 'queue'
    | 'submitTestingReport'
    | 'transition'
    | 'saveChecklist'
  >;
  audit: Pick<AuditService, 'pageForApplication'>;
  notifications: Pick<NotificationsService, 'listForUser' | 'unreadCount' | 'markRead' | 'markAllRead'>;
  inspection: Pick<InspectionService, 'submit' | 'decide'>;
  contract: Pick<ContractService, 'requestChanges'>;
}

const applicationsRoutes: FastifyPluginAsyncTypebox<ApplicationsRoutesOptions> = async (
  app,
  { onboarding, workflow, audit, notifications, inspection, contract },
) => {
  app.addSchema(ApplicationSummary);

  const staffOnly = (u: CurrentUser) => {
    if (!u.staffRole) throw new AppError('forbidden', 'staff only');
  };
  const applicantOnly = (u: CurrentUser) => {
    if (!u.organizationId || u.staffRole) throw new AppError('forbidden', 'organization members only');
  };

  /** The first page of both lists (50 each) unless the GET asked for another. */
  const FIRST_PAGES = { versions: { size: PAGE_SIZE_DEFAULT }, reports: { size: PAGE_SIZE_DEFAULT } };

  async function detail(
    user: CurrentUser,
    id: string,
    pages: { versions: PageRequest; reports: PageRequest } = FIRST_PAGES,
  ) {
    // The record, if the caller may see it: staff any, applicants their organization's (else 404).
    const { record, organizationName } = await onboarding.loadVisibleRecord(user, id, pages.versions);
    const a = record.application;
    const checklist: { items: string[]; results?: Record<string, { result: string | null; note: string }> } = {
      items: [],
    };
    if (a.stage === 'suitability') {
      const entries = await workflow.checklist(id);
      checklist.items = entries.map((e) => e.item);
      // The checklist is the reviewer's working paper (its audit events are internal): staff only.
      if (user.staffRole)
        checklist.results = Object.fromEntries(entries.map((e) => [e.item, { result: e.result, note: e.note }]));
    }
    const reports = await workflow.testingReports(id, pages.reports);
    return {
      application: {
        ...applicationJson({ ...a, organization_name: organizationName }),
        answers: record.answers,
        versions: record.versions.map((v) => ({
          version: v.version,
          stage: v.stage,
          answers: v.answers,
          submitted_by: v.submittedBy,
          submitted_at: v.submittedAt,
        })),
        versions_next: record.versionsNext,
        checklist,
        testing_reports_next: reports.next,
        testing_reports: reports.rows.map((r) => ({
          version: r.version,
          submitted_at: r.submittedAt,
          period_start: r.periodStart,
          period_end: r.periodEnd,
          apis: r.apis,
          notes: r.notes,
        })),
        available_events: workflow.availableEvents({ stage: a.stage as Stage, status: a.status as Status }, user),
      },
    };
  }

  // ---- list
  app.get(
    '/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'Applications you may see',
        description:
          'Applicants: their organization’s applications, newest first. Staff: the review queue of their role (the stages they work; by default the statuses submitted and in_review), oldest waiting first. `stage` and `status` filter the list.',
        querystring: Closed({
          stage: Type.Optional(OneOf(STAGES)),
          status: Type.Optional(OneOf(STATUSES)),
          lang: Type.Optional(OneOf(['ko', 'en', 'kor', 'eng'], 'language of messages')),
          after: Type.Optional(Type.String({ maxLength: 400, description: 'staff: the `next` cursor of a page' })),
          size: Type.Optional(
            Type.Integer({ minimum: 1, description: 'staff: rows a page (default 50, at most 100)' }),
          ),
        }),
        response: {
          200: Type.Object({
            applications: Type.Array(Type.Ref('ApplicationSummary')),
            next: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          }),
          ...errors(...AUTHED_ERRORS),
        },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const q = req.query;
      if (user.staffRole) {
        const found = await workflow.queue(user.staffRole, q, apiPageRequest(q, QUEUE_CURSOR));
        return { applications: found.rows.map((r) => applicationJson(r)), next: found.next };
      }
      applicantOnly(user);
      const { all } = await onboarding.forOrganization(user.organizationId!);
      return {
        applications: all
          .filter((a) => (!q.stage || a.stage === q.stage) && (!q.status || a.status === q.status))
          .map((a) => applicationJson({ ...a, organization_name: user.organizationName })),
      };
    },
  );

  // ---- create
  app.post(
    '/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'Start the organization’s application (a draft)',
        description: '201 with the new draft; 200 with the organization’s active application when it already has one.',
        body: Type.Optional(Closed({})),
        response: { 200: DetailResponse, 201: DetailResponse, ...errors(...AUTHED_ERRORS, 403) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      applicantOnly(user);
      const { id, created } = await onboarding.createDraft(user);
      return reply.code(created ? 201 : 200).send(await detail(user, id));
    },
  );

  // ---- read
  app.get(
    '/applications/:id',
    {
      schema: {
        tags: ['applications'],
        summary:
          'One application with its answers, versions and checklist items (versions and testing_reports: newest first, 50 a page)',
        params: IdParams,
        querystring: Closed({
          versions_after: Type.Optional(
            Type.String({ maxLength: 400, description: 'the `versions_next` cursor of an answer' }),
          ),
          testing_reports_after: Type.Optional(
            Type.String({ maxLength: 400, description: 'the `testing_reports_next` cursor of an answer' }),
          ),
          size: Type.Optional(
            Type.Integer({ minimum: 1, description: 'versions and reports a page (default 50, at most 100)' }),
          ),
        }),
        response: { 200: DetailResponse, ...errors(401, 404, 422) },
      },
    },
    async (req) => {
      const q = req.query;
      return detail(apiUser(req), req.params.id, {
        versions: apiPageRequest({ after: q.versions_after, size: q.size }, VERSIONS_CURSOR, 'versions_after'),
        reports: apiPageRequest(
          { after: q.testing_reports_after, size: q.size },
          TESTING_REPORTS_CURSOR,
          'testing_reports_after',
        ),
      });
    },
  );

  // ---- answers
  app.patch(
    '/applications/:id/answers',
    {
      schema: {
        tags: ['applications'],
        summary: 'Save answers of the application form (stage 1), one or more sections',
        params: IdParams,
        body: AnswersBody,
        response: { 200: DetailResponse, ...errors(...AUTHED_ERRORS, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      applicantOnly(user);
      // One service call: every section is validated before any is saved, and all are saved in one transaction.
      await onboarding.saveSections(user, id, req.body);
      return detail(user, id);
    },
  );

  // ---- submit the current stage
  app.post(
    '/applications/:id/submit',
    {
      schema: {
        tags: ['applications'],
        summary: 'Submit the current stage',
        description:
          'Stage 1 (application, or suitability after changes were requested): send `declarations` — `accuracy` always, ' +
          '`inquiry_consent` when an inquiry API is requested, `withdrawal_consent` when a transfer API is requested. ' +
          'Stage 3 (testing): send `report` (period_start, period_end, tested: {api key: what was tested}, notes). ' +
          'Stage 4 (security): no body; the required documents must have been uploaded. The contract is signed with POST …/signature.',
        params: IdParams,
        body: Type.Optional(
          Closed({
            declarations: Type.Optional(Type.Array(OneOf(DECLARATIONS), { maxItems: 10 })),
            report: Type.Optional(
              Closed({
                period_start: Type.String({ maxLength: 30 }),
                period_end: Type.String({ maxLength: 30 }),
                tested: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 10_000 }), {
                  maxProperties: 50,
                }),
                notes: Type.Optional(Type.String({ maxLength: 10_000 })),
              }),
            ),
          }),
        ),
        response: {
          200: Type.Object({
            application: ApplicationDetail,
            reference: Type.Optional(Type.String()),
            version: Type.Optional(Type.Integer()),
          }),
          ...errors(...AUTHED_ERRORS, 403, 404, 409),
        },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      applicantOnly(user);
      const body = req.body ?? {};
      const application = await onboarding.ownApplication(user, id);
      const notApplicable = (field: string) => validationFailed([{ field, message: 'api.errors.not_applicable' }]);

      if (application.stage === 'testing') {
        if (body.declarations) throw notApplicable('declarations');
        if (!body.report) throw validationFailed([{ field: 'report', message: 'api.errors.required' }]);
        const record = await onboarding.loadForApplicant(user, id);
        const latest = record.versions.reduce<ApplicationRecord['versions'][number] | null>(
          (m, v) => (!m || v.version > m.version ? v : m),
          null,
        );
        const requestedApis = readTypedAnswers(latest?.answers ?? record.answers).apis;
        // A result for an API that was not requested would be dropped by the report parser: say so instead.
        const extra = Object.keys(body.report.tested).filter((k) => !requestedApis.includes(k));
        if (extra.length)
          throw validationFailed(
            extra.map((k) => ({ field: `report.tested.${k}`, message: 'api.errors.not_applicable' })),
          );
        const form: Record<string, unknown> = {
          period_start: body.report.period_start,
          period_end: body.report.period_end,
          notes: body.report.notes ?? '',
        };
        for (const [api, text] of Object.entries(body.report.tested)) form[`tested_${api}`] = text;
        try {
          await workflow.submitTestingReport(id, user, form, requestedApis);
        } catch (err) {
          throw renameFields(err, (f) =>
            f.startsWith('tested_') ? `report.tested.${f.slice('tested_'.length)}` : `report.${f}`,
          );
        }
        return detail(user, id);
      }
      if (application.stage === 'security') {
        if (body.declarations) throw notApplicable('declarations');
        if (body.report) throw notApplicable('report');
        await withFieldNames(
          (f) => (f.startsWith('document-') ? `documents.${f.slice('document-'.length)}` : f),
          () => inspection.submit(user, id),
        );
        return detail(user, id);
      }
      if (body.report) throw notApplicable('report');
      const form: Record<string, string> = {};
      for (const d of body.declarations ?? []) form[`declare_${d}`] = 'yes';
      try {
        const { reference, version } = await onboarding.submit(user, id, form);
        return { ...(await detail(user, id)), reference, version };
      } catch (err) {
        throw renameFields(err, (f) =>
          f.startsWith('declare_')
            ? `declarations.${f.slice('declare_'.length)}`
            : f.startsWith('section-')
              ? `answers.${f.slice('section-'.length)}`
              : f.startsWith('document-')
                ? `application_documents.${f.slice('document-'.length)}`
                : f,
        );
      }
    },
  );

  // ---- staff decisions
  app.post(
    '/applications/:id/decisions',
    {
      schema: {
        tags: ['review'],
        summary: 'Decide on the submitted stage: approve, request changes or reject (staff of that stage)',
        description:
          'A `reason` the applicant can read is always required. `sections` (request_changes) names the sections or documents to change. ' +
          'At suitability, `checklist` (and `checklist_notes`) are saved first; approval needs every item pass or na. ' +
          'At security, sections are document kinds or `findings`, and approval needs no open critical or high finding. ' +
          'At contract, request_changes returns the signed contract to the owner (the countersignature is POST …/countersignature). ' +
          'A decision not possible from the current state is a 409 naming current_state.',
        params: IdParams,
        body: Closed({
          decision: OneOf(['approve', 'request_changes', 'reject'], 'approve | request_changes | reject'),
          reason: Type.String({ maxLength: 10_000 }),
          sections: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })),
          checklist: Type.Optional(ChecklistResults),
          checklist_notes: Type.Optional(ChecklistNotes),
          internal_note: Type.Optional(
            Type.String({ maxLength: 10_000, description: 'Staff-only note, hidden from the applicant' }),
          ),
        }),
        response: {
          200: Type.Object({
            application: ApplicationDetail,
            transition: Type.Object({ from: Type.String(), to: Type.String(), event: Type.String() }),
          }),
          ...errors(...AUTHED_ERRORS, 403, 404, 409),
        },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      staffOnly(user);
      const body = req.body;
      if (body.sections && body.decision !== 'request_changes')
        throw validationFailed([{ field: 'sections', message: 'api.errors.not_applicable' }]);
      const before = await workflow.loadFor(id, user);
      const from = `${before.stage}:${before.status}`;
      // A checklist given with the decision is saved in the decision's transaction: if the decision fails, so does it.
      const checklist =
        body.checklist || body.checklist_notes
          ? await checklistForm(id, body.checklist ?? {}, body.checklist_notes ?? {})
          : undefined;
      if (checklist && (before.stage === 'security' || before.stage === 'contract')) {
        throw new AppError('conflict', 'the checklist can only be changed while suitability is under review', {
          currentState: from,
        });
      }
      // Stages 4 and 5 decide through their own services, which add their guard facts and records to the
      // same transaction (open findings; the returned contract). Everything else is the workflow itself.
      if (before.stage === 'security') {
        await withFieldNames(
          (f) => (f.startsWith('reason_') ? 'reason' : f),
          () =>
            inspection.decide(user, id, {
              decision: body.decision,
              reason: body.reason,
              sections: body.sections,
              internal_note: body.internal_note,
            }),
        );
      } else if (before.stage === 'contract' && body.decision === 'request_changes') {
        if (body.sections) throw validationFailed([{ field: 'sections', message: 'api.errors.not_applicable' }]);
        await contract.requestChanges(user, id, { reason: body.reason, internal_note: body.internal_note });
      } else {
        await withFieldNames(checklistFieldName, () =>
          workflow.transition(id, body.decision, user, {
            reason: body.reason,
            sections: body.sections,
            internalNote: body.internal_note,
            checklist,
          }),
        );
      }
      const out = await detail(user, id);
      return { ...out, transition: { from, to: out.application.state, event: body.decision } };
    },
  );

  /** The checklist as the workflow's form (result_<item>, note_<item>): items not given keep their saved result and note. */
  async function checklistForm(
    id: string,
    results: Partial<Record<string, string>>,
    notes: Partial<Record<string, string>>,
  ): Promise<Record<string, unknown>> {
    const current = await workflow.checklist(id);
    const form: Record<string, unknown> = {};
    for (const e of current) {
      form[`result_${e.item}`] = results[e.item] ?? e.result ?? '';
      form[`note_${e.item}`] = notes[e.item] ?? e.note ?? '';
    }
    return form;
  }
  const checklistFieldName = (f: string) => f.replace(/^result_/, 'checklist.').replace(/^note_/, 'checklist_notes.');

  /** Saves the checklist on its own through the workflow service. */
  async function saveChecklist(
    user: CurrentUser,
    id: string,
    results: Partial<Record<string, string>>,
    notes: Partial<Record<string, string>>,
  ) {
    const form = await checklistForm(id, results, notes);
    return withFieldNames(checklistFieldName, () => workflow.saveChecklist(id, user, form));
  }

  app.put(
    '/applications/:id/checklist',
    {
      schema: {
        tags: ['review'],
        summary: 'Save the suitability checklist without deciding (reviewer)',
        params: IdParams,
        body: Closed({ checklist: Type.Optional(ChecklistResults), checklist_notes: Type.Optional(ChecklistNotes) }),
        response: { 200: DetailResponse, ...errors(...AUTHED_ERRORS, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      staffOnly(user);
      const body = req.body;
      await saveChecklist(user, id, body.checklist ?? {}, body.checklist_notes ?? {});
      return detail(user, id);
    },
  );

  app.post(
    '/applications/:id/claim',
    {
      schema: {
        tags: ['review'],
        summary: 'Claim a submitted stage for review (staff of that stage)',
        params: IdParams,
        body: Type.Optional(Closed({})),
        response: { 200: DetailResponse, ...errors(...AUTHED_ERRORS, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      staffOnly(user);
      await workflow.transition(id, 'claim', user);
      return detail(user, id);
    },
  );

  app.post(
    '/applications/:id/withdraw',
    {
      schema: {
        tags: ['applications'],
        summary: 'Withdraw the application (organization owner)',
        params: IdParams,
        body: Type.Optional(Closed({ reason: Type.Optional(Type.String({ maxLength: 10_000 })) })),
        response: { 200: DetailResponse, ...errors(...AUTHED_ERRORS, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      applicantOnly(user);
      await workflow.transition(id, 'withdraw', user, {
        reason: req.body?.reason,
      });
      return detail(user, id);
    },
  );

  // ---- audit trail
  app.get(
    '/applications/:id/audit',
    {
      schema: {
        tags: ['applications'],
        summary: 'The audit trail, oldest first (staff also see internal notes)',
        params: IdParams,
        querystring: Closed(pageParams('events')),
        response: {
          200: Type.Object({
            events: Type.Array(AuditEntry),
            next: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          }),
          ...errors(401, 404, 422),
        },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      const page = apiPageRequest(req.query, AUDIT_CURSOR);
      // Staff see internal notes; the applicant sees the timeline of their own application.
      if (user.staffRole) await workflow.loadFor(id, user);
      else await onboarding.ownApplication(user, id);
      const found = await audit.pageForApplication(id, { includeInternal: Boolean(user.staffRole) }, page);
      return { events: found.rows.map(auditJson), next: found.next };
    },
  );

  // ---- notifications
  const Notification = Type.Object({
    id: Type.String(),
    text: Type.String(),
    link: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    read: Type.Boolean(),
  });
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first, in your language (Accept-Language or ?lang=)',
        querystring: Closed({
          lang: Type.Optional(OneOf(['ko', 'en', 'kor', 'eng'])),
          ...pageParams('rows'),
        }),
        response: {
          200: Type.Object({
            notifications: Type.Array(Notification),
            unread: Type.Integer(),
            next: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          }),
          ...errors(401, 422),
        },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const page = apiPageRequest(req.query, NEWEST_FIRST_CURSOR);
      const [list, unread] = await Promise.all([
        notifications.listForUser(user.id, req.locale, page),
        notifications.unreadCount(user.id),
      ]);
      return {
        next: list.next,
        notifications: list.rows.map((n) => ({
          id: n.id,
          text: n.text,
          link: n.link,
          created_at: n.createdAt,
          read: n.read,
        })),
        unread,
      };
    },
  );
  app.post(
    '/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification read',
        params: IdParams,
        body: Type.Optional(Closed({})),
        response: { 204: Type.Null(), ...errors(...AUTHED_ERRORS, 404) },
      },
    },
    async (req, reply) => {
      await notifications.markRead(apiUser(req).id, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark all your notifications read',
        body: Type.Optional(Closed({})),
        response: { 204: Type.Null(), ...errors(...AUTHED_ERRORS) },
      },
    },
    async (req, reply) => {
      await notifications.markAllRead(apiUser(req).id);
      return reply.code(204).send(null);
    },
  );
};
export default applicationsRoutes;
