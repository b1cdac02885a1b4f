import t from 'tap';
import { build } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import { stateOf } from '../helpers/security-stage';
import { inspectionAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

// Each test puts an application at its stage through the services (test/helpers/stage-shortcut.ts); the page
// journey through the earlier stages is tested once per stage. Allow for a busy machine.
t.setTimeout(360_000);

t.test('a remediation file that is not a PDF, PNG or JPEG is refused and nothing is stored', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  await s.record({ severity: 'high', title: 'CSRF', description: '송금 폼' });
  const id = await s.findingId('CSRF');
  const applicantPage = `/applications/${s.id}/security`;
  const res = await postMultipart(
    s.browser,
    `${applicantPage}/findings/${id}/remediation`,
    { text: '토큰 추가' },
    [{ filename: 'evidence.pdf', contentType: 'application/pdf', content: SAMPLE_FILES.html }],
    { formUrl: applicantPage },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, `href="#remediation-file-${id}"`);
  t.match(res.body, '토큰 추가', 'the text is kept');
  t.equal(Number((await app.db('security_remediations').count({ n: '*' }).first())?.n), 0);
  t.equal((await app.db('security_findings').where({ id }).first()).status, 'open');
  const empty = await postMultipart(s.browser, `${applicantPage}/findings/${id}/remediation`, { text: '' }, [], {
    formUrl: applicantPage,
  });
  t.equal(empty.statusCode, 422, 'the remediation text is required');
});

t.test('findings are recorded only by inspectors or admins, with severity, title and description', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  const invalid = await s.record({ severity: 'catastrophic', title: '', description: '' });
  t.equal(invalid.statusCode, 422);
  for (const f of ['severity', 'title', 'description']) t.match(invalid.body, `href="#${f}"`);
  const reviewer = await staffUser(app, 'reviewer', 'another-reviewer@staff.example');
  t.equal((await reviewer.browser.get(s.staffPage)).statusCode, 403, 'a reviewer is not an inspector');
  t.equal((await s.browser.get(s.staffPage)).statusCode, 403, 'applicants do not see the staff page');
  const admin = await staffUser(app, 'admin');
  t.equal((await admin.browser.get(s.staffPage)).statusCode, 200, 'admin can view');
  t.equal(Number((await app.db('security_findings').count({ n: '*' }).first())?.n), 0);
});

t.test('every decision needs a reason, and request changes names what to change', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  const noReason = await s.decide({ decision: 'reject', reason: '' });
  t.equal(noReason.statusCode, 422);
  t.match(noReason.body, 'href="#reason_reject"');
  const noSections = await s.decide({ decision: 'request_changes', reason: '보완 필요' });
  t.equal(noSections.statusCode, 422);
  t.match(noSections.body, 'href="#sections"');
  const ok = await s.decide({
    decision: 'request_changes',
    reason: '모의해킹 범위 부족',
    sections: ['penetration_test'],
  });
  t.equal(ok.statusCode, 303);
  t.equal(await stateOf(app, s.id), 'security:changes_requested');
  const applicant = await s.browser.get(`/applications/${s.id}/security`);
  t.match(applicant.body, '모의해킹 결과', 'the applicant sees what to change');
  const again = await postMultipart(
    s.browser,
    `/applications/${s.id}/security/documents`,
    { kind: 'penetration_test' },
    [{ filename: 'v2.pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: `/applications/${s.id}/security` },
  );
  t.equal(again.statusCode, 303, 'documents can be replaced again');
});

t.test('a high finding recorded while the stage is being approved never lets both happen', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  const [finding, approval] = await Promise.all([
    s.record({ severity: 'high', title: '동시 등록', description: '승인과 동시에 등록' }),
    s.decide({ decision: 'approve', reason: '동시 승인' }),
  ]);
  const state = await stateOf(app, s.id);
  const open = await app
    .db('security_findings')
    .where({ application_id: s.id, severity: 'high' })
    .whereNot({ status: 'closed' });
  t.ok(
    !(state === 'contract:in_progress' && open.length > 0),
    `never approved with an open high finding (${state}, ${open.length} open)`,
  );
  t.ok([finding.statusCode, approval.statusCode].includes(303), 'one of them went through');
});
