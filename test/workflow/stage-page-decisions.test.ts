import t from 'tap';
import { build } from '../helpers/build';
import { applicationInSecurity, stateOf, uploadAllDocuments } from '../helpers/security-stage';
import { staffUser } from '../helpers/workflow';

// The fixture walks an application through the earlier stages on the real pages: allow for a busy machine.
t.setTimeout(360_000);

t.test(
  'a security decision posted to the generic review screen is not made there: it sends the inspector to the security page',
  async (t) => {
    const app = await build(t);
    const a = await applicationInSecurity(app);
    await uploadAllDocuments(a.browser, a.id);
    const submit = await a.browser.post(
      `/applications/${a.id}/security/submit`,
      {},
      { formUrl: `/applications/${a.id}/security` },
    );
    t.equal(submit.statusCode, 303);
    t.equal(await stateOf(app, a.id), 'security:submitted');

    const inspector = await staffUser(app, 'inspector');
    for (const event of ['approve', 'reject'] as const) {
      const res = await inspector.browser.post(
        `/staff/applications/${a.id}/decision`,
        { event, reason: '일반 화면에서 결정' },
        { formUrl: `/staff/applications/${a.id}` },
      );
      t.equal(res.statusCode, 303, `${event}: redirected, not decided`);
      t.equal(res.headers.location, `/staff/applications/${a.id}/security`);
      t.equal(await stateOf(app, a.id), 'security:submitted', `${event}: nothing changed`);
    }
    const decided = await app
      .db('audit_events')
      .where({ application_id: a.id })
      .whereIn('event', ['application.approved', 'application.rejected'])
      .where('from_state', 'like', 'security:%');
    t.equal(decided.length, 0, 'no decision was recorded');
    const page = await inspector.browser.get(`/staff/applications/${a.id}/security`);
    t.equal(page.statusCode, 200);
    t.match(page.body, '단계 전용 화면', 'the security page says why the inspector is there');

    // The security page's own decision (the inspection service, which counts the findings) still works.
    const ok = await inspector.browser.post(
      `/staff/applications/${a.id}/security/decision`,
      { decision: 'approve', reason: '보안 요건 충족' },
      { formUrl: `/staff/applications/${a.id}/security` },
    );
    t.equal(ok.statusCode, 303);
    t.equal(await stateOf(app, a.id), 'contract:in_progress');
  },
);
