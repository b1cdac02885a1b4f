// Rule (issue 16): an organization's credential sets pile up each time an administrator revokes a sandbox set and
// issues a new one, so nothing reads them all: GET /api/v1/sandbox, the sandbox page and /admin/sandbox read the
// active sets only (at most one per environment), and GET /api/v1/sandbox/credential-sets pages every set,
// revoked ones included, newest first (`?after=&size=`, at most 100, a `next` cursor; a cursor it did not give
// out is a 422), along the index credential_sets_page. One organization never sees another's sets.
import t from 'tap';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { build, signUp } from '../helpers/build';
import { staffUser } from '../helpers/workflow';
import { apiAs } from '../api/fixtures/api-client';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';
import { isPostgres } from '../../src/db/knex';
import { SYSTEM_ACTOR } from '../../src/audit/service';

t.setTimeout(300_000);

async function organizationWithSandbox(app: FastifyInstance, email: string, name: string) {
  await signUp(app, { email, organization: name });
  const orgId = (
    await app
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('u.email', email)
      .first('m.organization_id')
  ).organization_id as string;
  await app.services.credentials.reissueSandboxSet(SYSTEM_ACTOR, orgId);
  return orgId;
}

let codes = 0;
/** `count` revoked sandbox sets of the organization, created a minute apart (two at the same instant). */
async function revokedSets(app: FastifyInstance, orgId: string, count: number, base: number) {
  for (let i = 0; i < count; i++)
    await app.db('credential_sets').insert({
      id: crypto.randomUUID(),
      organization_id: orgId,
      environment: 'sandbox',
      client_use_code: `T${String(++codes).padStart(9, '0')}`,
      client_id: crypto.randomUUID(),
      allow_sa: false,
      status: 'revoked',
      active_key: null,
      created_at: new Date(base + (i === count - 1 ? i - 1 : i) * 60_000).toISOString(),
      revoked_at: new Date(base + (i + 1) * 60_000).toISOString(),
    });
}

t.test(
  'GET /api/v1/sandbox/credential-sets pages every set, newest first; the overview lists the active ones',
  async (t) => {
    const app = await build(t);
    const a = await organizationWithSandbox(app, 'owner@sets.example', '세트핀테크');
    const b = await organizationWithSandbox(app, 'owner@other-sets.example', '다른세트핀테크');
    await revokedSets(app, a, 120, Date.parse('2025-01-01T00:00:00.000Z'));
    await revokedSets(app, b, 3, Date.parse('2025-06-01T00:00:00.000Z'));
    const api = await apiAs(app, 'owner@sets.example', 'correct-horse-1');
    const other = await apiAs(app, 'owner@other-sets.example', 'correct-horse-1');

    const overview = await api.get('/api/v1/sandbox');
    t.equal(overview.status, 200);
    t.same(
      overview.body.credential_sets.map((s: { status: string; environment: string }) => [s.environment, s.status]),
      [['sandbox', 'active']],
      'the overview lists the active set only',
    );

    const walked: { id: string; created_at: string }[] = [];
    const sizes: number[] = [];
    let url: string | null = '/api/v1/sandbox/credential-sets?size=50';
    while (url && sizes.length < 10) {
      const res = await api.get(url);
      t.equal(res.status, 200, url);
      sizes.push(res.body.credential_sets.length);
      walked.push(...res.body.credential_sets);
      url = res.body.next ? `/api/v1/sandbox/credential-sets?size=50&after=${res.body.next}` : null;
    }
    t.same(sizes, [50, 50, 21], '121 sets (120 revoked, 1 active): 50, 50 and 21');
    const stored = await app.db('credential_sets').where({ organization_id: a }).select('id', 'created_at');
    t.same(walked.map((s) => s.id).sort(), stored.map((s: { id: string }) => s.id).sort(), 'every set of A once');
    const key = (s: { id: string; created_at: string }) => `${s.created_at} ${s.id}`;
    t.ok(
      walked.every((s, i) => i === 0 || key(walked[i - 1]!) > key(s)),
      'newest first, then by id',
    );
    t.equal(walked[0]!.id, overview.body.credential_sets[0].id, 'the active set, the newest, comes first');

    const others = await other.get('/api/v1/sandbox/credential-sets?size=100');
    t.equal(others.body.credential_sets.length, 4, "B's own four sets");
    t.notOk(
      others.body.credential_sets.some((s: { id: string }) => walked.some((w) => w.id === s.id)),
      "none of A's sets",
    );
    t.equal(
      (await api.get('/api/v1/sandbox/credential-sets?size=500')).body.credential_sets.length,
      100,
      'size capped',
    );
    for (const bad of ['zzz', Buffer.from('[1]').toString('base64url')])
      t.equal(
        (await api.get(`/api/v1/sandbox/credential-sets?after=${bad}`)).status,
        422,
        `a bad cursor (${bad}): 422`,
      );
    const admin = await staffUser(app, 'admin');
    const staffApi = await apiAs(app, admin.user.email, 'staff-password-1');
    t.equal((await staffApi.get('/api/v1/sandbox/credential-sets')).status, 403, 'staff have no sandbox: 403');
  },
);

