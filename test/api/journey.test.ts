import t from 'tap';
import { build } from '../helpers/build';
import { apiAs, type ApiClient } from './fixtures/api-client';
import { DEMO_ORGS } from '../../src/demo-accounts';
import { DEMO_APPLICATION_IDS } from '../../seeds/02_applications';
import { PASSING_CHECKLIST } from './fixtures/answers';
import { staffApi, submittedApplication } from './fixtures/journey';
import { multipart, PDF } from './fixtures/multipart';
import { recordPassingEvidence } from '../helpers/conformance';

async function upload(client: ApiClient, url: string, fields: Parameters<typeof multipart>[0]) {
  const { payload, contentType } = multipart(fields);
  return client.request('POST', url, payload, { 'content-type': contentType });
}

// One app for the file: the journeys use different organizations.
const shared = build(t, { demo: true });

t.test('through the API the demo organization goes from submitted to live', async (t) => {
  const app = await shared;
  // 샘플페이 (demo seed): submitted, waiting for suitability review.
  const applicant = await apiAs(app, DEMO_ORGS.samplePay.owner);
  const id = DEMO_APPLICATION_IDS.samplePay;
  t.equal((await applicant.get(`/api/v1/applications/${id}`)).body.application.state, 'suitability:submitted');
  const reviewer = await staffApi(app, 'reviewer');
  // Separation of duties: testing is decided by someone who did not decide suitability.
  const reviewer2 = await staffApi(app, 'reviewer2');
  const inspector = await staffApi(app, 'inspector');
  const contract = await staffApi(app, 'contract');
  const url = `/api/v1/applications/${id}`;
  const state = async () => (await applicant.get(url)).body.application.state;

  // Stage 2: suitability
  const approved = await reviewer.post(`${url}/decisions`, {
    decision: 'approve',
    reason: '적합성 요건 충족',
    checklist: PASSING_CHECKLIST,
  });
  t.equal(approved.status, 200, JSON.stringify(approved.body));
  t.equal(await state(), 'testing:in_progress');

  // Stage 3: testing
  const apis = (await applicant.get(url)).body.application.answers.apis.apis as string[];
  const report = {
    period_start: '2026-11-01',
    period_end: '2026-11-20',
    tested: Object.fromEntries(apis.map((a) => [a, `${a} 정상 응답과 오류 응답을 모두 확인했습니다`])),
    notes: '',
  };
  const noReport = await applicant.post(`${url}/submit`, {});
  t.equal(noReport.status, 422);
  const extraApi = await applicant.post(`${url}/submit`, {
    report: { ...report, tested: { ...report.tested, real_name: '요청하지 않은 API' } },
  });
  t.equal(extraApi.status, 422, 'a result for an API that was not requested is refused, not dropped');
  t.same(
    extraApi.body.error.errors.map((e: { field: string }) => e.field),
    ['report.tested.real_name'],
  );
  const openScenarios = await applicant.post(`${url}/submit`, { report });
  t.equal(openScenarios.status, 409, 'the report waits for the test-bed evidence');
  t.equal(openScenarios.body.error.code, 'conformance_incomplete');
  await recordPassingEvidence(app, id); // the scenarios' calls themselves: test/workflow/conformance.test.ts
  const testingSubmitted = await applicant.post(`${url}/submit`, { report });
  t.equal(testingSubmitted.status, 200, JSON.stringify(testingSubmitted.body));
  t.equal(testingSubmitted.body.application.state, 'testing:submitted');
  t.equal(testingSubmitted.body.application.testing_reports.length, 1);
  const sameReviewer = await reviewer.post(`${url}/decisions`, { decision: 'approve', reason: '테스트 결과 확인' });
  t.equal(sameReviewer.status, 422, 'the suitability approver may not decide testing');
  t.match(
    sameReviewer.body.error.errors,
    [{ field: 'claim', message: /적합성 심사/ }],
    "and is told why (in the user's language)",
  );
  t.equal((await reviewer2.post(`${url}/decisions`, { decision: 'approve', reason: '테스트 결과 확인' })).status, 200);
  t.equal(await state(), 'security:in_progress');

  // Stage 4: security — documents, a finding, its remediation and verification
  const early = await applicant.post(`${url}/submit`, {});
  t.equal(early.status, 422, 'documents are required first');
  t.same(early.body.error.errors.map((e: { field: string }) => e.field).sort(), [
    'documents.penetration_test',
    'documents.self_assessment',
    'documents.vulnerability_scan',
  ]);
  for (const kind of ['self_assessment', 'vulnerability_scan', 'penetration_test']) {
    const up = await upload(applicant, `${url}/documents`, {
      kind,
      file: { filename: `${kind}.pdf`, contentType: 'application/pdf', content: PDF },
    });
    t.equal(up.status, 201, JSON.stringify(up.body));
  }
  const docs = await inspector.get(`${url}/documents`);
  t.equal(docs.status, 200);
  t.same(docs.body.missing_kinds, []);
  const first = docs.body.documents[0].versions[0];
  const download = await inspector.request('GET', first.download_url);
  t.equal(download.status, 200);
  t.equal(download.headers['content-type'], 'application/pdf');
  t.match(String(download.headers['content-disposition']), /^attachment;/);
  t.same(download.raw.rawPayload, PDF, 'the same bytes come back');
  const stranger = await apiAs(app, DEMO_ORGS.demoFintech.owner);
  t.equal((await stranger.request('GET', first.download_url)).status, 404, 'another organization cannot download it');
  t.equal((await stranger.get(`${url}/documents`)).status, 404);
  t.equal((await stranger.get(`${url}/findings`)).status, 404);
  t.equal((await stranger.get(`${url}/contract`)).status, 404);

  const finding = await inspector.post(`${url}/findings`, {
    severity: 'high',
    title: '관리자 페이지 노출',
    description: '관리자 페이지가 인터넷에 노출되어 있습니다.',
  });
  t.equal(finding.status, 201, JSON.stringify(finding.body));
  const fid = finding.body.finding.id;
  t.equal((await applicant.post(`${url}/submit`, {})).status, 200);
  t.equal(await state(), 'security:submitted');
  const blocked = await inspector.post(`${url}/decisions`, { decision: 'approve', reason: '점검 완료' });
  t.equal(blocked.status, 422, 'an open high finding blocks approval');
  t.same(
    blocked.body.error.errors.map((e: { field: string }) => e.field),
    ['findings'],
  );
  const remediated = await applicant.post(`${url}/findings/${fid}/remediation`, {
    text: 'IP 접근제어를 적용했습니다.',
  });
  t.equal(remediated.status, 201, JSON.stringify(remediated.body));
  t.equal(remediated.body.finding.status, 'remediated');
  t.equal((await applicant.post(`${url}/findings/${fid}/verify`, {})).status, 403, 'an applicant cannot verify');
  const noReason = await inspector.post(`${url}/findings/${fid}/reopen`, { note: ' ' });
  t.equal(noReason.status, 422, 'reopening needs a reason');
  t.same(
    noReason.body.error.errors.map((e: { field: string }) => e.field),
    ['note'],
  );
  const reopened = await inspector.post(`${url}/findings/${fid}/reopen`, {
    note: '관리자 경로가 여전히 열려 있습니다.',
  });
  t.equal(reopened.status, 200);
  t.equal(reopened.body.finding.status, 'open');
  const unanswered = await inspector.post(`${url}/findings/${fid}/verify`, {});
  t.equal(unanswered.status, 422, 'a reopened finding cannot be verified before a new remediation');
  t.same(
    unanswered.body.error.errors.map((e: { field: string }) => e.field),
    ['note'],
  );
  t.equal(
    (await inspector.post(`${url}/findings/${fid}/withdraw`, { note: ' ' })).status,
    422,
    'withdrawing needs a reason',
  );
  const withFile = await upload(applicant, `${url}/findings/${fid}/remediation`, {
    text: '방화벽 설정 화면을 첨부합니다.',
    file: { filename: '방화벽.pdf', contentType: 'application/pdf', content: PDF },
  });
  t.equal(withFile.status, 201, JSON.stringify(withFile.body));
  const attached = withFile.body.finding.remediations.find((m: { file: unknown }) => m.file);
  t.ok(attached, 'the remediation keeps its file');
  t.equal((await inspector.request('GET', attached.file.download_url)).status, 200);
  const verified = await inspector.post(`${url}/findings/${fid}/verify`, { note: '조치 확인' });
  t.equal(verified.status, 200);
  t.equal(verified.body.finding.status, 'closed');
  t.equal(verified.body.open_critical_or_high, 0);
  t.equal((await inspector.post(`${url}/decisions`, { decision: 'approve', reason: '보안점검 통과' })).status, 200);
  t.equal(await state(), 'contract:in_progress');

  // Stage 5: contract
  const view = await applicant.get(`${url}/contract`);
  t.equal(view.status, 200);
  t.equal(view.body.can_sign, true);
  t.ok(view.body.document, 'the document to sign is shown');
  const wrongName = await applicant.post(`${url}/signature`, { full_name: '다른사람', accept: true });
  t.equal(wrongName.status, 422);
  t.same(
    wrongName.body.error.errors.map((e: { field: string }) => e.field),
    ['full_name'],
  );
  const signed = await applicant.post(`${url}/signature`, { full_name: DEMO_ORGS.samplePay.ownerName, accept: true });
  t.equal(signed.status, 201, JSON.stringify(signed.body));
  t.equal(signed.body.state, 'contract:submitted');
  t.equal(
    (await reviewer.post(`${url}/countersignature`, { note: '확인' })).status,
    403,
    'a reviewer cannot countersign',
  );
  const live = await contract.post(`${url}/countersignature`, { note: '계약 체결' });
  t.equal(live.status, 200, JSON.stringify(live.body));
  t.equal(live.body.state, 'live:live');
  t.equal(live.body.current.status, 'countersigned');
  t.equal(await state(), 'live:live');
  const sets = (await applicant.get('/api/v1/sandbox')).body.credential_sets.map(
    (c: { environment: string; status: string }) => `${c.environment}:${c.status}`,
  );
  t.ok(sets.includes('production:active'), 'production credentials were issued on countersignature');

  const trail = await applicant.get(`${url}/audit`);
  const events = trail.body.events.map((e: { event: string }) => e.event);
  for (const e of [
    'application.submitted',
    'application.approved',
    'security.finding_recorded',
    'application.signed',
    'application.countersigned',
  ]) {
    t.ok(events.includes(e), `the audit trail has ${e}`);
  }
});

