// Rules that join the API to the modules' services: answers saved all-or-nothing, a checklist saved with its
// decision or not at all, the staff queue's full rows, and internal notes at the security and contract stages.
import t from 'tap';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { build } from '../helpers/build';
import { apiAs, apiSignUp } from './fixtures/api-client';
import { PASSING_CHECKLIST, VALID_ANSWERS } from './fixtures/answers';
import { staffApi, submittedApplication } from './fixtures/journey';
import { applicationInContract, applicationInSecurity, uploadAllDocuments } from '../helpers/security-stage';
import { SUITABILITY_ITEMS } from '../../src/workflow/suitability-checklist';

const shared = build(t, { demo: true });
const unique = () => crypto.randomBytes(4).toString('hex');

t.test('answers saved through the API are all-or-nothing', async (t) => {
  const app = await shared;
  const applicant = await apiSignUp(app, {
    email: `aon-${unique()}@api.example`,
    organization: `원자성핀테크${unique()}`,
  });
  const id = (await applicant.post('/api/v1/applications', {})).body.application.id as string;

  const mixed = await applicant.patch(`/api/v1/applications/${id}/answers`, {
    company: VALID_ANSWERS.company,
    contacts: { ...VALID_ANSWERS.contacts, business_email: 'not-an-email' },
  });
  t.equal(mixed.status, 422);
  t.same(
    mixed.body.error.errors.map((e: { field: string }) => e.field),
    ['contacts.business_email'],
  );
  const afterMixed = (await applicant.get(`/api/v1/applications/${id}`)).body.application;
  t.same(afterMixed.answers, {}, 'the valid company section was not saved either');

  const ok = await applicant.patch(`/api/v1/applications/${id}/answers`, {
    company: VALID_ANSWERS.company,
    service: VALID_ANSWERS.service,
  });
  t.equal(ok.status, 200);
  t.same(Object.keys(ok.body.application.answers).sort(), ['company', 'service'], 'both sections saved together');
  const rows = await app.db('application_answers').where({ application_id: id }).select('updated_at');
  t.equal(
    new Set(rows.map((r: { updated_at: string }) => r.updated_at)).size,
    1,
    'in one transaction, with one timestamp',
  );

  // A write that fails part-way (here: the database refuses the second section) rolls back the first one too.
  if (!process.env.DATABASE_URL) {
    await app.db.raw(`CREATE TRIGGER refuse_service BEFORE UPDATE ON application_answers WHEN NEW.application_id = '${id}' AND NEW.section = 'service'
      BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    const failed = await applicant.patch(`/api/v1/applications/${id}/answers`, {
      company: { ...VALID_ANSWERS.company, representative: '이중간' },
      service: { ...VALID_ANSWERS.service, service_name: '중간페이' },
    });
    await app.db.raw('DROP TRIGGER refuse_service');
    t.equal(failed.status, 500, 'the injected database failure');
    const kept = await app.db('application_answers').where({ application_id: id, section: 'company' }).first('data');
    t.equal(
      JSON.parse(kept.data).representative,
      VALID_ANSWERS.company.representative,
      'the section saved before the failure was rolled back',
    );
  }

  // The service re-checks editability inside its transaction: after a submit nothing is written at all.
  await app.db('applications').where({ id }).update({ stage: 'suitability', status: 'submitted' });
  const frozen = await applicant.patch(`/api/v1/applications/${id}/answers`, {
    company: { ...VALID_ANSWERS.company, representative: '이변경' },
  });
  t.equal(frozen.status, 409);
  t.equal(frozen.body.error.current_state, 'suitability:submitted');
  const company = await app.db('application_answers').where({ application_id: id, section: 'company' }).first('data');
  t.equal(JSON.parse(company.data).representative, VALID_ANSWERS.company.representative, 'nothing changed');
});

t.test('a checklist sent with a decision that fails is not saved', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  const results = async () => {
    const rows = await app.db('suitability_checklist').where({ application_id: id }).select('item', 'result');
    return rows.length;
  };

  const noReason = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: ' ',
    checklist: PASSING_CHECKLIST,
  });
  t.equal(noReason.status, 422);
  t.equal(await results(), 0, 'a decision refused for its reason leaves no checklist behind');

  const failing = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '적합',
    checklist: { ...PASSING_CHECKLIST, capital: 'fail' },
    checklist_notes: { capital: '자본금 미달' },
  });
  t.equal(failing.status, 422);
  t.same(
    failing.body.error.errors.map((e: { field: string }) => e.field),
    ['checklist'],
  );
  t.equal(await results(), 0, 'an approval refused by the checklist guard does not save that checklist');
  const audit = (await reviewer.get(`/api/v1/applications/${id}/audit`)).body.events.map(
    (e: { event: string }) => e.event,
  );
  t.notOk(audit.includes('suitability.checklist_saved'), 'and records no checklist event');

  const approved = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'approve',
    reason: '모든 항목 충족',
    checklist: PASSING_CHECKLIST,
  });
  t.equal(approved.status, 200);
  t.equal(approved.body.application.state, 'testing:in_progress');
  t.equal(await results(), SUITABILITY_ITEMS.length, 'saved with the approval');
  const events = (await reviewer.get(`/api/v1/applications/${id}/audit`)).body.events.map(
    (e: { event: string }) => e.event,
  );
  t.ok(
    events.indexOf('suitability.checklist_saved') < events.indexOf('application.approved'),
    'the checklist event precedes the approval',
  );

  const late = await reviewer.put(`/api/v1/applications/${id}/checklist`, {
    checklist: { capital: 'fail' },
    checklist_notes: { capital: '늦은 변경' },
  });
  t.equal(late.status, 409, 'the checklist cannot change after the decision');
});

t.test('the staff list shows each application’s organization, version and requested sections', async (t) => {
  const app = await shared;
  const { applicant, id } = await submittedApplication(app);
  const orgId = (await applicant.get(`/api/v1/applications/${id}`)).body.application.organization_id as string;
  t.ok(orgId, 'the applicant sees its organization id');
  const reviewer = await staffApi(app, 'reviewer');

  const queued = (await reviewer.get('/api/v1/applications')).body.applications.find(
    (a: { id: string }) => a.id === id,
  );
  t.ok(queued, 'the submitted application is in the reviewer’s list');
  t.equal(queued.organization_id, orgId);
  t.equal(queued.current_version, 1);
  t.equal(queued.state, 'suitability:submitted');

  t.equal(
    (
      await reviewer.post(`/api/v1/applications/${id}/decisions`, {
        decision: 'request_changes',
        reason: '연락처 확인',
        sections: ['contacts'],
      })
    ).status,
    200,
  );
  const sentBack = (await reviewer.get('/api/v1/applications?status=changes_requested')).body.applications.find(
    (a: { id: string }) => a.id === id,
  );
  t.ok(sentBack);
  t.equal(sentBack.organization_id, orgId);
  t.same(sentBack.requested_sections, ['contacts']);
  t.same(sentBack.editable_sections, ['contacts']);
});

t.test(
  'an internal note on a security or contract decision is kept for staff and hidden from the applicant',
  async (t) => {
    const app = await shared;
    const note = `내부 메모 ${unique()}`;

    // Stage 4: the inspector sends the findings back with a note.
    const email = `sec-${unique()}@test-fintech.example`;
    const sec = await applicationInSecurity(app, { email });
    await uploadAllDocuments(sec.browser, sec.id);
    const submit = await sec.browser.post(
      `/applications/${sec.id}/security/submit`,
      {},
      { formUrl: `/applications/${sec.id}/security` },
    );
    t.equal(submit.statusCode, 303);
    const inspector = await staffApi(app, 'inspector');
    const tooLong = await inspector.post(`/api/v1/applications/${sec.id}/decisions`, {
      decision: 'request_changes',
      reason: '문서 보완',
      sections: ['findings'],
      internal_note: 'x'.repeat(4001),
    });
    t.equal(tooLong.status, 422, 'the workflow’s limit applies');
    t.same(
      tooLong.body.error.errors.map((e: { field: string }) => e.field),
      ['internal_note'],
    );
    const decided = await inspector.post(`/api/v1/applications/${sec.id}/decisions`, {
      decision: 'request_changes',
      reason: '문서 보완',
      sections: ['findings'],
      internal_note: note,
    });
    t.equal(decided.status, 200, JSON.stringify(decided.body.error ?? null));
    t.equal(decided.body.application.state, 'security:changes_requested');

    // Stage 5: the contract officer returns the signed contract with a note.
    const conEmail = `con-${unique()}@test-fintech.example`;
    const con = await applicationInContract(app, { email: conEmail });
    const signed = await con.browser.post(
      `/applications/${con.id}/contract/sign`,
      { full_name: '김테스트', accept: 'yes' },
      { formUrl: `/applications/${con.id}/contract` },
    );
    t.equal(signed.statusCode, 303, signed.body.slice(0, 500));
    const officer = await staffApi(app, 'contract');
    const returned = await officer.post(`/api/v1/applications/${con.id}/decisions`, {
      decision: 'request_changes',
      reason: '서명 재확인',
      internal_note: note,
    });
    t.equal(returned.status, 200, JSON.stringify(returned.body.error ?? null));
    t.equal(returned.body.application.state, 'contract:changes_requested');

    for (const [id, who, from] of [
      [sec.id, email, 'security:submitted'],
      [con.id, conEmail, 'contract:submitted'],
    ] as const) {
      const staffEvents = (await inspector.get(`/api/v1/applications/${id}/audit`)).body.events as {
        event: string;
        reason: string | null;
        internal: boolean;
        from_state: string | null;
      }[];
      const internal = staffEvents.find((e) => e.event === 'application.internal_note');
      t.ok(internal, `${from}: staff see the note`);
      t.equal(internal?.reason, note);
      t.equal(internal?.internal, true);
      t.equal(internal?.from_state, from);
      const applicant = await apiAs(app, who, 'correct-horse-1');
      const mine = (await applicant.get(`/api/v1/applications/${id}/audit`)).body.events as {
        event: string;
        reason: string | null;
      }[];
      t.ok(
        mine.some((e) => e.event === 'application.changes_requested'),
        `${from}: the applicant sees the decision`,
      );
      t.notOk(
        mine.some((e) => e.event === 'application.internal_note' || e.reason === note),
        `${from}: but not the note`,
      );
    }
  },
);

t.test('an API upload to another organization’s application is refused before its body is read', async (t) => {
  const app = await shared;
  const sec = await applicationInSecurity(app, { email: `up-${unique()}@test-fintech.example` });
  const stranger = await apiSignUp(app, {
    email: `stranger-${unique()}@api.example`,
    organization: `남의회사${unique()}`,
  });
  const boundary = '----obpapiupload';
  let reads = 0;
  const body = new Readable({
    read() {
      reads += 1;
      if (reads === 1)
        this.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nself_assessment\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
            'latin1',
          ),
        );
      else if (reads <= 64) this.push(Buffer.alloc(64 * 1024, 0x41));
      else if (reads === 65) this.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
      else this.push(null);
    },
  });
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/applications/${sec.id}/documents`,
    payload: body,
    headers: { authorization: `Bearer ${stranger.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  body.destroy();
  t.equal(res.statusCode, 404);
  t.ok(reads <= 2, `the body was not read (${reads} chunks pulled)`);
  t.equal(
    Number((await app.db('security_files').where({ application_id: sec.id }).count({ n: '*' }).first())?.n),
    0,
    'nothing stored',
  );
});
