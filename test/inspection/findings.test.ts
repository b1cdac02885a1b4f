import t from 'tap';
import { build } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import { stateOf, submittedForInspection } from '../helpers/security-stage';
import { inspectionAt } from '../helpers/stage-shortcut';
import { AppError } from '../../src/http/errors';

// The first test below that reaches the stage walks the real pages through every earlier stage (this stage's one
// page journey); the others start there through the services (test/helpers/stage-shortcut.ts). Allow for a busy machine.
t.setTimeout(360_000);

t.test('the security stage cannot pass with an open high finding', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  t.equal(
    (await s.record({ severity: 'high', title: '관리자 페이지 인증 우회', description: '세션 없이 /admin 접근 가능' }))
      .statusCode,
    303,
  );
  const res = await s.decide({ decision: 'approve', reason: '문제 없음' });
  t.equal(res.statusCode, 422);
  t.match(res.body, '긴급 또는 높음 발견사항 1건이 종결되지 않아 승인할 수 없습니다');
  t.equal(await stateOf(app, s.id), 'security:submitted', 'the state did not move');
  // The workflow guard refuses too, whatever a caller claims to have counted.
  const inspector = (await app.services.accounts.loadCurrentUser(
    (
      await app.db('users').where({ email: 'inspector@staff.example' }).first()
    ).id,
  ))!;
  const refused = await app.services.workflow
    .transition(s.id, 'approve', inspector, { reason: 'x', context: { openCriticalOrHighFindings: 1 } })
    .then(
      () => null,
      (e: unknown) => e,
    );
  t.ok(refused instanceof AppError && refused.code === 'validation', 'the workflow guard refuses');
  t.equal(await stateOf(app, s.id), 'security:submitted');
});

t.test('an open medium or low finding does not block approval', async (t) => {
  const app = await build(t);
  const s = await submittedForInspection(app);
  await s.record({ severity: 'medium', title: '보안 헤더 누락', description: 'HSTS 미설정' });
  await s.record({ severity: 'low', title: '버전 노출', description: 'Server 헤더' });
  const res = await s.decide({ decision: 'approve', reason: '중간 이하 발견사항은 계약 후 조치' });
  t.equal(res.statusCode, 303);
  t.equal(await stateOf(app, s.id), 'contract:in_progress');
});

t.test('a remediated and verified finding lets the stage pass', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  await s.record({ severity: 'critical', title: 'SQL 인젝션', description: '검색 파라미터에서 SQL 인젝션' });
  const id = await s.findingId('SQL 인젝션');
  const applicantPage = `/applications/${s.id}/security`;
  const remediate = await postMultipart(
    s.browser,
    `${applicantPage}/findings/${id}/remediation`,
    { text: '바인딩 파라미터로 수정했습니다.' },
    [{ filename: '재점검.png', contentType: 'image/png', content: SAMPLE_FILES.png }],
    { formUrl: applicantPage },
  );
  t.equal(remediate.statusCode, 303, remediate.body.slice(0, 300));
  t.equal((await app.db('security_findings').where({ id }).first()).status, 'remediated');
  const evidence = await app
    .db('security_files')
    .where({ slot: `remediation:${id}` })
    .first();
  t.equal(evidence.content_type, 'image/png', 'the evidence file is stored with the remediation');
  t.equal(
    (await s.decide({ decision: 'approve', reason: '조치 완료' })).statusCode,
    422,
    'a remediation alone does not close the finding',
  );
  t.equal(
    (await s.inspector.browser.post(`${s.staffPage}/findings/${id}/verify`, {}, { formUrl: s.staffPage })).statusCode,
    303,
  );
  t.equal((await app.db('security_findings').where({ id }).first()).status, 'closed');
  const res = await s.decide({ decision: 'approve', reason: '모든 중요 발견사항 조치 확인' });
  t.equal(res.statusCode, 303);
  t.equal(await stateOf(app, s.id), 'contract:in_progress');
  const events = (await app.db('audit_events').where({ application_id: s.id }).orderBy('seq')).map((e) => e.event);
  for (const e of [
    'security.finding_recorded',
    'security.remediation_submitted',
    'security.finding_verified',
    'application.approved',
  ])
    t.ok(events.includes(e), `${e} is audited`);
});

