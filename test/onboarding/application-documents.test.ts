// Stage 1's evidence for the suitability checklist: the new answers (sanctions, criminal records, IT security
// staff, the withdrawal guarantee, complaint handling) and the application documents (uploads judged by their
// content, hashed, versioned, locked after submission, required before submission, also through /api/v1).
import crypto from 'node:crypto';
import t from 'tap';
import { translate } from '../../src/i18n';
import { requiredDocumentKinds } from '../../src/onboarding/application-documents';
import { validateSection } from '../../src/onboarding/sections';
import { build, signUp, type Browser } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import {
  ALL_DECLARATIONS,
  fillAllSections,
  REQUIRED_DOCUMENTS,
  startApplication,
  submittedApplication,
  uploadDocument,
  VALID_ANSWERS,
} from '../helpers/onboarding';
import { apiSignUp } from '../api/fixtures/api-client';
import {
  DECLARATIONS,
  REQUIRED_DOCUMENTS as API_REQUIRED_DOCUMENTS,
  VALID_ANSWERS as API_ANSWERS,
} from '../api/fixtures/answers';
import { uploadApplicationDocument } from '../api/fixtures/journey';

t.setTimeout(300_000);
const clock = () => new Date('2026-11-26T06:00:00.000Z');
const shared = build(t, { clock });
const ctx = { today: '2026-11-26' };
const ko = (key: string, params?: Record<string, unknown>) => translate('ko', key, params);
const messages = (section: Parameters<typeof validateSection>[0], data: Record<string, string | string[]>) =>
  validateSection(section, data, ctx).errors.map((e) => e.message);
let n = 0;
const email = () => `docs${++n}@evidence.example`;

function form(o: Record<string, string | readonly string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]));
}

t.test('sanctions and criminal records are answered none or some, and "some" needs its details', async (t) => {
  const company = form(VALID_ANSWERS.company);
  t.same(messages('company', company), [], 'none and none are complete');
  const { sanctions_history: _s, criminal_record: _c, ...unanswered } = company;
  t.same(messages('company', unanswered), [
    'onboarding.errors.sanctions_history_required',
    'onboarding.errors.criminal_record_required',
  ]);
  t.same(messages('company', { ...company, sanctions_history: 'some' }), [
    'onboarding.errors.sanctions_details_required',
  ]);
  t.same(messages('company', { ...company, criminal_record: 'some', criminal_record_details: '' }), [
    'onboarding.errors.criminal_record_details_required',
  ]);
  t.same(
    messages('company', { ...company, sanctions_history: 'maybe' }),
    ['onboarding.errors.sanctions_history_required'],
    'only none or some',
  );
  const kept = validateSection(
    'company',
    { ...company, sanctions_history: 'some', sanctions_details: '2025년 경영유의 1건' },
    ctx,
  ).data;
  t.equal(kept.sanctions_details, '2025년 경영유의 1건');
  const dropped = validateSection(
    'company',
    { ...company, sanctions_history: 'none', sanctions_details: '쓸모없는 설명' },
    ctx,
  ).data;
  t.notOk('sanctions_details' in dropped, 'details given with "none" are not kept');

  const app = await shared;
  const b = await signUp(app, { email: email() });
  const id = await startApplication(b);
  const res = await b.post(`/applications/${id}/company`, {
    ...company,
    sanctions_history: 'some',
    criminal_record: 'some',
    action: 'continue',
  });
  t.equal(res.statusCode, 422, 'a re-rendered form, never a 500');
  t.match(res.body, 'href="#sanctions_details"');
  t.match(res.body, ko('onboarding.errors.sanctions_details_required'));
  t.match(res.body, ko('onboarding.errors.criminal_record_details_required'));
  t.match(res.body, /id="sanctions_history-some" name="sanctions_history" value="some" checked/, 'the choice is kept');
});

t.test('the IT security staff count is a whole number of 0 or more and the CISO must be named', async (t) => {
  const technical = form(VALID_ANSWERS.technical);
  t.same(messages('technical', { ...technical, security_staff_count: '0' }), [], 'no dedicated staff is an answer');
  t.equal(
    validateSection('technical', { ...technical, security_staff_count: '1,2' }, ctx).data.security_staff_count,
    '12',
    'harmless separators are accepted',
  );
  t.same(messages('technical', { ...technical, security_staff_count: '' }), [
    'onboarding.errors.security_staff_count_required',
  ]);
  for (const bad of ['-1', '2.5', '세 명'])
    t.same(
      messages('technical', { ...technical, security_staff_count: bad }),
      ['onboarding.errors.security_staff_count_format'],
      `${bad} is refused`,
    );
  t.same(messages('technical', { ...technical, ciso_name: '' }), ['onboarding.errors.ciso_name_required']);
});

