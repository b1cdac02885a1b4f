import t from 'tap';
import { build, type Browser } from '../helpers/build';
import { staffUser, VALID_REPORT } from '../helpers/workflow';
import { stateOf, uploadAllDocuments } from '../helpers/security-stage';
import { recordPassingEvidence } from '../helpers/conformance';
import { applicationAt } from '../helpers/stage-shortcut';
import { dutyViolation } from '../../src/workflow/separation-of-duties';
import { TESTING_SECTIONS } from '../../src/workflow/stages';
import { translate } from '../../src/i18n';

t.setTimeout(360_000);
type App = Awaited<ReturnType<typeof build>>;

// The stages before the one a test is about are reached through the services (test/helpers/stage-shortcut.ts:
// the same audit events a decision on the pages leaves, which the rule reads); the decisions the rules are
// about are made on the pages.

/** An application in testing:submitted whose suitability `approver` approved, with its report sent. */
async function reportedTesting(app: App) {
  const applicant = await applicationAt(app, 'testing');
  await recordPassingEvidence(app, applicant.id);
  const report = await applicant.browser.post(`/applications/${applicant.id}/testing`, VALID_REPORT);
  if (report.statusCode !== 303) throw new Error(`report failed ${report.statusCode}`);
  return applicant;
}
const decide = (b: Browser, id: string, event: string, reason = '시험 결과를 확인했습니다') =>
  b.post(
    `/staff/applications/${id}/decision`,
    { event, reason, ...(event === 'request_changes' ? { sections: TESTING_SECTIONS[0] } : {}) },
    { formUrl: `/staff/applications/${id}` },
  );

t.test(
  'the rule: a person who decided one stage may not decide another, but may decide the same stage again',
  async (t) => {
    const decidedSuitability = [{ event: 'application.approved', fromState: 'suitability:in_review' }];
    t.same(dutyViolation(decidedSuitability, 'testing', { severalStagesAllowed: false }), {
      kind: 'decided_other_stage',
      stage: 'suitability',
    });
    t.equal(
      dutyViolation(decidedSuitability, 'suitability', { severalStagesAllowed: false }),
      null,
      'the same stage again',
    );
    t.equal(
      dutyViolation([{ event: 'application.changes_requested', fromState: 'testing:submitted' }], 'testing', {
        severalStagesAllowed: false,
      }),
      null,
    );
    t.same(
      dutyViolation([{ event: 'application.rejected', fromState: 'security:submitted' }], 'contract', {
        severalStagesAllowed: false,
      }),
      { kind: 'decided_other_stage', stage: 'security' },
    );
    t.equal(
      dutyViolation([{ event: 'application.claimed', fromState: 'suitability:submitted' }], 'testing', {
        severalStagesAllowed: false,
      }),
      null,
      'claiming is not deciding',
    );
    t.equal(
      dutyViolation(decidedSuitability, 'testing', { severalStagesAllowed: true }),
      null,
      'the deployment setting lifts the stage rule',
    );
    for (const event of ['application.created', 'application.submitted', 'application.signed']) {
      t.same(
        dutyViolation([{ event, fromState: null }], 'suitability', { severalStagesAllowed: true }),
        { kind: 'applicant' },
        `${event}: never lifted`,
      );
    }
  },
);

t.test('the reviewer who approved suitability cannot decide testing; a second reviewer can', async (t) => {
  const app = await build(t);
  const a = await reportedTesting(app);
  for (const event of ['approve', 'request_changes', 'reject']) {
    const res = await decide(a.approver.browser, a.id, event);
    t.equal(res.statusCode, 422, `${event} is refused`);
    t.match(
      res.body,
      translate('ko', 'workflow.errors.duty_decided_suitability'),
      'the page says why, naming the stage decided',
    );
  }
  t.equal(await stateOf(app, a.id), 'testing:submitted', 'nothing changed');
  const page = await a.approver.browser.get(`/staff/applications/${a.id}`);
  t.match(
    page.body,
    translate('ko', 'workflow.errors.duty_decided_suitability'),
    'the review page says why before anything is tried',
  );
  t.notMatch(page.body, 'class="decision"', 'and offers no decision form');
  t.notMatch(page.body, `action="/staff/applications/${a.id}/claim"`, 'nor the claim button');
  const claim = await a.approver.browser.post(
    `/staff/applications/${a.id}/claim`,
    {},
    { formUrl: `/staff/applications/${a.id}` },
  );
  t.equal(claim.statusCode, 422, 'they cannot claim what they may not decide');
  t.notOk((await app.db('applications').where({ id: a.id }).first()).claimed_by, 'the claim stays free');

  const second = await staffUser(app, 'reviewer', 'second-reviewer@staff.example');
  const secondPage = await second.browser.get(`/staff/applications/${a.id}`);
  t.match(secondPage.body, 'class="decision"', 'a reviewer who decided nothing else is offered the forms');
  t.notMatch(secondPage.body, translate('ko', 'workflow.errors.duty_decided_suitability'));
  const res = await decide(second.browser, a.id, 'approve');
  t.equal(res.statusCode, 303, 'another reviewer decides testing');
  t.equal(await stateOf(app, a.id), 'security:in_progress');
});

