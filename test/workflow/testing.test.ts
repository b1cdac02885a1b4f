import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { VALID_REPORT, applicationInTesting, staffUser } from '../helpers/workflow';
import { recordPassingEvidence } from '../helpers/conformance';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app.db('applications').where({ id }).first('stage', 'status');
  return `${row.stage}:${row.status}`;
}

t.test('an applicant submits a test completion report and the reviewer signs testing off', async (t) => {
  const app = await build(t);
  // Separation of duties: suitability is approved by someone else, so that this reviewer may decide testing.
  const suitability = await staffUser(app, 'reviewer', 'suitability-reviewer@staff.example');
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await applicationInTesting(app, suitability.browser);
  const url = `/applications/${id}/testing`;

  let page = await browser.get(url);
  t.equal(page.statusCode, 200);
  t.match(page.body, '잔액조회', 'one box per requested API, named');
  t.match(page.body, '/v2.0/transfer/withdraw/fin_num');
  t.match(page.body, '테스트베드 적합성 점검', 'the conformance checklist is on the page');
  t.match(page.body, '9개 중 0개 통과', 'every scenario starts open');

  let res = await browser.post(url, VALID_REPORT);
  t.equal(res.statusCode, 409, 'the report cannot be sent while scenarios are open');
  t.match(res.body, '‘출금이체 성공’ 시나리오를 아직 통과하지 못했습니다.', 'the summary names each open scenario');
  t.match(res.body, 'href="#scenario-withdraw__duplicate_refused"');
  t.match(res.body, '잔액조회 정상 응답과', 'the report is kept');
  t.equal(await stateOf(app, id), 'testing:in_progress', 'nothing was submitted');
  await recordPassingEvidence(app, id);
  t.match((await browser.get(url)).body, '9개 중 9개 통과');

  res = await browser.post(url, { ...VALID_REPORT, tested_withdraw: '', period_end: '2026-09-01' });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#tested_withdraw"');
  t.match(res.body, 'href="#period_end"');
  t.match(res.body, '잔액조회 정상 응답과', 'other values are kept');
  t.equal(await stateOf(app, id), 'testing:in_progress', 'nothing was submitted');

  res = await browser.post(url, VALID_REPORT);
  t.equal(res.statusCode, 303);
  t.equal(await stateOf(app, id), 'testing:submitted');
  page = await browser.get(url);
  t.match(page.body, '심사를 기다리고 있습니다');
  t.notMatch(page.body, '<textarea', 'no form while waiting');
  t.equal((await browser.post(url, VALID_REPORT)).statusCode, 409, 'a second submission conflicts');

  const waiting = await app
    .db('notifications')
    .where({ user_id: reviewer.user.id, message_key: 'notifications.messages.waiting_for_review' });
  // (The stage 1 submission announced itself to reviewers too: count the testing stage's announcement.)
  const testingWaiting = waiting.filter((n) => (JSON.parse(n.params) as { stage?: string }).stage === 'testing');
  t.equal(testingWaiting.length, 1, 'reviewers are told a report is waiting');

  const review = await reviewer.browser.get(`/staff/applications/${id}`);
  t.match(review.body, '테스트 완료 보고서');
  t.match(review.body, '출금이체 정상, 잔액 부족');
  t.match(review.body, '테스트베드 적합성 점검', 'the reviewer sees the checklist above the report');
  t.ok(review.body.indexOf('테스트베드 적합성 점검') < review.body.indexOf('테스트 완료 보고서'), 'above the report');
  t.match(review.body, `/staff/applications/${id}/requests`, "with a link to the organization's request log");

  res = await reviewer.browser.post(
    `/staff/applications/${id}/decision`,
    { event: 'approve', reason: '' },
    { formUrl: `/staff/applications/${id}` },
  );
  t.equal(res.statusCode, 422);
  res = await reviewer.browser.post(
    `/staff/applications/${id}/decision`,
    { event: 'approve', reason: '테스트 결과를 확인했습니다.' },
    { formUrl: `/staff/applications/${id}` },
  );
  t.equal(res.statusCode, 303);
  t.equal(await stateOf(app, id), 'security:in_progress');
  page = await browser.get(url);
  t.match(page.body, '테스트가 완료되었습니다');
});

t.test('the reviewer can send the report back; the applicant sees why and resubmits a new version', async (t) => {
  const app = await build(t);
  // Separation of duties: suitability is approved by someone else, so that this reviewer may decide testing.
  const suitability = await staffUser(app, 'reviewer', 'suitability-reviewer@staff.example');
  const reviewer = await staffUser(app, 'reviewer');
  const { browser, id } = await applicationInTesting(app, suitability.browser);
  await recordPassingEvidence(app, id);
  await browser.post(`/applications/${id}/testing`, VALID_REPORT);
  const res = await reviewer.browser.post(
    `/staff/applications/${id}/decision`,
    { event: 'request_changes', reason: '오류 사례를 더 적어 주세요.', sections: ['api_results'] },
    { formUrl: `/staff/applications/${id}` },
  );
  t.equal(res.statusCode, 303);
  t.equal(await stateOf(app, id), 'testing:changes_requested');
  const page = await browser.get(`/applications/${id}/testing`);
  t.match(page.body, '오류 사례를 더 적어 주세요.');
  t.match(page.body, 'API별 테스트 내용');
  t.match(page.body, '출금이체 정상, 잔액 부족', 'the form starts from the last report');
  t.equal(
    (
      await browser.post(`/applications/${id}/testing`, {
        ...VALID_REPORT,
        tested_balance: '잔액조회 오류 사례 A0001, A0002를 추가로 확인했습니다.',
      })
    ).statusCode,
    303,
  );
  const reports = await app.db('testing_reports').where({ application_id: id }).orderBy('version');
  t.same(
    reports.map((r) => r.version),
    [1, 2],
    'every report is kept',
  );
  t.equal(await stateOf(app, id), 'testing:submitted');
});

t.test('testing cannot be submitted before suitability is approved', async (t) => {
  const app = await build(t);
  const { browser, id } = await applicationAt(app, 'suitability');
  const page = await browser.get(`/applications/${id}/testing`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '적합성 심사가 승인되면');
  t.equal(
    (await browser.post(`/applications/${id}/testing`, {}, { formUrl: `/applications/${id}/testing` })).statusCode,
    422,
    'an empty report is refused first',
  );
  t.equal(
    (
      await browser.post(
        `/applications/${id}/testing`,
        { ...VALID_REPORT, tested_balance: VALID_REPORT.tested_balance },
        { formUrl: `/applications/${id}/testing` },
      )
    ).statusCode,
    409,
  );
  t.equal(await stateOf(app, id), 'suitability:submitted');
});
