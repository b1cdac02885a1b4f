// Rule: a resubmitted application returns to the reviewer who requested the changes, and only the person
// holding an application's claim may decide it: anyone else must claim it first.
import t from 'tap';
import { build } from '../helpers/build';
import { ALL_DECLARATIONS } from '../helpers/onboarding';
import { applicationAt } from '../helpers/stage-shortcut';
import { passChecklist, staffUser } from '../helpers/workflow';

t.test(
  'a resubmission goes back to the reviewer who asked for changes; another reviewer must claim before deciding',
  async (t) => {
    const app = await build(t);
    const kim = await staffUser(app, 'reviewer', 'kim@staff.example');
    const lee = await staffUser(app, 'reviewer', 'lee@staff.example');
    const { id, browser: owner } = await applicationAt(app, 'suitability');
    const url = `/staff/applications/${id}`;
    const asked = await kim.browser.post(
      `${url}/decision`,
      { event: 'request_changes', reason: '회사 주소를 도로명으로 적어 주세요', sections: ['company'] },
      { formUrl: url },
    );
    t.equal(asked.statusCode, 303);
    const resubmit = await owner.post(`/applications/${id}/submit`, ALL_DECLARATIONS, {
      formUrl: `/applications/${id}/check`,
    });
    t.equal(resubmit.statusCode, 303, resubmit.body.slice(0, 300));
    const row = await app.db('applications').where({ id }).first();
    t.equal(row.status, 'submitted');
    t.equal(row.claimed_by, kim.user.id, 'back with the reviewer who requested the changes');
    const queue = (await kim.browser.get('/staff')).body;
    t.match(queue, id, 'in her queue');

    t.equal((await passChecklist(lee.browser, id)).statusCode, 303, 'the checklist is shared work');
    const other = await lee.browser.post(
      `${url}/decision`,
      { event: 'approve', reason: '모든 요건 충족' },
      { formUrl: url },
    );
    t.equal(other.statusCode, 422, 'another reviewer cannot decide past her');
    t.match(other.body, '맡고 있는 신청입니다', 'the page says who holds it and to claim it first');
    t.equal((await app.db('applications').where({ id }).first()).status, 'submitted', 'nothing changed');

    t.equal(
      (await lee.browser.post(`${url}/claim`, {}, { formUrl: url })).statusCode,
      303,
      'he takes it over by claiming it',
    );
    t.equal((await app.db('applications').where({ id }).first()).claimed_by, lee.user.id);
    const mine = await lee.browser.post(
      `${url}/decision`,
      { event: 'approve', reason: '모든 요건 충족' },
      { formUrl: url },
    );
    t.equal(mine.statusCode, 303, 'then he may decide');
    t.equal((await app.db('applications').where({ id }).first()).stage, 'testing');
  },
);