t.test(
  'admins are held to the rule too: an admin who approved suitability cannot approve the security inspection',
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'security:submitted', { approverRole: 'admin' });
    t.equal(await stateOf(app, a.id), 'security:submitted');
    t.equal(a.approver.user.staffRole, 'admin', 'suitability was approved by an admin');
    const page = `/staff/applications/${a.id}/security`;
    const res = await a.approver.browser.post(
      `${page}/decision`,
      { decision: 'approve', reason: '보안 요건 충족' },
      { formUrl: page },
    );
    t.equal(res.statusCode, 422, 'refused');
    t.match(res.body, translate('ko', 'workflow.errors.duty_decided_suitability'));
    t.equal(await stateOf(app, a.id), 'security:submitted');
    const inspector = await staffUser(app, 'inspector');
    const ok = await inspector.browser.post(
      `${page}/decision`,
      { decision: 'approve', reason: '보안 요건 충족' },
      { formUrl: page },
    );
    t.equal(ok.statusCode, 303, 'an inspector who decided nothing else approves');
    t.equal(await stateOf(app, a.id), 'contract:in_progress');
  },
);

t.test('STAFF_MAY_DECIDE_SEVERAL_STAGES=true lets one reviewer decide suitability and testing', async (t) => {
  const app = await build(t, { config: { staffMayDecideSeveralStages: true } });
  const a = await reportedTesting(app);
  t.equal((await decide(a.approver.browser, a.id, 'approve')).statusCode, 303);
  t.equal(await stateOf(app, a.id), 'security:in_progress');
});

t.test('a staff member who acted for the applicant never decides any stage, whatever the setting', async (t) => {
  const app = await build(t, { config: { staffMayDecideSeveralStages: true } });
  const applicant = await applicationAt(app, 'suitability');
  const row = await app.db('applications').where({ id: applicant.id }).first();
  const insider = await staffUser(app, 'reviewer', 'insider@staff.example');
  await app.db('memberships').insert({
    user_id: insider.user.id,
    organization_id: row.organization_id,
    role: 'member',
    created_at: new Date().toISOString(),
  });
  const claim = await insider.browser.post(
    `/staff/applications/${applicant.id}/claim`,
    {},
    { formUrl: `/staff/applications/${applicant.id}` },
  );
  t.equal(claim.statusCode, 422);
  t.match(claim.body, translate('ko', 'workflow.errors.duty_applicant'));
  t.equal(await stateOf(app, applicant.id), 'suitability:submitted');
});

t.test('the service refuses with a field error the API can show', async (t) => {
  const app = await build(t);
  const a = await reportedTesting(app);
  await t.rejects(app.services.workflow.transition(a.id, 'approve', a.approver.user, { reason: '확인' }), {
    code: 'validation',
    details: { fieldErrors: [{ field: 'claim', message: 'workflow.errors.duty_decided_suitability' }] },
  });
  const v = await app.services.workflow.dutyViolationFor(a.id, a.approver.user);
  t.same(v, { kind: 'decided_other_stage', stage: 'suitability' }, 'pages can ask before offering the forms');
});

t.test('an admin who decided testing is told on the contract page that someone else must countersign', async (t) => {
  const app = await build(t);
  // Suitability by one reviewer, testing by an admin, security by an inspector.
  const applicant = await applicationAt(app, 'testing');
  await recordPassingEvidence(app, applicant.id);
  t.equal((await applicant.browser.post(`/applications/${applicant.id}/testing`, VALID_REPORT)).statusCode, 303);
  const admin = await staffUser(app, 'admin', 'admin-tester@staff.example');
  t.equal((await decide(admin.browser, applicant.id, 'approve')).statusCode, 303, 'the admin decides testing');
  await uploadAllDocuments(applicant.browser, applicant.id);
  t.equal(
    (
      await applicant.browser.post(
        `/applications/${applicant.id}/security/submit`,
        {},
        { formUrl: `/applications/${applicant.id}/security` },
      )
    ).statusCode,
    303,
  );
  const inspector = await staffUser(app, 'inspector');
  const security = `/staff/applications/${applicant.id}/security`;
  t.equal(
    (
      await inspector.browser.post(
        `${security}/decision`,
        { decision: 'approve', reason: '보안 요건 충족' },
        { formUrl: security },
      )
    ).statusCode,
    303,
  );
  const contract = `/applications/${applicant.id}/contract`;
  t.equal(
    (await applicant.browser.post(`${contract}/sign`, { full_name: '김테스트', accept: 'yes' }, { formUrl: contract }))
      .statusCode,
    303,
  );

  const staffContract = `/staff/applications/${applicant.id}/contract`;
  const view = await admin.browser.get(staffContract);
  t.match(view.body, translate('ko', 'workflow.errors.duty_decided_testing'), 'the page names the stage they decided');
  t.notMatch(view.body, `action="${staffContract}/countersign"`, 'and offers no countersignature');
  const res = await admin.browser.post(`${staffContract}/countersign`, { note: '확인' }, { formUrl: staffContract });
  t.equal(res.statusCode, 422, 'a countersignature sent anyway is refused');
  t.equal(await stateOf(app, applicant.id), 'contract:submitted');
  const officer = await staffUser(app, 'contract_officer');
  t.equal(
    (await officer.browser.post(`${staffContract}/countersign`, { note: '확인' }, { formUrl: staffContract }))
      .statusCode,
    303,
    'an officer who decided nothing else countersigns',
  );
  t.equal(await stateOf(app, applicant.id), 'live:live');
});
