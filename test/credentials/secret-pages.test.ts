// Rule (issue 16): a sandbox's client secrets pile up with every rotation (revoked ones are kept), so the lists
// are bounded: the sandbox page always shows the active secrets (at most two) and pages the revoked and expired
// ones 50 at a time, newest first, with next / previous links; GET /api/v1/sandbox lists each set's active
// secrets and GET /api/v1/sandbox/credential-sets/:id/secrets pages all of a set's secrets (`?after=&size=`,
// at most 100, a `next` cursor; a cursor it did not give out is a 422). Walking either visits every secret once,
// in order; one organization never sees another's secrets; staff have no sandbox (403).
import t from 'tap';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { build, signUp } from '../helpers/build';
import { staffUser } from '../helpers/workflow';
import { apiAs } from '../api/fixtures/api-client';
import { SYSTEM_ACTOR } from '../../src/audit/service';

t.setTimeout(300_000);

const decode = (href: string) =>
  href.replace(/&amp;/g, '&').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
const link = (html: string, rel: 'next' | 'prev') => {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
  return m ? decode(m[1]!) : null;
};
const hints = (html: string) => [...html.matchAll(/<code>…([A-Za-z0-9-]+)<\/code>/g)].map((m) => m[1]!);
/** The page's two secret tables: the active ones, then the history (after id="secret-history"). */
function tables(html: string): { active: string[]; history: string[] } {
  const at = html.indexOf('id="secret-history"');
  const secrets = html.slice(html.indexOf('id="secrets"'), at < 0 ? html.indexOf('id="callbacks"') : at);
  return { active: hints(secrets), history: at < 0 ? [] : hints(html.slice(at, html.indexOf('id="callbacks"'))) };
}

async function organizationWithSandbox(app: FastifyInstance, email: string, name: string) {
  const browser = await signUp(app, { email, organization: name });
  const orgId = (
    await app
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('u.email', email)
      .first('m.organization_id')
  ).organization_id as string;
  await app.services.credentials.reissueSandboxSet(SYSTEM_ACTOR, orgId);
  const setId = (await app.db('credential_sets').where({ organization_id: orgId, status: 'active' }).first('id'))
    .id as string;
  return { browser, orgId, setId };
}

