import t from 'tap';
import { build } from '../helpers/build';
import { ApiClient, apiAs, apiSignUp } from './fixtures/api-client';
import { DECLARATIONS, REQUIRED_DOCUMENTS, VALID_ANSWERS } from './fixtures/answers';
import { staffApi, submittedApplication, uploadApplicationDocument } from './fixtures/journey';

// One app for the file (each test uses its own organizations): building and seeding is the slow part.
const shared = build(t, { demo: true });

t.test('an applicant creates a draft, saves every section and submits it', async (t) => {
  const app = await shared;
  const api = await apiSignUp(app, { email: 'flow@fin.example' });
  const created = await api.post('/api/v1/applications', {});
  t.equal(created.status, 201);
  const a = created.body.application;
  t.equal(a.stage, 'application');
  t.equal(a.status, 'draft');
  t.equal(a.reference, null);
  t.same(a.editable_sections, ['company', 'service', 'apis', 'technical', 'contacts']);
  const again = await api.post('/api/v1/applications', {});
  t.equal(again.status, 200, 'a second create answers the active application');
  t.equal(again.body.application.id, a.id);

  const saved = await api.patch(`/api/v1/applications/${a.id}/answers`, { company: VALID_ANSWERS.company });
  t.equal(saved.status, 200);
  t.equal(saved.body.application.answers.company.legal_name, VALID_ANSWERS.company.legal_name);
  const rest = { ...VALID_ANSWERS } as Record<string, unknown>;
  delete rest.company;
  t.equal((await api.patch(`/api/v1/applications/${a.id}/answers`, rest)).status, 200);

  const list = await api.get('/api/v1/applications');
  t.equal(list.status, 200);
  t.same(
    list.body.applications.map((x: { id: string }) => x.id),
    [a.id],
  );

  const refused = await api.post(`/api/v1/applications/${a.id}/submit`, { declarations: DECLARATIONS });
  t.equal(refused.status, 422, 'the documents the answers need come first');
  t.same(
    refused.body.error.errors.map((e: { field: string }) => e.field).sort(),
    REQUIRED_DOCUMENTS.map((k) => `application_documents.${k}`).sort(),
  );
  for (const kind of REQUIRED_DOCUMENTS)
    t.equal((await uploadApplicationDocument(api, a.id, kind)).status, 201, `${kind} uploaded`);
  const submitted = await api.post(`/api/v1/applications/${a.id}/submit`, { declarations: DECLARATIONS });
  t.equal(submitted.status, 200);
  t.match(submitted.body.reference, /^OB-\d{4}-\d+$/);
  t.equal(submitted.body.application.state, 'suitability:submitted');
  t.equal(submitted.body.application.versions.length, 1);
  t.same(submitted.body.application.checklist.items.length, 8, 'the suitability checklist item keys are listed');
  t.notOk(submitted.body.application.checklist.results, "but not the reviewer's results");
  t.same(submitted.body.application.editable_sections, []);
});