t.test('an upload whose bytes are not a PDF, PNG or JPEG is a 422 and nothing is stored', async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '충족',
    checklist: PASSING_CHECKLIST,
  });
  await recordPassingEvidence(app, id);
  await applicant.post(`/api/v1/applications/${id}/submit`, {
    report: {
      period_start: '2026-11-01',
      period_end: '2026-11-20',
      tested: { balance: '잔액조회 정상 응답 확인함', withdraw: '출금이체 정상 응답 확인함' },
    },
  });
  await reviewer.post(`/api/v1/applications/${id}/decisions`, { decision: 'approve', reason: '확인' });
  const bad = await upload(applicant, `/api/v1/applications/${id}/documents`, {
    kind: 'self_assessment',
    file: { filename: 'evil.pdf', contentType: 'application/pdf', content: Buffer.from('<script>alert(1)</script>') },
  });
  t.equal(bad.status, 422);
  t.same(
    bad.body.error.errors.map((e: { field: string }) => e.field),
    ['file'],
  );
  const extra = await upload(applicant, `/api/v1/applications/${id}/documents`, {
    kind: 'self_assessment',
    comment: 'x',
    file: { filename: 'a.pdf', contentType: 'application/pdf', content: PDF },
  });
  t.equal(extra.status, 422, 'an unknown multipart field is refused');
  t.same(
    extra.body.error.errors.map((e: { field: string }) => e.field),
    ['comment'],
  );
  const kind = await upload(applicant, `/api/v1/applications/${id}/documents`, {
    kind: 'selfie',
    file: { filename: 'a.pdf', contentType: 'application/pdf', content: PDF },
  });
  t.equal(kind.status, 422);
  t.equal(
    (await applicant.get(`/api/v1/applications/${id}/documents`)).body.documents.every(
      (d: { versions: unknown[] }) => d.versions.length === 0,
    ),
    true,
  );
  const anon = await app.inject({
    method: 'POST',
    url: `/api/v1/applications/${id}/documents`,
    ...(() => {
      const m = multipart({
        kind: 'self_assessment',
        file: { filename: 'a.pdf', contentType: 'application/pdf', content: PDF },
      });
      return { payload: m.payload, headers: { 'content-type': m.contentType } };
    })(),
  });
  t.equal(anon.statusCode, 401, 'no token, no upload');
});
