import t from 'tap';
import { type Browser, build, signUp } from '../helpers/build';
import { applicationInContract, stateOf } from '../helpers/security-stage';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

// The first test below that reaches the stage walks the real pages through every earlier stage (this stage's one
// page journey); the others start there through the services (test/helpers/stage-shortcut.ts). Allow for a busy machine.
t.setTimeout(360_000);

const page = (id: string) => `/applications/${id}/contract`;
const staffPage = (id: string) => `/staff/applications/${id}/contract`;

async function sign(b: Browser, id: string, fields: Record<string, string> = { full_name: '김테스트', accept: 'yes' }) {
  return b.post(`${page(id)}/sign`, fields, { formUrl: page(id) });
}

t.test('a contract officer can send the contract back and the owner signs a new version', async (t) => {
  const app = await build(t);
  const a = await applicationInContract(app);
  await sign(a.browser, a.id);
  const officer = await staffUser(app, 'contract_officer');
  const noReason = await officer.browser.post(
    `${staffPage(a.id)}/request-changes`,
    { reason: '' },
    { formUrl: staffPage(a.id) },
  );
  t.equal(noReason.statusCode, 422);
  const back = await officer.browser.post(
    `${staffPage(a.id)}/request-changes`,
    { reason: '대표자 성명 확인 필요' },
    { formUrl: staffPage(a.id) },
  );
  t.equal(back.statusCode, 303);
  t.equal(await stateOf(app, a.id), 'contract:changes_requested');
  const view = await a.browser.get(page(a.id));
  t.match(view.body, '대표자 성명 확인 필요');
  t.equal((await sign(a.browser, a.id)).statusCode, 303);
  const rows = await app.db('contracts').where({ application_id: a.id }).orderBy('version');
  t.same(
    rows.map((r) => [r.version, r.status]),
    [
      [1, 'returned'],
      [2, 'signed'],
    ],
  );
});

t.test('only contract officers and admins countersign; other organizations cannot see the contract', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'contract');
  await sign(a.browser, a.id);
  t.equal((await a.inspector.browser.get(staffPage(a.id))).statusCode, 403, 'an inspector is not a contract officer');
  t.equal((await a.browser.get(staffPage(a.id))).statusCode, 403, 'the applicant is not staff');
  const other = await signUp(app, { email: 'other@else.example', organization: '다른회사' });
  t.equal((await other.get(page(a.id))).statusCode, 404);
  t.equal(
    (await other.post(`${page(a.id)}/sign`, { full_name: '김테스트', accept: 'yes' }, { formUrl: '/account' }))
      .statusCode,
    404,
  );
  t.equal(await stateOf(app, a.id), 'contract:submitted');
});
