// Fixtures for stages 4 and 5: an application moved through the real pages to the security inspection
// (suitability approved by `approver`, testing report submitted and approved by `testingApprover`), then on to
// the contract.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser } from './build';
import { applicationInTesting, staffUser, VALID_REPORT } from './workflow';
import { postMultipart, SAMPLE_FILES } from './multipart';
import type { StaffRole } from '../../src/accounts/types';
import { recordPassingEvidence } from './conformance';

export async function applicationInSecurity(
  app: FastifyInstance,
  opts: { approverRole?: StaffRole; email?: string } = {},
) {
  const approver = await staffUser(
    app,
    opts.approverRole ?? 'reviewer',
    `${opts.approverRole ?? 'reviewer'}-approver-${crypto.randomBytes(3).toString('hex')}@staff.example`,
  );
  const applicant = await applicationInTesting(app, approver.browser, opts.email);
  await recordPassingEvidence(app, applicant.id);
  const report = await applicant.browser.post(`/applications/${applicant.id}/testing`, VALID_REPORT);
  if (report.statusCode !== 303)
    throw new Error(`testing report failed: ${report.statusCode} ${report.body.slice(0, 1500)}`);
  // Separation of duties: testing is decided by a second reviewer, never the suitability approver.
  const testingApprover = await staffUser(
    app,
    'reviewer',
    `testing-approver-${crypto.randomBytes(3).toString('hex')}@staff.example`,
  );
  const approve = await testingApprover.browser.post(
    `/staff/applications/${applicant.id}/decision`,
    { event: 'approve', reason: '테스트 결과 확인' },
    { formUrl: `/staff/applications/${applicant.id}` },
  );
  if (approve.statusCode !== 303)
    throw new Error(`testing approve failed: ${approve.statusCode} ${approve.body.slice(0, 1500)}`);
  return { ...applicant, approver, testingApprover };
}

export async function uploadAllDocuments(applicant: Browser, id: string): Promise<void> {
  for (const kind of ['self_assessment', 'vulnerability_scan', 'penetration_test']) {
    const res = await postMultipart(
      applicant,
      `/applications/${id}/security/documents`,
      { kind },
      [{ filename: `${kind}.pdf`, contentType: 'application/pdf', content: SAMPLE_FILES.pdf }],
      { formUrl: `/applications/${id}/security` },
    );
    if (res.statusCode !== 303) throw new Error(`upload ${kind} failed: ${res.statusCode} ${res.body.slice(0, 1500)}`);
  }
}

/** Security documents uploaded, inspection requested and approved by an inspector: now contract:in_progress. */
export async function applicationInContract(
  app: FastifyInstance,
  opts: { approverRole?: StaffRole; email?: string } = {},
) {
  const a = await applicationInSecurity(app, opts);
  await uploadAllDocuments(a.browser, a.id);
  const submit = await a.browser.post(
    `/applications/${a.id}/security/submit`,
    {},
    { formUrl: `/applications/${a.id}/security` },
  );
  if (submit.statusCode !== 303)
    throw new Error(`security submit failed: ${submit.statusCode} ${submit.body.slice(0, 1500)}`);
  const inspector = await staffUser(
    app,
    'inspector',
    `inspector-${crypto.randomBytes(3).toString('hex')}@staff.example`,
  );
  const approve = await inspector.browser.post(
    `/staff/applications/${a.id}/security/decision`,
    { decision: 'approve', reason: '보안 요건 충족' },
    { formUrl: `/staff/applications/${a.id}/security` },
  );
  if (approve.statusCode !== 303)
    throw new Error(`security approve failed: ${approve.statusCode} ${approve.body.slice(0, 1500)}`);
  return { ...a, inspector };
}

export async function stateOf(app: FastifyInstance, id: string): Promise<string> {
  const row = await app.db('applications').where({ id }).first('stage', 'status');
  return `${row.stage}:${row.status}`;
}

/** An application whose inspection was requested, the inspector, and shortcuts for the inspector's forms. */
export async function submittedForInspection(app: FastifyInstance) {
  const a = await applicationInSecurity(app);
  await uploadAllDocuments(a.browser, a.id);
  const res = await a.browser.post(
    `/applications/${a.id}/security/submit`,
    {},
    { formUrl: `/applications/${a.id}/security` },
  );
  if (res.statusCode !== 303) throw new Error(`submit failed ${res.statusCode}`);
  return withInspectorForms(app, a);
}

/**
 * For an application handed to the inspector: the inspector (inspector@staff.example) and shortcuts for the
 * inspector's forms on the real staff page.
 */
export async function withInspectorForms<A extends { id: string }>(app: FastifyInstance, a: A) {
  const inspector = await staffUser(app, 'inspector');
  const staffPage = `/staff/applications/${a.id}/security`;
  const record = (fields: Record<string, string>) =>
    inspector.browser.post(`${staffPage}/findings`, fields, { formUrl: staffPage });
  const decide = (fields: Record<string, string | string[]>) =>
    inspector.browser.post(`${staffPage}/decision`, fields, { formUrl: staffPage });
  const findingId = async (title: string) =>
    (await app.db('security_findings').where({ application_id: a.id, title }).first()).id as string;
  return { ...a, inspector, staffPage, record, decide, findingId };
}
