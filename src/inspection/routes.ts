// Stage 4 pages: the applicant's security page (documents, findings with remediation forms, submit) and the
// inspector's page (documents with downloads, findings, verify/reopen, decision with a reason).
// Upload forms are multipart, parsed only inside this plugin's scope (see multipart-upload.ts).
import { auditEventName } from '../audit/event-names';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { AccountsService } from '../accounts/service';
import type { CurrentUser } from '../accounts/types';
import { AppError } from '../http/errors';
import { handleForm } from '../http/forms';
import { mustBeSignedIn, mustBeStaff } from '../http/guards';
import { checkSchemasAfterGuards, FormBody, IdParams, PageQuery, UuidParam } from '../http/route-schemas';
import { hasMessage, translate, type Locale } from '../i18n';
import { AUDIT_CURSOR, type AuditEvent, type AuditService } from '../audit/service';
import {
  namedPageLinks,
  PAGE_SIZE_DEFAULT,
  readNamedPage,
  type KeyPart,
  type PageRequest as CursorPageRequest,
} from '../pagination/cursor';
import { SEVERITIES } from './finding-lifecycle';
import { registerUploadParsing, uploadedFile, MAX_UPLOAD_BYTES } from '../uploads/multipart-upload';
import { displayFilename } from '../uploads/safe-download-filename';
import { sendStoredFile } from '../uploads/send-stored-file';
import type { FileMeta } from '../uploads/stored-files';
import { sizeLabel } from '../uploads/size-label';
import { readVersionPage, versionLinks, type VersionPageRequest } from '../uploads/version-pages';
import { REQUIRED_DOCUMENT_KINDS } from './security-documents';
import {
  CHANGE_REQUEST_SECTIONS,
  FINDING_CURSOR,
  REMEDIATION_CURSOR,
  REMEDIATIONS_PER_FINDING,
  STAFF_DECISIONS,
  type InspectionService,
  type InspectionView,
  type RemediationsRequest,
} from './service';
import { STAFF_READERS } from '../workflow/application-access';

interface InspectionRoutesOptions {
  inspection: Pick<
    InspectionService,
    | 'assertCanUpload'
    | 'view'
    | 'findingTitles'
    | 'findingsCursorAt'
    | 'download'
    | 'uploadDocument'
    | 'remediate'
    | 'submit'
    | 'recordFinding'
    | 'changeFinding'
    | 'decide'
  >;
  /** The stage's history on both pages (internal notes for staff only). */
  audit: Pick<AuditService, 'pageForApplication'>;
  /** Who sends an upload, read from the session before its body (the usual current-user hook runs later). */
  accounts: Pick<AccountsService, 'loadCurrentUser'>;
}

/** The applicant's forms that carry a file (multipart). */
const APPLICANT_UPLOAD_ROUTES: readonly string[] = [
  '/applications/:id/security/documents',
  '/applications/:id/security/findings/:findingId/remediation',
];
const FindingParams = Type.Object({ id: UuidParam, findingId: UuidParam });
const FileParams = Type.Object({ id: UuidParam, fileId: UuidParam });

/** An upload form: `_csrf`, its text fields and the file part (an UploadedFile, or absent). */
const UPLOAD_FILE = { file: Type.Optional(Type.Unknown()) };
const DOCUMENT_UPLOAD = FormBody(['kind'], UPLOAD_FILE);
const REMEDIATION = FormBody(['text'], UPLOAD_FILE);
const BUTTON = FormBody([]);
const FINDING = FormBody(['title', 'description', 'severity']);
const FINDING_CHANGE = FormBody(['note']);
const DECISION = FormBody(['decision', 'reason', 'sections', 'internal_note']);

/** A page with the application's id in its path. */
type PageRequest = FastifyRequest & { params: { id: string } };

const SEVERITY_TAG: Record<string, string> = {
  critical: 'tag-red',
  high: 'tag-orange',
  medium: 'tag-yellow',
  low: 'tag-grey',
};
const STATUS_TAG: Record<string, string> = {
  open: 'tag-red',
  remediated: 'tag-yellow',
  closed: 'tag-green',
  withdrawn: 'tag-grey',
};