t.test('the withdrawal guarantee is required only when the withdrawal API is requested', async (t) => {
  const apis = form(VALID_ANSWERS.apis);
  t.same(messages('apis', apis), []);
  t.same(messages('apis', { ...apis, guarantee_kind: '', guarantee_amount: '' }), [
    'onboarding.errors.guarantee_kind_required',
    'onboarding.errors.guarantee_amount_required',
  ]);
  t.same(
    messages('apis', { ...apis, guarantee_kind: 'cash' }),
    ['onboarding.errors.guarantee_kind_required'],
    'insurance or deposit only',
  );
  t.same(
    messages('apis', { ...apis, guarantee_amount: '0' }),
    ['onboarding.errors.guarantee_amount_format'],
    'at least 1 won',
  );
  t.equal(validateSection('apis', apis, ctx).data.guarantee_amount, '300000000', 'stored as digits');
  const noWithdraw = { apis: ['balance'], calls_balance: '100', guarantee_kind: 'insurance', guarantee_amount: '5' };
  t.same(
    messages('apis', { apis: ['balance'], calls_balance: '100' }),
    [],
    'without withdrawals no guarantee is asked',
  );
  t.notOk(
    'guarantee_kind' in validateSection('apis', noWithdraw, ctx).data,
    'a guarantee without withdrawals is not kept',
  );

  const app = await shared;
  const b = await signUp(app, { email: email() });
  const id = await startApplication(b);
  const res = await b.post(`/applications/${id}/apis`, { ...apis, guarantee_kind: '', action: 'continue' });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#guarantee_kind"');
  t.match(res.body, ko('onboarding.errors.guarantee_kind_required'));
});

t.test('complaints have a channel and a deadline of 1 to 30 business days', async (t) => {
  const contacts = form(VALID_ANSWERS.contacts);
  t.same(messages('contacts', contacts), []);
  t.equal(
    validateSection('contacts', { ...contacts, complaint_days: '7영업일' }, ctx).data.complaint_days,
    '7',
    'a unit after the number is harmless',
  );
  t.same(messages('contacts', { ...contacts, complaint_channel: '' }), [
    'onboarding.errors.complaint_channel_required',
  ]);
  t.same(messages('contacts', { ...contacts, complaint_days: '' }), ['onboarding.errors.complaint_days_required']);
  for (const bad of ['0', '31', '열흘'])
    t.same(
      messages('contacts', { ...contacts, complaint_days: bad }),
      ['onboarding.errors.complaint_days_format'],
      `${bad} is refused`,
    );
  t.match(ko('onboarding.errors.complaint_days_format', { max: 30 }), '30', 'the message says the limit');
});

async function draftWithAnswers(): Promise<{ b: Browser; id: string }> {
  const app = await shared;
  const b = await signUp(app, { email: email() });
  const id = await startApplication(b);
  await fillAllSections(b, id, VALID_ANSWERS, { documents: false });
  return { b, id };
}

t.test(
  'a document is judged by its content (PDF, PNG, JPEG), at most 10 MB, hashed, and every upload is a new version',
  async (t) => {
    const app = await shared;
    const { b, id } = await draftWithAnswers();
    const page = await b.get(`/applications/${id}/documents`);
    t.equal(page.statusCode, 200);
    for (const kind of REQUIRED_DOCUMENTS)
      t.match(page.body, ko(`onboarding.documents.kinds.${kind}.name`), `the page asks for ${kind}`);

    const html = await uploadDocument(b, id, 'business_registration', {
      filename: 'registration.pdf',
      contentType: 'application/pdf',
      content: SAMPLE_FILES.html,
    });
    t.equal(html.statusCode, 422, 'an HTML file named .pdf is refused');
    t.match(html.body, 'href="#file-business_registration"');
    t.match(html.body, ko('inspection.errors.file_type'));
    const big = await uploadDocument(b, id, 'business_registration', {
      filename: 'big.pdf',
      content: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 + 10)]),
    });
    t.equal(big.statusCode, 422, 'more than 10 MB is refused with a page, not a 413');
    t.match(big.body, ko('inspection.errors.file_too_large', { max: '10 MB' }));
    const unknownKind = await uploadDocument(b, id, 'passport');
    t.equal(unknownKind.statusCode, 422);
    t.equal(
      Number((await app.db('application_files').where({ application_id: id }).count({ n: '*' }).first())?.n),
      0,
      'nothing refused is stored',
    );

    t.equal(
      (
        await uploadDocument(b, id, 'business_registration', {
          filename: '사업자등록증.png',
          content: SAMPLE_FILES.png,
        })
      ).statusCode,
      303,
    );
    t.equal(
      (
        await uploadDocument(b, id, 'business_registration', {
          filename: '사업자등록증 v2.jpg',
          content: SAMPLE_FILES.jpeg,
        })
      ).statusCode,
      303,
    );
    const rows = await app
      .db('application_files')
      .where({ application_id: id, slot: 'business_registration' })
      .orderBy('version');
    t.same(
      rows.map((r) => [Number(r.version), r.content_type]),
      [
        [1, 'image/png'],
        [2, 'image/jpeg'],
      ],
      'both versions kept, types from the bytes',
    );
    t.equal(rows[1].sha256, crypto.createHash('sha256').update(SAMPLE_FILES.jpeg).digest('hex'));
    const after = await b.get(`/applications/${id}/documents`);
    t.match(after.body, rows[0].sha256, 'the page shows each version’s hash');
    t.match(after.body, rows[1].sha256);
    const dl = await b.get(`/applications/${id}/documents/${rows[1].id}`);
    t.equal(dl.statusCode, 200);
    t.equal(dl.headers['content-type'], 'image/jpeg');
    t.match(String(dl.headers['content-disposition']), /^attachment; /);
    t.ok(Buffer.compare(dl.rawPayload, SAMPLE_FILES.jpeg) === 0, 'the bytes come back unchanged');
    t.ok(
      await app.db('audit_events').where({ application_id: id, event: 'application.document_uploaded' }).first(),
      'each upload is audited',
    );
  },
);

