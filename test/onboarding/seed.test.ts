// The demo data: 데모핀테크 in testing, 샘플페이 waiting for review, both with complete, valid answers.
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { Browser, build } from '../helpers/build';
import { DEMO_IDS } from '../../src/demo-accounts';
import { SECTION_KEYS, validateSection } from '../../src/onboarding/sections';
import { loadApplicationRecord, readTypedAnswers } from '../../src/onboarding/service';
import { API_KEYS } from '../../src/onboarding/api-catalogue';
import { checkBusinessRegistrationNumber } from '../../src/onboarding/business-registration-number';

/** Everything the applications seed writes, without the rows other seeds make with random ids. */
async function snapshot(app: FastifyInstance) {
  const apps = await app
    .db('applications')
    .orderBy('id')
    .select('id', 'reference', 'stage', 'status', 'submitted_at', 'created_at');
  const answers = await app
    .db('application_answers')
    .orderBy(['application_id', 'section'])
    .select('application_id', 'section', 'data', 'updated_at');
  const versions = await app.db('application_versions').orderBy('id').select('id', 'answers', 'submitted_at');
  const events = await app
    .db('audit_events')
    .whereIn('event', ['application.created', 'application.submitted', 'application.approved'])
    .orderBy('id')
    .select('id', 'event', 'created_at', 'to_state');
  return { apps, answers, versions, events };
}
let firstSnapshot: Awaited<ReturnType<typeof snapshot>> | undefined;

t.test('the demo seed has 데모핀테크 in testing and 샘플페이 waiting for review', async (t) => {
  const app = await build(t, { demo: true });
  firstSnapshot = await snapshot(app);
  const demo = await app.db('applications').where({ organization_id: DEMO_IDS.demoFintechOrg }).first();
  t.same(
    [demo.reference, demo.stage, demo.status, Number(demo.current_version)],
    ['OB-2026-000001', 'testing', 'in_progress', 1],
  );
  const sample = await app.db('applications').where({ organization_id: DEMO_IDS.samplePayOrg }).first();
  t.same(
    [sample.reference, sample.stage, sample.status, Number(sample.current_version)],
    ['OB-2026-000002', 'suitability', 'submitted', 1],
  );

  const record = (await loadApplicationRecord(app.db, demo.id))!;
  t.equal(record.versions.length, 1);
  const typed = readTypedAnswers(record.answers);
  t.same(typed.apis, [...API_KEYS], 'all eight APIs requested');
  t.same(typed.callbackUrls, ['http://localhost:8080/callback']);
  t.ok(checkBusinessRegistrationNumber(typed.businessRegistrationNumber).ok, 'a valid business registration number');
  for (const k of SECTION_KEYS) {
    t.same(
      validateSection(k, record.versions[0]!.answers[k]!, { today: '2026-11-05' }).errors,
      [],
      `demo ${k} answers are valid`,
    );
  }
  const events = await app.db('audit_events').where({ application_id: demo.id }).orderBy('seq');
  t.same(
    events.map((e) => e.event),
    ['application.created', 'application.submitted', 'application.approved'],
  );
  t.equal(events[2].actor_label, 'reviewer@portal.example');
  t.equal(events[2].to_state, 'testing:in_progress');

  const owner = new Browser(app);
  await owner.login('owner@demo-fintech.example');
  const home = await owner.get('/applications');
  t.match(home.body, 'OB-2026-000001');
  t.match(home.body, /stage-testing-status">진행 중/);
  t.match(home.body, /stage-suitability-status">완료/);
  t.match(home.body, '심사를 승인했습니다');

  const samplePay = new Browser(app);
  await samplePay.login('owner@sample-pay.example');
  const check = await samplePay.get(`/applications/${sample.id}/check`);
  t.equal(check.statusCode, 200);
  t.match(check.body, '주식회사 샘플페이');
  t.match(check.body, '211-88-04564');
});

t.test('the demo seed is deterministic', async (t) => {
  t.ok(firstSnapshot, 'the first demo database was captured');
  const again = await build(t, { demo: true });
  t.same(await snapshot(again), firstSnapshot);
});