t.test('a reopened finding blocks the stage again and needs a reason', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  await s.record({ severity: 'high', title: 'XSS', description: '게시판 제목' });
  const id = await s.findingId('XSS');
  await s.inspector.browser.post(
    `${s.staffPage}/findings/${id}/withdraw`,
    { note: '점검 범위 밖으로 잘못 등록' },
    { formUrl: s.staffPage },
  );
  const noReason = await s.inspector.browser.post(
    `${s.staffPage}/findings/${id}/reopen`,
    { note: ' ' },
    { formUrl: s.staffPage },
  );
  t.equal(noReason.statusCode, 422);
  t.match(noReason.body, `href="#note-${id}"`);
  const reopen = await s.inspector.browser.post(
    `${s.staffPage}/findings/${id}/reopen`,
    { note: '재점검에서 다시 발견' },
    { formUrl: s.staffPage },
  );
  t.equal(reopen.statusCode, 303);
  t.equal((await app.db('security_findings').where({ id }).first()).status, 'open');
  t.equal((await s.decide({ decision: 'approve', reason: '승인' })).statusCode, 422);
  const audit = await app
    .db('audit_events')
    .where({ application_id: s.id, event: 'security.finding_reopened' })
    .first();
  t.equal(audit.reason, '재점검에서 다시 발견');
});

t.test(
  "verifying needs the applicant's remediation; a finding nobody must fix is withdrawn with a reason, audited",
  async (t) => {
    const app = await build(t);
    const s = await inspectionAt(app);
    await s.record({ severity: 'high', title: 'CSRF', description: '설정 변경 폼' });
    const id = await s.findingId('CSRF');
    const page = await s.inspector.browser.get(s.staffPage);
    t.notMatch(page.body, `/findings/${id}/verify"`, 'no verify button before the applicant answers');
    t.match(page.body, `/findings/${id}/withdraw"`, 'a withdraw form instead');
    const verify = await s.inspector.browser.post(`${s.staffPage}/findings/${id}/verify`, {}, { formUrl: s.staffPage });
    t.equal(verify.statusCode, 422, 'verifying an unanswered finding is refused');
    t.match(verify.body, '조치 결과를 제출한 뒤에');
    t.equal((await app.db('security_findings').where({ id }).first()).status, 'open', 'and changes nothing');
    const noReason = await s.inspector.browser.post(
      `${s.staffPage}/findings/${id}/withdraw`,
      { note: '  ' },
      { formUrl: s.staffPage },
    );
    t.equal(noReason.statusCode, 422, 'withdrawing needs a reason');
    t.match(noReason.body, `href="#withdraw-${id}"`, 'the error links to the reason field');
    t.equal(
      (await s.decide({ decision: 'approve', reason: '승인' })).statusCode,
      422,
      'the open high finding still blocks',
    );
    const withdraw = await s.inspector.browser.post(
      `${s.staffPage}/findings/${id}/withdraw`,
      { note: '점검 범위 밖의 관리자 화면입니다' },
      { formUrl: s.staffPage },
    );
    t.equal(withdraw.statusCode, 303);
    t.equal((await app.db('security_findings').where({ id }).first()).status, 'withdrawn');
    const audit = await app
      .db('audit_events')
      .where({ application_id: s.id, event: 'security.finding_withdrawn' })
      .first();
    t.equal(audit.reason, '점검 범위 밖의 관리자 화면입니다', 'the reason is audited');
    const applicantPage = (await s.browser.get(`/applications/${s.id}/security`)).body;
    t.match(applicantPage, '철회', 'the applicant sees it withdrawn');
    t.match(applicantPage, '점검 범위 밖의 관리자 화면입니다', 'with the reason');
    t.equal(
      (await s.decide({ decision: 'approve', reason: '지적사항 없음' })).statusCode,
      303,
      'a withdrawn finding no longer blocks the stage',
    );
  },
);

t.test(
  'after the stage is approved the inspector sees one coherent page: the success, not "not in the security stage"',
  async (t) => {
    const app = await build(t);
    const s = await inspectionAt(app);
    const res = await s.decide({ decision: 'approve', reason: '발견사항 없음' });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, `/staff/applications/${s.id}`, 'shown where the application now is');
    const page = (await s.inspector.browser.get(String(res.headers.location))).body;
    t.match(page, '승인했습니다', 'the success message');
    t.notMatch(page, '보안점검 단계가 아닙니다', 'and no wrong-stage warning beside it');
  },
);