t.test('the admin list and a re-issue read only the active and the newest set', async (t) => {
  const app = await build(t);
  const a = await organizationWithSandbox(app, 'owner@sets.example', '세트핀테크');
  await revokedSets(app, a, 30, Date.parse('2025-01-01T00:00:00.000Z'));
  const { credentials } = app.services;
  const row = await credentials.adminRow(a);
  t.ok(row?.sandbox, 'the active sandbox set is shown');
  t.notOk(row?.revokedSandbox, 'not "revoked" while one is active');
  await app.db('credential_sets').where({ organization_id: a, status: 'active' }).update({
    status: 'revoked',
    active_key: null,
    revoked_at: new Date().toISOString(),
  });
  const after = await credentials.adminRow(a);
  t.equal(after?.sandbox, null, 'no active set');
  t.ok(after?.revokedSandbox, 'shown as revoked');
  const page = await credentials.adminList();
  t.ok(page.rows.find((r) => r.organizationId === a)?.revokedSandbox, 'and so in the admin list');
  const issued = await credentials.reissueSandboxSet(SYSTEM_ACTOR, a);
  t.ok(issued.created, 'a fresh set is issued after the revoked ones');
  t.equal((await credentials.adminRow(a))?.sandbox?.id, issued.credentialSetId, 'and shown');
});

t.test('a page of credential sets is one range of credential_sets_page: no full scan, no sort', async (t) => {
  const app = await build(t);
  const a = await organizationWithSandbox(app, 'owner@sets.example', '세트핀테크');
  const b = await organizationWithSandbox(app, 'owner@other-sets.example', '다른세트핀테크');
  await revokedSets(app, b, 400, Date.parse('2025-01-01T00:00:00.000Z'));
  await revokedSets(app, a, 40, Date.parse('2025-03-01T00:00:00.000Z'));
  await analyzeOwnTables(app.db);
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  app.db.on('query', listen);
  const first = await app.services.credentials.pageSets(a, { size: 10 });
  await app.services.credentials.pageSets(a, {
    size: 10,
    after: [first.rows.at(-1)!.createdAt, first.rows.at(-1)!.id],
  });
  app.db.removeListener('query', listen);
  const reads = seen.filter((q) => /credential_sets/.test(q.sql) && /order by/i.test(q.sql));
  t.equal(reads.length, 2, 'one read a page');
  for (const q of reads) {
    const plan = await orderedIndexPlan(app.db, q);
    if (isPostgres(app.db)) {
      t.notMatch(plan, /Seq Scan on credential_sets/, `no full scan: ${plan}`);
      t.notMatch(plan, /\bSort\b/, `no sort: ${plan}`);
    } else {
      t.notMatch(plan, /SCAN credential_sets\b(?!.*USING)/m, `no full scan: ${plan}`);
      t.notMatch(plan, /TEMP B-TREE/, `no sort: ${plan}`);
    }
    t.match(plan, /credential_sets_page/, `read along credential_sets_page: ${plan}`);
  }
});