/** The stage's history as the page shows it (events newest first, read by the audit service): what each was about. */
function stageEvents(locale: Locale, events: AuditEvent[], findingTitles: Map<string, string>) {
  const label = (key: string, event: string) =>
    hasMessage(locale, key) ? translate(locale, key) : auditEventName(locale, event);
  return events.map((e) => {
    const entered = (e.toState ?? '').startsWith('security:') && !(e.fromState ?? '').startsWith('security:');
    const data = e.data ?? {};
    let detail = '';
    if (e.event === 'security.document_uploaded' && typeof data.kind === 'string') {
      detail = `${translate(locale, `inspection.kinds.${data.kind}`)} v${String(data.version)} · ${displayFilename(String(data.filename))}`;
    } else if (typeof data.findingId === 'string') {
      detail = findingTitles.get(data.findingId) ?? (typeof data.title === 'string' ? data.title : '');
    }
    return {
      createdAt: e.createdAt,
      actor: e.actorLabel,
      reason: e.reason,
      detail,
      label: entered
        ? translate(locale, 'inspection.events.stage_started')
        : label(`inspection.events.${e.event.replace(/\./g, '_')}`, e.event),
    };
  });
}

const withSize = <T extends FileMeta>(f: T) => ({ ...f, sizeLabel: sizeLabel(f.sizeBytes) });

/** The pages' query: a kind's older versions (`kind`, `after`, `before`) and the history's page. */
const SECURITY_PAGE_QUERY = PageQuery([
  'kind',
  'after',
  'before',
  'history_after',
  'history_before',
  'findings_after',
  'findings_before',
  'remediations',
  'remediations_after',
  'remediations_before',
]);

/**
 * On a GET, the older remediations of one finding (`?remediations=<finding id>&remediations_after=`): that finding
 * shows the page asked for (a cursor it did not give out: its newest), the others their newest.
 */
function remediationsPageOf(req: FastifyRequest): RemediationsRequest | null {
  const q = (req.query ?? {}) as Record<string, unknown>;
  if (req.method !== 'GET' || typeof q.remediations !== 'string' || !q.remediations) return null;
  return {
    findingId: q.remediations,
    page: readNamedPage(q, 'remediations', REMEDIATION_CURSOR, REMEDIATIONS_PER_FINDING),
  };
}

/**
 * A finding's remediation links: its older (next) and newer (previous) page and back to its newest, each on the same
 * page of findings as now (`findingsQuery`) and landing on the finding.
 */
function remediationLinks(
  base: string,
  findingsQuery: Record<string, string>,
  f: { id: string; remediationsNext: string | null; remediationsPrevious: string | null },
  asked: RemediationsRequest | null,
) {
  const href = (cursor: Record<string, string> | null) => {
    const p = new URLSearchParams(findingsQuery);
    if (cursor) {
      p.set('remediations', f.id);
      for (const [k, v] of Object.entries(cursor)) p.set(k, v);
    }
    const qs = p.toString();
    return `${base}${qs ? `?${qs}` : ''}#finding-${f.id}`;
  };
  const onPage = asked?.findingId === f.id && Boolean(asked.page.after || asked.page.before);
  return {
    nextHref: f.remediationsNext ? href({ remediations_after: f.remediationsNext }) : null,
    previousHref: f.remediationsPrevious ? href({ remediations_before: f.remediationsPrevious }) : null,
    firstHref: onPage ? href(null) : null,
  };
}

/** A list's page on a GET (`?history_after=`, `?findings_before=` …); a form's re-render shows the first page. */
function namedPageOnGet(req: FastifyRequest, name: 'history' | 'findings', shape: readonly KeyPart[]) {
  return readNamedPage(req.method === 'GET' ? req.query : {}, name, shape);
}
const historyPageOf = (req: FastifyRequest) => namedPageOnGet(req, 'history', AUDIT_CURSOR);
const findingsPageOf = (req: FastifyRequest) => namedPageOnGet(req, 'findings', FINDING_CURSOR);

