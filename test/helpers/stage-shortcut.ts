// Puts an application at a given stage through the real services, for tests whose subject is that stage and not
// the pages before it. Every step is a public service method the pages call too (sign-up and its e-mailed link,
// the draft, the sections, the documents, the stage 1 submit, the checklist and two reviewers' approvals, the
// testing report, the security documents and the inspector's approval), so the rows, audit events, e-mails and
// credentials are the ones the pages leave, and every rule (separation of duties, the conformance gate, the
// required documents) still applies. The testing stage's evidence goes into the emulator's request log through
// its own recorder (test/helpers/conformance.ts), which the conformance gate reads.
//
// The page journeys themselves stay tested: test/helpers/onboarding.ts, workflow.ts and security-stage.ts walk
// the real pages through every stage, and at least one test per stage still uses them (stage 1:
// test/onboarding/happy-path.test.ts and submit.test.ts; stages 2-3: test/workflow/*; stage 4:
// test/inspection/findings.test.ts; stage 5: test/contract/contract-review.test.ts).
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Browser, takeSignupLink } from './build';
import { ALL_DECLARATIONS, VALID_ANSWERS } from './onboarding';
import { staffUser, VALID_REPORT } from './workflow';
import { SAMPLE_FILES } from './multipart';
import { recordPassingEvidence } from './conformance';
import { withInspectorForms } from './security-stage';
import { SUITABILITY_ITEMS } from '../../src/workflow/suitability-checklist';
import { requiredDocumentKinds } from '../../src/onboarding/application-documents';
import { UploadedFile } from '../../src/uploads/multipart-upload';
import type { CurrentUser, StaffRole } from '../../src/accounts/types';

/** Where the application ends: the first status of that stage (security:submitted = handed to the inspector). */
export type ShortcutStage = 'suitability' | 'testing' | 'security' | 'security:submitted' | 'contract';

const ORDER: readonly ShortcutStage[] = ['suitability', 'testing', 'security', 'security:submitted', 'contract'];
const OWNER_PASSWORD = 'correct-horse-1';
const SECURITY_DOCUMENTS = ['self_assessment', 'vulnerability_scan', 'penetration_test'] as const;

type Staff = Awaited<ReturnType<typeof staffUser>>;

interface StagedApplication {
  id: string;
  /** The owner, signed in (as after the sign-up pages). */
  browser: Browser;
  owner: CurrentUser;
}

/**
 * What the test gets at each stage: `approver` approved suitability (from 'testing' on); `testingApprover`, a
 * second reviewer as separation of duties requires, approved testing (from 'security' on); `inspector` approved
 * security (at 'contract').
 */
type Reached<S extends ShortcutStage> = StagedApplication &
  (S extends 'suitability' ? unknown : { approver: Staff }) &
  (S extends 'security' | 'security:submitted' | 'contract' ? { testingApprover: Staff } : unknown) &
  (S extends 'contract' ? { inspector: Staff } : unknown);

export interface ShortcutOptions {
  /** The owner's e-mail (default owner@test-fintech.example, as the page helpers use). */
  email?: string;
  /** Who approves suitability (default reviewer). */
  approverRole?: StaffRole;
}

function pdf(name: string): UploadedFile {
  return new UploadedFile(`${name}.pdf`, 'application/pdf', SAMPLE_FILES.pdf, false);
}

const suffix = () => crypto.randomBytes(3).toString('hex');

/** An organization's owner signed up through the accounts service (the confirmation link from the outbox). */
async function ownerSignedUp(app: FastifyInstance, email: string): Promise<{ owner: CurrentUser; browser: Browser }> {
  await app.services.accounts.requestSignup(
    {
      organization_name: '테스트핀테크',
      name: '김테스트',
      email,
      password: OWNER_PASSWORD,
      password_confirm: OWNER_PASSWORD,
    },
    'ko',
  );
  const { token } = await takeSignupLink(app, email);
  const owner = await app.services.accounts.confirmSignup(token);
  const browser = new Browser(app);
  await browser.login(email, OWNER_PASSWORD);
  return { owner, browser };
}

/**
 * An application moved through the services to `stage`: submitted (suitability:submitted), approved at suitability
 * (testing:in_progress), tested and approved by a second reviewer (security:in_progress), its security documents
 * handed in (security:submitted), or approved by an inspector (contract:in_progress).
 */
export async function applicationAt<S extends ShortcutStage>(
  app: FastifyInstance,
  stage: S,
  opts: ShortcutOptions = {},
): Promise<Reached<S>> {
  const reached = (s: ShortcutStage) => ORDER.indexOf(stage) >= ORDER.indexOf(s);
  const { onboarding, applicationDocuments, workflow, inspection } = app.services;
  const { owner, browser } = await ownerSignedUp(app, opts.email ?? 'owner@test-fintech.example');
  const { id } = await onboarding.createDraft(owner);
  await onboarding.saveSections(owner, id, VALID_ANSWERS);
  for (const kind of requiredDocumentKinds(VALID_ANSWERS as unknown as Parameters<typeof requiredDocumentKinds>[0]))
    await applicationDocuments.upload(owner, id, kind, pdf(kind));
  await onboarding.submit(owner, id, ALL_DECLARATIONS);
  // Each stage's fields are filled before the return that ends there (see Reached).
  const staged = { id, browser, owner } as Reached<S>;
  if (!reached('testing')) return staged;

  const role = opts.approverRole ?? 'reviewer';
  const approver = await staffUser(app, role, `${role}-approver-${suffix()}@staff.example`);
  const checklist = Object.fromEntries(SUITABILITY_ITEMS.map((item) => [`result_${item}`, 'pass']));
  await workflow.saveChecklist(id, approver.user, checklist);
  await workflow.transition(id, 'approve', approver.user, { reason: '적합성 요건을 모두 충족합니다.' });
  Object.assign(staged, { approver });
  if (!reached('security')) return staged;

  await recordPassingEvidence(app, id);
  await workflow.submitTestingReport(id, owner, VALID_REPORT, VALID_ANSWERS.apis.apis);
  // Separation of duties: testing is decided by a second reviewer, never the suitability approver.
  const testingApprover = await staffUser(app, 'reviewer', `testing-approver-${suffix()}@staff.example`);
  await workflow.transition(id, 'approve', testingApprover.user, { reason: '테스트 결과 확인' });
  Object.assign(staged, { testingApprover });
  if (!reached('security:submitted')) return staged;

  for (const kind of SECURITY_DOCUMENTS) await inspection.uploadDocument(owner, id, kind, pdf(kind));
  await inspection.submit(owner, id);
  if (!reached('contract')) return staged;

  const inspector = await staffUser(app, 'inspector', `inspector-${suffix()}@staff.example`);
  await inspection.decide(inspector.user, id, { decision: 'approve', reason: '보안 요건 충족' });
  Object.assign(staged, { inspector });
  return staged;
}

/** An application handed to the inspector through the services, the inspector, and the inspector's forms. */
export async function inspectionAt(app: FastifyInstance, opts: ShortcutOptions = {}) {
  return withInspectorForms(app, await applicationAt(app, 'security:submitted', opts));
}