t.test('answers are validated by the same section validators as the pages (422 with {field, message})', async (t) => {
  const app = await shared;
  const api = await apiSignUp(app, { email: 'v@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  const res = await api.patch(
    `/api/v1/applications/${id}/answers`,
    {
      company: { ...VALID_ANSWERS.company, business_registration_number: '123-45-67890' },
      contacts: VALID_ANSWERS.contacts,
    },
    { 'accept-language': 'en' },
  );
  t.equal(res.status, 422);
  t.equal(res.body.error.code, 'validation');
  t.same(
    res.body.error.errors.map((e: { field: string }) => e.field),
    ['company.business_registration_number'],
  );
  t.notMatch(res.body.error.errors[0].message, /⟦|onboarding\./, 'the message is translated');
  const after = await api.get(`/api/v1/applications/${id}`);
  t.same(after.body.application.answers, {}, 'nothing was saved, not even the valid section');
});

t.test('an unknown field in an answers section is a 422 naming it', async (t) => {
  const app = await shared;
  const api = await apiSignUp(app, { email: 'u@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  const res = await api.patch(`/api/v1/applications/${id}/answers`, {
    company: { ...VALID_ANSWERS.company, legal_nam: 'typo' },
  });
  t.equal(res.status, 422);
  t.same(
    res.body.error.errors.map((e: { field: string }) => e.field),
    ['company.legal_nam'],
  );
  const section = await api.patch(`/api/v1/applications/${id}/answers`, { compnay: VALID_ANSWERS.company });
  t.equal(section.status, 422);
  t.same(
    section.body.error.errors.map((e: { field: string }) => e.field),
    ['compnay'],
  );
});

t.test('submitting without the declarations is a 422 that names each missing one', async (t) => {
  const app = await shared;
  const api = await apiSignUp(app, { email: 'd@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  await api.patch(`/api/v1/applications/${id}/answers`, VALID_ANSWERS);
  for (const kind of REQUIRED_DOCUMENTS) await uploadApplicationDocument(api, id, kind);
  const res = await api.post(`/api/v1/applications/${id}/submit`, { declarations: ['accuracy'] });
  t.equal(res.status, 422);
  t.same(res.body.error.errors.map((e: { field: string }) => e.field).sort(), [
    'declarations.inquiry_consent',
    'declarations.withdrawal_consent',
  ]);
  const incomplete = await apiSignUp(app, { email: 'i@fin.example' });
  const id2 = (await incomplete.post('/api/v1/applications', {})).body.application.id;
  const res2 = await incomplete.post(`/api/v1/applications/${id2}/submit`, { declarations: DECLARATIONS });
  t.equal(res2.status, 422);
  t.ok(
    res2.body.error.errors.some((e: { field: string }) => e.field === 'answers.company'),
    'missing sections are named',
  );
});

t.test("an applicant cannot list another organization's application (404)", async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const other = await apiAs(app, 'owner@demo-fintech.example');
  const list = await other.get('/api/v1/applications');
  t.equal(list.status, 200);
  t.notOk(
    list.body.applications.some((a: { id: string }) => a.id === id),
    'not in their list',
  );
  t.equal((await other.get(`/api/v1/applications/${id}`)).status, 404);
  t.equal((await other.get(`/api/v1/applications/${id}/audit`)).status, 404);
  t.equal((await other.patch(`/api/v1/applications/${id}/answers`, { company: VALID_ANSWERS.company })).status, 404);
  t.equal((await other.post(`/api/v1/applications/${id}/submit`, { declarations: DECLARATIONS })).status, 404);
  t.equal((await other.get('/api/v1/applications/not-a-uuid')).status, 404, 'a malformed id is a 404 too');
});

t.test('staff cannot create or fill in an application (403)', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  t.equal((await reviewer.post('/api/v1/applications', {})).status, 403);
  t.equal((await reviewer.patch(`/api/v1/applications/${id}/answers`, { company: VALID_ANSWERS.company })).status, 403);
  t.equal((await reviewer.post(`/api/v1/applications/${id}/submit`, {})).status, 403);
});

t.test('an anonymous client cannot reach any application route (401)', async (t) => {
  const app = await shared;
  const { id } = await submittedApplication(app);
  const anon = new ApiClient(app);
  for (const [method, url] of [
    ['GET', '/api/v1/applications'],
    ['GET', `/api/v1/applications/${id}`],
    ['POST', `/api/v1/applications/${id}/decisions`],
    ['PATCH', `/api/v1/applications/${id}/answers`],
    ['GET', '/api/v1/notifications'],
  ] as const) {
    const res = await anon.request(method, url, method === 'GET' ? undefined : {});
    t.equal(res.status, 401, `${method} ${url}`);
  }
});

t.test('numbers in answers are read like typed text (harmless variation is accepted)', async (t) => {
  const app = await shared;
  const api = await apiSignUp(app, { email: 'num@fin.example' });
  const id = (await api.post('/api/v1/applications', {})).body.application.id;
  const res = await api.patch(`/api/v1/applications/${id}/answers`, {
    company: { ...VALID_ANSWERS.company, paid_in_capital: 500000000, employees: 25 },
    apis: { apis: 'balance', calls_balance: '10,000' },
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal(res.body.application.answers.company.paid_in_capital, '500000000');
  t.same(res.body.application.answers.apis.apis, ['balance']);
});
