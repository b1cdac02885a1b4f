import t from 'tap';
import { build } from '../helpers/build';
import { ApiClient } from './fixtures/api-client';
import { staffApi, submittedApplication } from './fixtures/journey';

// Bodies a careless or hostile client might send. None may produce a 5xx.
const BODIES: unknown[] = [
  '',
  'null',
  '[]',
  '"text"',
  '42',
  'true',
  '{',
  '{"a":',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  { decision: null },
  { decision: 'approve', reason: ['a', 'b'] },
  { decision: 'approve', reason: { x: 1 } },
  { decision: 'APPROVE', reason: 'x' },
  { company: 'x' },
  { company: [] },
  { company: { legal_name: { nested: true } } },
  { company: { legal_name: 'x'.repeat(20_000) } },
  { apis: { apis: [1, 2, { a: 1 }] } },
  { declarations: 'accuracy' },
  { declarations: ['nope'] },
  { report: 'x' },
  { report: { period_start: 1, period_end: null, tested: [] } },
  { checklist: { capital: 'maybe' } },
  { checklist: 'all' },
  { sections: 'company' },
  { email: 1, password: 2 },
  { email: 'a@b.c', password: 'x'.repeat(5000) },
  { full_name: null, accept: 'yes' },
  { note: 123 },
  { severity: 'urgent', title: '', description: '' },
  { text: null },
  { expires_in_days: -1 },
  { expires_in_days: '10' },
  { url: 'javascript:alert(1)' },
  { decision: 'reject', reason: 'a\u0000b' },
  { email: 'a\u0000@b.example', password: 'x\u0000' },
  { '': '' },
  { 'a.b': 1 },
  { ['x'.repeat(1000)]: 1 },
];
const PATHS = (id: string) =>
  [
    ['POST', '/api/v1/tokens'],
    ['POST', '/api/v1/signup'],
    ['POST', '/api/v1/applications'],
    ['PATCH', `/api/v1/applications/${id}/answers`],
    ['POST', `/api/v1/applications/${id}/submit`],
    ['POST', `/api/v1/applications/${id}/decisions`],
    ['PUT', `/api/v1/applications/${id}/checklist`],
    ['POST', `/api/v1/applications/${id}/withdraw`],
    ['POST', `/api/v1/applications/${id}/findings`],
    ['POST', `/api/v1/applications/${id}/findings/${id}/remediation`],
    ['POST', `/api/v1/applications/${id}/findings/${id}/reopen`],
    ['POST', `/api/v1/applications/${id}/signature`],
    ['POST', `/api/v1/applications/${id}/countersignature`],
    ['POST', '/api/v1/sandbox/secrets'],
    ['POST', '/api/v1/sandbox/callback-urls'],
    ['POST', `/api/v1/notifications/${id}/read`],
  ] as const;

t.test('no input gives a 500: malformed, mistyped and hostile bodies are 4xx', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  let checked = 0;
  const staffPaths = /decisions|checklist|findings|countersignature/;
  for (const [method, url] of PATHS(id)) {
    // Each path as the role that gets furthest into it (staff routes as the reviewer).
    const client = staffPaths.test(url) ? reviewer : applicant;
    for (const body of BODIES) {
      const res = await client.request(method, url, body);
      if (res.status >= 500 || (res.status < 400 && typeof body === 'string' && body !== '' && !body.startsWith('{'))) {
        t.fail(`${method} ${url} ${JSON.stringify(body).slice(0, 80)} → ${res.status} ${res.raw.body.slice(0, 200)}`);
      }
      checked++;
    }
  }
  t.ok(checked > 500, `${checked} requests, no 5xx`);
  t.equal(
    (await applicant.get(`/api/v1/applications/${id}`)).body.application.state,
    'suitability:submitted',
    'and nothing moved the application',
  );
  const proto = ({} as Record<string, unknown>).admin;
  t.equal(proto, undefined, 'no prototype was polluted');
});

t.test('odd paths, queries and headers are 4xx, never 500', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const urls = [
    `/api/v1/applications/${id}/documents/%00`,
    `/api/v1/applications/${'x'.repeat(500)}`,
    '/api/v1/applications/..%2f..%2fetc%2fpasswd',
    '/api/v1/applications?stage[]=a&stage[]=b',
    '/api/v1/applications?status=',
    '/api/v1/applications?stage=%00',
    '/api/v1/notifications?lang=xx',
    '/api/v1/nothing-here',
    `/api/v1/applications/${id}/findings/${'%'.repeat(3)}/verify`,
  ];
  for (const url of urls) {
    const res = await applicant.get(url);
    t.ok(res.status >= 400 && res.status < 500, `${url} → ${res.status}`);
  }
  const weirdAuth = ['Bearer', 'Bearer ', 'Bearer obp_', `Bearer ${'a'.repeat(5000)}`, 'bearer\u0000x', 'Token abc'];
  for (const authorization of weirdAuth) {
    const res = await app.inject({ method: 'GET', url: '/api/v1/applications', headers: { authorization } });
    t.equal(res.statusCode, 401, JSON.stringify(authorization.slice(0, 20)));
  }
  const wrongType = await new ApiClient(app, applicant.token).request('POST', '/api/v1/applications', '<xml/>', {
    'content-type': 'application/xml',
  });
  t.equal(wrongType.status, 415);
  const huge = await new ApiClient(app).request(
    'POST',
    '/api/v1/signup',
    JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(2 * 1024 * 1024), name: 'a', organization_name: 'b' }),
  );
  t.equal(huge.status, 413, 'a body over the limit is refused before parsing');
});

t.test('a NUL character in any text is a 422 naming the field (PostgreSQL cannot store it)', async (t) => {
  const app = await build(t, { demo: true });
  const { applicant, id } = await submittedApplication(app);
  const reviewer = await staffApi(app, 'reviewer');
  const decision = await reviewer.post(`/api/v1/applications/${id}/decisions`, {
    decision: 'reject',
    reason: '반려\u0000사유',
  });
  t.equal(decision.status, 422);
  t.same(
    decision.body.error.errors.map((e: { field: string }) => e.field),
    ['reason'],
  );
  const token = await new ApiClient(app).post('/api/v1/tokens', {
    email: 'owner@demo-fintech.example\u0000',
    password: 'demo-password-1',
  });
  t.equal(token.status, 422);
  const nested = await applicant.patch(`/api/v1/applications/${id}/answers`, {
    apis: { apis: ['balance', 'with\u0000draw'] },
  });
  t.equal(nested.status, 422);
  t.same(
    nested.body.error.errors.map((e: { field: string }) => e.field),
    ['apis.apis.1'],
  );
  const query = await applicant.get('/api/v1/applications?status=draft%00');
  t.equal(query.status, 422);
  const path = await applicant.get(`/api/v1/applications/${id}/documents/%00`);
  t.equal(path.status, 404);
  t.equal((await applicant.get(`/api/v1/applications/${id}`)).body.application.state, 'suitability:submitted');
});
