import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { manualClock, staffUser } from '../helpers/workflow';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app
    .db('applications')
    .where({ id })
    .first('stage', 'status', 'changes_requested_sections', 'claimed_by');
  return row as { stage: string; status: string; changes_requested_sections: string | null; claimed_by: string | null };
}

t.test('items waiting more than 5 working days are highlighted', async (t) => {
  const clock = manualClock('2026-11-02T01:00:00.000Z'); // Monday 10:00 in Seoul
  const app = await build(t, { clock });
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await applicationAt(app, 'suitability');
  clock.set('2026-11-09T01:00:00.000Z'); // next Monday: 5 working days
  let page = await reviewer.browser.get('/staff');
  t.match(page.body, `/staff/applications/${id}`);
  t.notMatch(page.body, 'class="overdue"', 'five working days is still on target');
  t.match(page.body, '영업일 5일');
  clock.set('2026-11-10T01:00:00.000Z'); // Tuesday: 6
  page = await reviewer.browser.get('/staff');
  t.match(page.body, 'class="overdue"');
  t.match(page.body, '목표 초과');
});

t.test('each staff role sees the queue for its own stages; filters are validated', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const inspector = await staffUser(app, 'inspector');
  const admin = await staffUser(app, 'admin');
  const { id } = await applicationAt(app, 'suitability');
  t.match((await reviewer.browser.get('/staff')).body, `/staff/applications/${id}`);
  t.notMatch(
    (await inspector.browser.get('/staff')).body,
    `/staff/applications/${id}`,
    'the inspector does not see suitability',
  );
  t.match((await admin.browser.get('/staff')).body, `/staff/applications/${id}`, 'admin sees all stages');
  t.notMatch(
    (await reviewer.browser.get('/staff?stage=testing')).body,
    `/staff/applications/${id}`,
    'the stage filter applies',
  );
  t.notMatch(
    (await reviewer.browser.get('/staff?status=in_review')).body,
    `/staff/applications/${id}`,
    'the status filter applies',
  );
  t.equal((await reviewer.browser.get('/staff?stage=security')).statusCode, 422, "another role's stage is refused");
  t.equal((await reviewer.browser.get('/staff?status=nonsense')).statusCode, 422);

  // Claim from the queue: in review, claimed by the reviewer; the applicant is told.
  const res = await reviewer.browser.post(`/staff/applications/${id}/claim`, {}, { formUrl: '/staff' });
  t.equal(res.statusCode, 303);
  const row = await stateOf(app, id);
  t.same([row.status, row.claimed_by], ['in_review', reviewer.user.id]);
  t.equal(
    (await inspector.browser.post(`/staff/applications/${id}/claim`, {}, { formUrl: '/staff' })).statusCode,
    409,
    'a second claim conflicts',
  );
});
