import t from 'tap';
import { type Browser, build } from '../helpers/build';
import { stateOf } from '../helpers/security-stage';
import { applicationAt } from '../helpers/stage-shortcut';
import { manualClock, staffUser } from '../helpers/workflow';
import { createContractService } from '../../src/contract/service';
import { randomId } from '../../src/db/ids';

// Each test puts an application at its stage through the services (test/helpers/stage-shortcut.ts); the page
// journey through the earlier stages is tested once per stage. Allow for a busy machine.
t.setTimeout(360_000);

type App = Awaited<ReturnType<typeof build>>;
const page = (id: string) => `/applications/${id}/contract`;
const staffPage = (id: string) => `/staff/applications/${id}/contract`;

async function sign(b: Browser, id: string, fields: Record<string, string> = { full_name: '김테스트', accept: 'yes' }) {
  return b.post(`${page(id)}/sign`, fields, { formUrl: page(id) });
}
async function currentUser(app: App, email: string) {
  const row = await app.db('users').where({ email }).first();
  return (await app.services.accounts.loadCurrentUser(row.id))!;
}

t.test('the countersigner cannot be the person who approved suitability', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'contract', { approverRole: 'admin' });
  t.equal((await sign(a.browser, a.id)).statusCode, 303);
  const view = await a.approver.browser.get(staffPage(a.id));
  t.equal(view.statusCode, 200);
  t.notMatch(view.body, `action="${staffPage(a.id)}/countersign"`, 'no countersign form for the suitability approver');
  t.match(view.body, '적합성 심사를 승인한 사람은 확인 서명할 수 없습니다');
  const res = await a.approver.browser.post(
    `${staffPage(a.id)}/countersign`,
    { note: '확인' },
    { formUrl: staffPage(a.id) },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, '적합성 심사를 승인한 사람은 확인 서명할 수 없습니다');
  t.equal(await stateOf(app, a.id), 'contract:submitted');
  t.equal((await app.db('contracts').where({ application_id: a.id }).first()).status, 'signed');
  const officer = await staffUser(app, 'contract_officer');
  t.equal(
    (await officer.browser.post(`${staffPage(a.id)}/countersign`, { note: '확인' }, { formUrl: staffPage(a.id) }))
      .statusCode,
    303,
    'another officer can',
  );
});

t.test('countersigning makes the organization live', async (t) => {
  const clock = manualClock('2026-11-20T01:00:00.000Z');
  const app = await build(t, { clock });
  const a = await applicationAt(app, 'contract');
  await sign(a.browser, a.id);
  clock.set('2026-11-26T16:00:00.000Z'); // 01:00 on 27 November in Korea
  const officer = await staffUser(app, 'contract_officer');
  const noNote = await officer.browser.post(
    `${staffPage(a.id)}/countersign`,
    { note: '' },
    { formUrl: staffPage(a.id) },
  );
  t.equal(noNote.statusCode, 422, 'a review note is required');
  const res = await officer.browser.post(
    `${staffPage(a.id)}/countersign`,
    { note: '계약 조건 확인 완료' },
    { formUrl: staffPage(a.id) },
  );
  t.equal(res.statusCode, 303, res.body.slice(0, 500));
  t.equal(await stateOf(app, a.id), 'live:live');
  const row = await app.db('contracts').where({ application_id: a.id }).first();
  t.equal(row.status, 'countersigned');
  t.equal(row.countersigned_at, '2026-11-26T16:00:00.000Z');
  t.equal(row.countersigner_ip, '127.0.0.1');
  t.equal(row.effective_date, '2026-11-27', 'the effective date is the day in Korea');
  const audit = await app
    .db('audit_events')
    .where({ application_id: a.id, event: 'application.countersigned' })
    .first();
  t.equal(audit.to_state, 'live:live');
  t.equal(audit.reason, '계약 조건 확인 완료');
  const org = (await app.db('applications').where({ id: a.id }).first()).organization_id;
  const production = await app.db('credential_sets').where({ organization_id: org, environment: 'production' });
  t.equal(production.length, 1, 'production credentials are issued');
  const applicantView = await a.browser.get(page(a.id));

  t.match(applicantView.body, '2026-11-27');
  const again = await officer.browser.post(
    `${staffPage(a.id)}/countersign`,
    { note: '다시' },
    { formUrl: staffPage(a.id) },
  );
  t.equal(again.statusCode, 409, 'a contract is countersigned once');
});

t.test(
  'countersigning runs production credential issuance in the same transaction, and its failure undoes everything',
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'contract');
    await sign(a.browser, a.id);
    await staffUser(app, 'contract_officer');
    const officer = await currentUser(app, 'contract_officer@staff.example');
    const failing = createContractService({
      db: app.db,
      clock: () => new Date(),
      ids: randomId,
      workflow: app.services.workflow,
      onContractCountersigned: async (applicationId, trx) => {
        t.equal(applicationId, a.id);
        t.equal(
          (await trx('applications').where({ id: applicationId }).first()).stage,
          'live',
          'called after the move to live, inside the transaction',
        );
        throw new Error('credential store down');
      },
    });
    await t.rejects(failing.countersign(officer, a.id, { note: '확인' }, '10.0.0.1'), /credential store down/);
    t.equal(await stateOf(app, a.id), 'contract:submitted', 'nothing changed');
    t.equal((await app.db('contracts').where({ application_id: a.id }).first()).status, 'signed');
    let issued = '';
    const working = createContractService({
      db: app.db,
      clock: () => new Date(),
      ids: randomId,
      workflow: app.services.workflow,
      onContractCountersigned: async (id) => {
        issued = id;
      },
    });
    await working.countersign(officer, a.id, { note: '확인' }, '10.0.0.1');
    t.equal(issued, a.id);
    t.equal(await stateOf(app, a.id), 'live:live');
  },
);
