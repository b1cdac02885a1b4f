import t from 'tap';
import { build } from '../helpers/build';
import { VALID_REPORT, applicationInTesting, staffUser } from '../helpers/workflow';

t.test('every workflow and notification page renders in Korean and English without a missing message', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const admin = await staffUser(app, 'admin');
  const inspector = await staffUser(app, 'inspector');
  const { browser, id } = await applicationInTesting(app, reviewer.browser);
  await browser.post(`/applications/${id}/testing`, VALID_REPORT);
  const staffPages = [`/staff`, `/staff?status=submitted`, `/staff/applications/${id}`, '/notifications'];
  const applicantPages = [`/applications/${id}/testing`, `/applications/${id}/withdraw`, '/notifications'];
  for (const lang of ['ko', 'en']) {
    for (const url of staffPages) {
      const res = await reviewer.browser.get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
      t.equal(res.statusCode, 200, `${url} (${lang})`);
      t.notMatch(res.body, '⟦', `${url} (${lang}) has every message`);
    }
    for (const url of applicantPages) {
      const res = await browser.get(`${url}?lang=${lang}`);
      t.equal(res.statusCode, 200, `${url} (${lang})`);
      t.notMatch(res.body, '⟦', `${url} (${lang}) has every message`);
    }
    for (const url of ['/admin/outbox', '/staff', `/staff/applications/${id}`]) {
      const res = await admin.browser.get(`${url}?lang=${lang}`);
      t.equal(res.statusCode, 200);
      t.notMatch(res.body, '⟦', `${url} as admin (${lang})`);
    }
  }
  const inspectorView = await inspector.browser.get(`/staff/applications/${id}`);
  t.equal(inspectorView.statusCode, 200, 'any staff role may read the review screen');
  t.notMatch(inspectorView.body, 'name="event" value="approve"', 'but sees no decision it may not take');
});