t.test('the sandbox page shows the active secrets and pages the revoked and expired ones, newest first', async (t) => {
  const app = await build(t);
  const a = await organizationWithSandbox(app, 'owner@secrets.example', '비밀핀테크');
  const b = await organizationWithSandbox(app, 'owner@other.example', '다른핀테크');
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  // 118 revoked and 3 expired secrets (two created at the same instant: the id orders them), then 2 active.
  const ended: { id: string; hint: string; created_at: string }[] = [];
  for (let i = 0; i < 121; i++) {
    const row = {
      id: crypto.randomUUID(),
      credential_set_id: a.setId,
      secret_hash: crypto.randomBytes(32).toString('hex'),
      hint: `h${String(i).padStart(4, '0')}`,
      created_at: new Date(base + (i === 120 ? 119 : i) * 60_000).toISOString(),
      expires_at: i >= 118 ? new Date(base + 200 * 60_000).toISOString() : null,
      revoked_at: i < 118 ? new Date(base + (i + 1) * 60_000).toISOString() : null,
    };
    await app.db('client_secrets').insert(row);
    ended.push(row);
  }
  await app.db('client_secrets').insert({
    id: crypto.randomUUID(),
    credential_set_id: b.setId,
    secret_hash: crypto.randomBytes(32).toString('hex'),
    hint: 'bbbbbbbb',
    created_at: new Date(base).toISOString(),
    revoked_at: new Date(base).toISOString(),
  });
  const first = await a.browser.post('/sandbox/secrets', {}, { formUrl: '/sandbox' });
  t.equal(first.statusCode, 201);
  const second = await a.browser.post('/sandbox/secrets', {}, { formUrl: '/sandbox' });
  t.equal(second.statusCode, 201);
  const activeHints = (
    await app
      .db('client_secrets')
      .where({ credential_set_id: a.setId })
      .whereNull('revoked_at')
      .whereNull('expires_at')
      .select('hint')
  ).map((r: { hint: string }) => r.hint);
  // The first secret was rotated out by the second: it has an expiry 7 days away and is still active.
  t.equal(
    (
      await app
        .db('client_secrets')
        .where({ credential_set_id: a.setId })
        .whereNull('revoked_at')
        .where('expires_at', '>', new Date().toISOString())
    ).length,
    1,
  );

  const pages: string[][] = [];
  let url: string | null = '/sandbox';
  while (url && pages.length < 10) {
    const res = await a.browser.get(url);
    t.equal(res.statusCode, 200, url);
    const { active, history } = tables(res.body);
    t.equal(active.length, 2, `${url}: the two active secrets on every page`);
    t.ok(activeHints.every((h) => active.includes(h)));
    pages.push(history);
    url = link(res.body, 'next');
  }
  t.same(
    pages.map((p) => p.length),
    [50, 50, 21],
    '121 ended secrets: 50, 50 and 21',
  );
  const expected = [...ended]
    .sort((x, y) => (x.created_at === y.created_at ? (x.id < y.id ? 1 : -1) : x.created_at < y.created_at ? 1 : -1))
    .map((x) => x.hint);
  t.same(pages.flat(), expected, 'newest first (then by id), each once');
  t.notOk(pages.flat().includes('bbbbbbbb'), "another organization's secret never appears");

  const page1 = await a.browser.get('/sandbox');
  t.match(link(page1.body, 'next')!, /^\/sandbox\?secrets_after=[A-Za-z0-9_-]+#secret-history$/);
  const page2 = await a.browser.get(link(page1.body, 'next')!);
  t.same(tables((await a.browser.get(link(page2.body, 'prev')!)).body).history, pages[0], 'previous walks back');
  for (const bad of ['zzz', 'WyJhIl0', '']) {
    const res = await a.browser.get(`/sandbox?secrets_after=${bad}`);
    t.equal(res.statusCode, 200);
    t.same(tables(res.body).history, pages[0], `secrets_after=${bad}: the first page`);
  }
  const cursor = /secrets_after=([A-Za-z0-9_-]+)/.exec(decode(page1.body))![1]!;
  const theirs = await b.browser.get(`/sandbox?secrets_after=${cursor}`);
  t.same(tables(theirs.body).history, ['bbbbbbbb'], "with A's cursor the other organization still sees only its own");
  t.same(tables((await b.browser.get('/sandbox')).body).history, ['bbbbbbbb'], 'only its own');
});

t.test('the API lists active secrets in the overview and pages every secret of a set', async (t) => {
  const app = await build(t);
  const a = await organizationWithSandbox(app, 'owner@secrets.example', '비밀핀테크');
  const b = await organizationWithSandbox(app, 'owner@other.example', '다른핀테크');
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  for (let i = 0; i < 120; i++)
    await app.db('client_secrets').insert({
      id: crypto.randomUUID(),
      credential_set_id: a.setId,
      secret_hash: crypto.randomBytes(32).toString('hex'),
      hint: `h${String(i).padStart(4, '0')}`,
      created_at: new Date(base + i * 60_000).toISOString(),
      revoked_at: new Date(base + (i + 1) * 60_000).toISOString(),
    });
  const api = await apiAs(app, 'owner@secrets.example', 'correct-horse-1');
  const other = await apiAs(app, 'owner@other.example', 'correct-horse-1');
  t.equal((await api.post('/api/v1/sandbox/secrets', {})).status, 201);

  const overview = await api.get('/api/v1/sandbox');
  const set = overview.body.credential_sets.find((s: { id: string }) => s.id === a.setId);
  t.equal(set.secrets.length, 1, 'the overview carries the active secret only');

  const listed: { hint: string; active: boolean; created_at: string }[] = [];
  let cursor: string | null = null;
  let calls = 0;
  do {
    const res = await api.get(`/api/v1/sandbox/credential-sets/${a.setId}/secrets${cursor ? `?after=${cursor}` : ''}`);
    t.equal(res.status, 200);
    t.ok(res.body.secrets.length <= 50, 'at most 50 a page');
    listed.push(...res.body.secrets);
    cursor = res.body.next;
  } while (cursor && ++calls < 10);
  t.equal(listed.length, 121, 'every secret, the active one included');
  t.equal(new Set(listed.map((x) => x.hint)).size, 121, 'each once');
  t.equal(listed[0]!.active, true, 'the newest (active) first');
  t.ok(
    listed.every((x, i) => i === 0 || listed[i - 1]!.created_at >= x.created_at),
    'newest first',
  );
  const big = await api.get(`/api/v1/sandbox/credential-sets/${a.setId}/secrets?size=500`);
  t.equal(big.body.secrets.length, 100, 'size is capped at 100');
  t.ok(big.body.next);
  const malformed = await api.get(`/api/v1/sandbox/credential-sets/${a.setId}/secrets?after=zzz`);
  t.equal(malformed.status, 422, 'a cursor the list did not give out: 422');
  t.equal(malformed.body.error.code, 'validation');
  t.equal((await api.get(`/api/v1/sandbox/credential-sets/${a.setId}/secrets?size=0`)).status, 422, 'size 0: 422');
  t.equal(
    (await other.get(`/api/v1/sandbox/credential-sets/${a.setId}/secrets`)).status,
    404,
    "another organization's set: 404",
  );
  t.same(
    (await other.get(`/api/v1/sandbox/credential-sets/${b.setId}/secrets`)).body.secrets,
    [],
    'its own set has none',
  );
  t.equal(
    (await api.get(`/api/v1/sandbox/credential-sets/${crypto.randomUUID()}/secrets`)).status,
    404,
    'unknown set: 404',
  );
  const admin = await staffUser(app, 'admin');
  const staffApi = await apiAs(app, admin.user.email, 'staff-password-1');
  t.equal((await staffApi.get(`/api/v1/sandbox/credential-sets/${a.setId}/secrets`)).status, 403, 'staff: 403');
  t.equal(
    (await app.inject({ method: 'GET', url: `/api/v1/sandbox/credential-sets/${a.setId}/secrets` })).statusCode,
    401,
  );
});