async function pageData(
  { inspection, audit }: Pick<InspectionRoutesOptions, 'inspection' | 'audit'>,
  user: CurrentUser,
  locale: Locale,
  applicationId: string,
  staff: boolean,
  versionPage: VersionPageRequest | null = null,
  historyRequest: CursorPageRequest = { size: PAGE_SIZE_DEFAULT },
  findingsRequest: CursorPageRequest = { size: PAGE_SIZE_DEFAULT },
  findingsQuery: Record<string, string> = {},
  remediationsRequest: RemediationsRequest | null = null,
): Promise<Record<string, unknown>> {
  const view: InspectionView = await inspection.view(
    user,
    applicationId,
    versionPage,
    undefined,
    findingsRequest,
    remediationsRequest,
  );
  const events = await audit.pageForApplication(
    view.application.id,
    { includeInternal: staff, newestFirst: true, stage: 'security' },
    historyRequest,
  );
  // The history's events name findings of any page: their titles are read by id (a page's worth at most).
  const findingTitles = await inspection.findingTitles(
    user,
    view.application.id,
    events.rows.flatMap((e) => {
      const id = (e.data as { findingId?: unknown } | null)?.findingId;
      return typeof id === 'string' ? [id] : [];
    }),
  );
  const base = staff
    ? `/staff/applications/${view.application.id}/security`
    : `/applications/${view.application.id}/security`;
  return {
    titleKey: staff ? 'inspection.staff.title' : 'inspection.applicant.title',
    ...view,
    base,
    maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
    documents: view.documents.map((d) => ({
      ...d,
      ...versionLinks(base, d.kind, d),
      versions: d.versions.map(withSize),
    })),
    findings: view.findings.map((f) => ({
      ...f,
      severityTag: SEVERITY_TAG[f.severity],
      statusTag: STATUS_TAG[f.status],
      remediations: f.remediations.map((m) => ({ ...m, file: m.file ? withSize(m.file) : null })),
      remediationsPager: remediationLinks(base, findingsQuery, f, remediationsRequest),
    })),
    severities: SEVERITIES,
    decisions: STAFF_DECISIONS,
    changeSections: CHANGE_REQUEST_SECTIONS,
    changesRequested:
      view.application.status === 'changes_requested'
        ? view.application.changesRequested.filter((k) => CHANGE_REQUEST_SECTIONS.includes(k))
        : [],
    findingsPager: namedPageLinks(
      base,
      'findings',
      'findings',
      { next: view.findingsNext, previous: view.findingsPrevious },
      findingsRequest,
    ),
    history: stageEvents(locale, events.rows, findingTitles),
    historyPager: namedPageLinks(base, 'history', 'history', events, historyRequest),
    values: {},
  };
}