t.test('another organization gets 404 for the documents page, an upload and a download', async (t) => {
  const app = await shared;
  const { b, id } = await draftWithAnswers();
  await uploadDocument(b, id, 'privacy_policy');
  const file = await app.db('application_files').where({ application_id: id }).first();
  const other = await signUp(app, { email: email() });
  const otherId = await startApplication(other);
  t.equal((await other.get(`/applications/${id}/documents`)).statusCode, 404);
  t.equal((await other.get(`/applications/${id}/documents/${file.id}`)).statusCode, 404);
  const upload = await postMultipart(
    other,
    `/applications/${id}/documents`,
    { kind: 'privacy_policy' },
    [{ filename: 'x.pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: `/applications/${otherId}/documents` },
  );
  t.equal(upload.statusCode, 404, 'refused before the body is read');
  t.equal(
    Number((await app.db('application_files').where({ application_id: id }).count({ n: '*' }).first())?.n),
    1,
    'nothing stored',
  );
  t.equal(
    (await other.get(`/applications/${otherId}/documents/${file.id}`)).statusCode,
    404,
    'a file id under one’s own application is not a way in',
  );
});

t.test('submission is refused while a required document is missing, naming each on the check page', async (t) => {
  const app = await shared;
  const { b, id } = await draftWithAnswers();
  await uploadDocument(b, id, 'business_registration');
  const res = await b.post(`/applications/${id}/submit`, ALL_DECLARATIONS, { formUrl: `/applications/${id}/check` });
  t.equal(res.statusCode, 422);
  for (const kind of REQUIRED_DOCUMENTS.filter((k) => k !== 'business_registration')) {
    t.match(res.body, ko(`onboarding.documents.missing.${kind}`), `the check page names the missing ${kind}`);
    t.match(res.body, `href="/applications/${id}/documents#document-${kind}"`);
  }
  t.notMatch(res.body, ko('onboarding.documents.missing.business_registration'), 'an uploaded document is not named');
  t.equal((await app.db('applications').where({ id }).first()).status, 'draft', 'still a draft');
  for (const kind of REQUIRED_DOCUMENTS.filter((k) => k !== 'business_registration')) await uploadDocument(b, id, kind);
  const ok = await b.post(`/applications/${id}/submit`, ALL_DECLARATIONS, { formUrl: `/applications/${id}/check` });
  t.equal(ok.statusCode, 303);
  const version = await app.db('application_versions').where({ application_id: id }).first();
  t.same(
    JSON.parse(version.answers).documents.map((d: { kind: string }) => d.kind),
    [...REQUIRED_DOCUMENTS],
    'the submitted version records the documents',
  );
});

t.test(
  'a sole proprietor needs no register extract, and no guarantee is needed without the withdraw API',
  async (t) => {
    t.same(requiredDocumentKinds({ company: { business_type: 'sole_proprietor' }, apis: { apis: ['balance'] } }), [
      'business_registration',
      'financial_statements',
      'privacy_policy',
    ]);
    t.same(requiredDocumentKinds({ company: { business_type: 'corporation' }, apis: { apis: ['withdraw'] } }), [
      ...REQUIRED_DOCUMENTS,
    ]);
    const app = await shared;
    const b = await signUp(app, { email: email() });
    const id = await startApplication(b);
    const { corporate_registration_number: _crn, ...sole } = VALID_ANSWERS.company;
    const answers = {
      ...VALID_ANSWERS,
      company: { ...sole, business_type: 'sole_proprietor' },
      apis: { apis: ['balance'], calls_balance: '100,000' },
    };
    await fillAllSections(b, id, answers as unknown as typeof VALID_ANSWERS, { documents: false });
    for (const kind of ['business_registration', 'financial_statements', 'privacy_policy'])
      await uploadDocument(b, id, kind);
    const check = await b.get(`/applications/${id}/check`);
    t.notMatch(check.body, ko('onboarding.documents.missing.corporate_register'));
    t.notMatch(check.body, ko('onboarding.documents.missing.guarantee_certificate'));
    const res = await b.post(
      `/applications/${id}/submit`,
      { declare_accuracy: 'yes', declare_inquiry_consent: 'yes' },
      { formUrl: `/applications/${id}/check` },
    );
    t.equal(res.statusCode, 303, res.body.slice(0, 400));
    t.equal((await app.db('applications').where({ id }).first()).status, 'submitted');
  },
);

t.test('documents are locked after submission and open again only when the reviewer asks for them', async (t) => {
  const app = await shared;
  const { browser: b, id } = await submittedApplication(app, email());
  const locked = await uploadDocument(b, id, 'privacy_policy');
  t.equal(locked.statusCode, 409, 'a submitted application takes no new document');
  t.match(locked.body, ko('onboarding.conflict.documents_locked'));
  t.notMatch((await b.get(`/applications/${id}/documents`)).body, 'enctype="multipart/form-data"', 'no upload form');
  await app
    .db('applications')
    .where({ id })
    .update({ status: 'changes_requested', changes_requested_sections: JSON.stringify(['service']) });
  t.equal((await uploadDocument(b, id, 'privacy_policy')).statusCode, 409, 'not while other sections were asked for');
  await app
    .db('applications')
    .where({ id })
    .update({ changes_requested_sections: JSON.stringify(['documents']) });
  t.match(
    (await b.get('/applications')).body,
    `<li><a href="/applications/${id}/documents">${ko('onboarding.documents.title')}</a></li>`,
    'the home page names the documents among the changes asked for',
  );
  t.equal(
    (await uploadDocument(b, id, 'privacy_policy')).statusCode,
    303,
    'open when the reviewer named the documents',
  );
  const res = await b.post(`/applications/${id}/submit`, ALL_DECLARATIONS, { formUrl: `/applications/${id}/check` });
  t.equal(res.statusCode, 303);
  const v2 = await app.db('application_versions').where({ application_id: id, version: 2 }).first();
  t.equal(
    JSON.parse(v2.answers).documents.find((d: { kind: string }) => d.kind === 'privacy_policy').version,
    2,
    'version 2 carries the new upload',
  );
});

t.test(
  'the API takes the same documents: an upload endpoint like the security one, and submission waits for them',
  async (t) => {
    const app = await shared;
    const api = await apiSignUp(app, { email: email() });
    const id = (await api.post('/api/v1/applications', {})).body.application.id as string;
    t.equal((await api.patch(`/api/v1/applications/${id}/answers`, API_ANSWERS)).status, 200);
    const listed = await api.get(`/api/v1/applications/${id}/application-documents`);
    t.equal(listed.status, 200);
    t.same(
      [...listed.body.missing_kinds].sort(),
      [...API_REQUIRED_DOCUMENTS].sort(),
      'a sole proprietor requesting withdrawals',
    );
    const refused = await api.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS });
    t.equal(refused.status, 422);
    t.same(
      refused.body.error.errors.map((e: { field: string }) => e.field).sort(),
      API_REQUIRED_DOCUMENTS.map((k) => `application_documents.${k}`).sort(),
    );
    const bad = await uploadApplicationDocument(api, id, 'privacy_policy', {
      filename: 'x.pdf',
      content: SAMPLE_FILES.html,
    });
    t.equal(bad.status, 422);
    t.same(
      bad.body.error.errors.map((e: { field: string }) => e.field),
      ['file'],
    );
    for (const kind of API_REQUIRED_DOCUMENTS) {
      const up = await uploadApplicationDocument(api, id, kind);
      t.equal(up.status, 201, `${kind} uploaded`);
      t.equal(up.body.document.sha256, crypto.createHash('sha256').update(SAMPLE_FILES.pdf).digest('hex'));
    }
    const other = await apiSignUp(app, { email: email() });
    t.equal((await uploadApplicationDocument(other, id, 'privacy_policy')).status, 404, 'another organization: 404');
    const submitted = await api.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS });
    t.equal(submitted.status, 200);
    t.equal((await uploadApplicationDocument(api, id, 'privacy_policy')).status, 409, 'locked after submission');
  },
);