const inspectionRoutes: FastifyPluginAsyncTypebox<InspectionRoutesOptions> = async (
  app,
  { inspection, audit, accounts },
) => {
  checkSchemasAfterGuards(app);
  // Uploads are admitted before their body is read: a signed-in user, and for the applicant's upload forms a
  // member of the application's organization (staff 403, anyone else 404, like the service says afterwards).
  await registerUploadParsing(app, async (req) => {
    const userId = req.session?.userId;
    const user = typeof userId === 'string' ? await accounts.loadCurrentUser(userId) : null;
    if (!user) throw new AppError('unauthenticated', 'sign in');
    if (!APPLICANT_UPLOAD_ROUTES.includes(req.routeOptions.url ?? '')) return;
    // onRequest, before the route's schema is checked: the application id is checked here by the same schema.
    if (!Value.Check(IdParams, req.params)) throw new AppError('not_found', 'bad id');
    await inspection.assertCanUpload(user, req.params.id);
  });

  // The GET pages read `?kind=&after=|before=` (a kind's older versions); a form's re-render shows the newest.
  const versionPageOf = (req: PageRequest) =>
    req.method === 'GET' ? readVersionPage(req.query, REQUIRED_DOCUMENT_KINDS) : null;
  // A form about one finding (remediation, verify, reopen, withdraw) re-renders and redirects to a page showing it.
  async function findingsRequestOf(req: PageRequest): Promise<CursorPageRequest> {
    const findingId = (req.params as { findingId?: string }).findingId;
    if (req.method === 'GET' || !findingId) return findingsPageOf(req);
    const at = await inspection.findingsCursorAt(req.user!, req.params.id, findingId);
    return readNamedPage(at ? { findings_after: at } : {}, 'findings', FINDING_CURSOR);
  }
  /** The findings page a GET shows, as its query (kept by the remediation links of its findings). */
  function findingsQueryOf(req: PageRequest): Record<string, string> {
    if (req.method !== 'GET') return {};
    const q = (req.query ?? {}) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const k of ['findings_after', 'findings_before'])
      if (typeof q[k] === 'string' && q[k]) out[k] = q[k] as string;
    return out;
  }
  async function findingHref(req: PageRequest, base: string, findingId: string) {
    const at = await inspection.findingsCursorAt(req.user!, req.params.id, findingId);
    return `${base}${at ? `?findings_after=${at}` : ''}#finding-${findingId}`;
  }
  const applicantPage = async (req: PageRequest) =>
    pageData(
      { inspection, audit },
      req.user!,
      req.locale,
      req.params.id,
      false,
      versionPageOf(req),
      historyPageOf(req),
      await findingsRequestOf(req),
      findingsQueryOf(req),
      remediationsPageOf(req),
    );
  const staffPage = async (req: PageRequest) =>
    pageData(
      { inspection, audit },
      req.user!,
      req.locale,
      req.params.id,
      true,
      versionPageOf(req),
      historyPageOf(req),
      await findingsRequestOf(req),
      findingsQueryOf(req),
      remediationsPageOf(req),
    );

  async function sendFile(req: FastifyRequest & { params: { id: string; fileId: string } }, reply: FastifyReply) {
    return sendStoredFile(reply, await inspection.download(req.user!, req.params.id, req.params.fileId));
  }

  // ---------------------------------------------------------------- applicant
  app.get(
    '/applications/:id/security',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, querystring: SECURITY_PAGE_QUERY } },
    async (req, reply) => {
      if (req.user!.staffRole) return reply.redirect(`/staff/applications/${req.params.id}/security`, 303);
      return reply.page('inspection/applicant', await applicantPage(req));
    },
  );

  app.post(
    '/applications/:id/security/documents',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, body: DOCUMENT_UPLOAD } },
    async (req, reply) => {
      const body = req.body;
      return handleForm(
        reply,
        'inspection/applicant',
        {},
        async () => {
          const meta = await inspection.uploadDocument(req.user!, req.params.id, body.kind, uploadedFile(body.file));
          req.session.flash = {
            kind: 'success',
            message: reply.t('inspection.applicant.uploaded', { filename: meta.filename, version: meta.version }),
          };
          return `/applications/${req.params.id}/security#document-${meta.slot}`;
        },
        () => applicantPage(req),
      );
    },
  );

  app.post(
    '/applications/:id/security/findings/:findingId/remediation',
    { preHandler: mustBeSignedIn, schema: { params: FindingParams, body: REMEDIATION } },
    async (req, reply) => {
      const body = req.body;
      const findingId = req.params.findingId;
      return handleForm(
        reply,
        'inspection/applicant',
        {},
        async () => {
          await inspection.remediate(req.user!, req.params.id, findingId, {
            text: body.text,
            file: uploadedFile(body.file),
          });
          req.session.flash = { kind: 'success', message: reply.t('inspection.applicant.remediation_sent') };
          return findingHref(req, `/applications/${req.params.id}/security`, findingId);
        },
        async () => ({
          ...(await applicantPage(req)),
          values: { [`remediation-${findingId}`]: typeof body.text === 'string' ? body.text : '' },
        }),
      );
    },
  );

  app.post(
    '/applications/:id/security/submit',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, body: BUTTON } },
    async (req, reply) =>
      handleForm(
        reply,
        'inspection/applicant',
        {},
        async () => {
          await inspection.submit(req.user!, req.params.id);
          req.session.flash = { kind: 'success', message: reply.t('inspection.applicant.submitted') };
          return `/applications/${req.params.id}/security`;
        },
        () => applicantPage(req),
      ),
  );

  app.get(
    '/applications/:id/security/files/:fileId',
    { preHandler: mustBeSignedIn, schema: { params: FileParams } },
    sendFile,
  );

  // ---------------------------------------------------------------- inspector (admin may act too)
  const staffOnly = { preHandler: mustBeStaff(...STAFF_READERS.security) };
  app.get(
    '/staff/applications/:id/security',
    { ...staffOnly, schema: { params: IdParams, querystring: SECURITY_PAGE_QUERY } },
    async (req, reply) => reply.page('inspection/staff', await staffPage(req)),
  );

  app.get('/staff/applications/:id/security/files/:fileId', { ...staffOnly, schema: { params: FileParams } }, sendFile);

  app.post(
    '/staff/applications/:id/security/findings',
    { ...staffOnly, schema: { params: IdParams, body: FINDING } },
    async (req, reply) =>
      handleForm(
        reply,
        'inspection/staff',
        req.body,
        async () => {
          await inspection.recordFinding(req.user!, req.params.id, req.body);
          req.session.flash = { kind: 'success', message: reply.t('inspection.staff.finding_recorded') };
          return `/staff/applications/${req.params.id}/security#findings`;
        },
        () => staffPage(req),
      ),
  );

  const FLASH = { verify: 'finding_verified', reopen: 'finding_reopened', withdraw: 'finding_withdrawn' } as const;
  for (const action of ['verify', 'reopen', 'withdraw'] as const) {
    app.post(
      `/staff/applications/:id/security/findings/:findingId/${action}`,
      { ...staffOnly, schema: { params: FindingParams, body: FINDING_CHANGE } },
      async (req, reply) => {
        const body = req.body;
        const findingId = req.params.findingId;
        return handleForm(
          reply,
          'inspection/staff',
          {},
          async () => {
            await inspection.changeFinding(req.user!, req.params.id, findingId, action, body);
            req.session.flash = { kind: 'success', message: reply.t(`inspection.staff.${FLASH[action]}`) };
            return findingHref(req, `/staff/applications/${req.params.id}/security`, findingId);
          },
          async () => ({
            ...(await staffPage(req)),
            values: {
              [`${action === 'withdraw' ? 'withdraw' : 'note'}-${findingId}`]:
                typeof body.note === 'string' ? body.note : '',
            },
          }),
        );
      },
    );
  }

  app.post(
    '/staff/applications/:id/security/decision',
    { ...staffOnly, schema: { params: IdParams, body: DECISION } },
    async (req, reply) => {
      const body = req.body;
      return handleForm(
        reply,
        'inspection/staff',
        body,
        async () => {
          const decision = await inspection.decide(req.user!, req.params.id, body);
          req.session.flash = { kind: 'success', message: reply.t(`inspection.staff.decided_${decision}`) };
          // One coherent page after the decision: an application that left the stage (approved on to the
          // contract, or rejected) is shown where it now is, not on a stage page saying it is elsewhere.
          return decision === 'request_changes'
            ? `/staff/applications/${req.params.id}/security`
            : `/staff/applications/${req.params.id}`;
        },
        async () => ({
          ...(await staffPage(req)),
          values: {
            sections: Array.isArray(body.sections) ? body.sections : body.sections ? [body.sections] : [],
            ...(typeof body.decision === 'string' && typeof body.reason === 'string'
              ? { [`reason_${body.decision}`]: body.reason }
              : {}),
          },
        }),
      );
    },
  );
};
export default inspectionRoutes;
