// Rule (issue 16): an organization's own test people are a list it grows itself, so the sandbox page and
// GET /api/v1/sandbox/test-users page them: newest first, 50 a page (the page: ?people_after= / ?people_before=, next
// and previous links; the API: ?after=&size=, at most 100, a `next` cursor, 422 for a cursor it did not give out),
// along the index testbed_users_page; the shared test people (the test bed's own fixtures) follow on the first page.
// Walking the pages visits every person once; one organization never sees another's people.
import t from 'tap';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { build, signUp } from '../helpers/build';
import { apiAs } from '../api/fixtures/api-client';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';
import { isPostgres } from '../../src/db/knex';
import { SYSTEM_ACTOR } from '../../src/audit/service';

t.setTimeout(300_000);

const decode = (href: string) =>
  href.replace(/&amp;/g, '&').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
const link = (html: string, rel: 'next' | 'prev') => {
  const m = new RegExp(`<a href="([^"]*people_(?:after|before)[^"]*)" rel="${rel}">`).exec(html);
  return m ? decode(m[1]!) : null;
};
/** The user_seq_no of each row of the people table. */
const seqNos = (html: string) => {
  const table = html.slice(html.indexOf('id="people"'));
  return [...table.slice(0, table.indexOf('</table>')).matchAll(/<td><code>(\d{10})<\/code><\/td>/g)].map((m) => m[1]!);
};

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
  return { browser, orgId };
}

let made = 0;
/** `count` test people of the organization (null: shared), a minute apart (two made at the same instant). */
async function people(app: FastifyInstance, orgId: string | null, count: number, base: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++made;
    const userSeqNo = `19${String(n).padStart(8, '0')}`;
    await app.db('testbed_users').insert({
      user_seq_no: userSeqNo,
      organization_id: orgId,
      login_scope: orgId ?? 'global',
      login_id: `person${n}`,
      password_hash: 'x',
      name: `사람${n}`,
      birth_date: '1990-01-01',
      user_ci: crypto.randomBytes(32).toString('base64'),
      phone: null,
      created_at: new Date(base + (i === 1 ? 0 : i) * 60_000).toISOString(),
      closed_at: null,
    });
    out.push(userSeqNo);
  }
  return out;
}

t.test('the sandbox page and the API page the own test people, newest first; the shared ones follow', async (t) => {
  const app = await build(t);
  const a = await organizationWithSandbox(app, 'owner@people.example', '사람핀테크');
  const b = await organizationWithSandbox(app, 'owner@other-people.example', '다른사람핀테크');
  const mine = await people(app, a.orgId, 70, Date.parse('2026-01-01T00:00:00.000Z'));
  const theirs = await people(app, b.orgId, 3, Date.parse('2026-02-01T00:00:00.000Z'));
  const shared = [
    ...(await app.db('testbed_users').whereNull('organization_id').pluck('user_seq_no')),
    ...(await people(app, null, 3, Date.parse('2026-02-01T00:00:00.000Z'))),
  ].sort();
  const rows = await app.db('testbed_users').where({ organization_id: a.orgId }).select('user_seq_no', 'created_at');
  const key = new Map(
    rows.map((r: { user_seq_no: string; created_at: string }) => [r.user_seq_no, `${r.created_at} ${r.user_seq_no}`]),
  );

  const pages: string[][] = [];
  let url: string | null = '/sandbox';
  while (url && pages.length < 5) {
    const res = await a.browser.get(url);
    t.equal(res.statusCode, 200, url);
    pages.push(seqNos(res.body));
    url = link(res.body, 'next');
  }
  const own = pages.map((p) => p.filter((s) => key.has(s)));
  t.same(
    own.map((p) => p.length),
    [50, 20],
    '70 own people: 50 and 20',
  );
  t.same(
    pages[0]!.filter((s) => !key.has(s)),
    shared,
    'the shared people follow on the first page',
  );
  t.same(
    pages[1]!.filter((s) => !key.has(s)),
    [],
    'and only there',
  );
  const walked = own.flat();
  t.same([...walked].sort(), [...mine].sort(), 'every own person once');
  t.ok(
    walked.every((s, i) => i === 0 || key.get(walked[i - 1]!)! > key.get(s)!),
    'newest first',
  );
  t.notOk(
    pages.flat().some((s) => theirs.includes(s)),
    "none of B's people",
  );
  const second = await a.browser.get(link((await a.browser.get('/sandbox')).body, 'next')!);
  t.same(seqNos((await a.browser.get(link(second.body, 'prev')!)).body), pages[0], 'previous walks back');
  t.same(seqNos((await a.browser.get('/sandbox?people_after=zzz')).body), pages[0], 'a bad cursor: the first page');

  const api = await apiAs(app, 'owner@people.example', 'correct-horse-1');
  const apiPages: string[][] = [];
  let next: string | null = '';
  while (next !== null && apiPages.length < 5) {
    const res = await api.get(`/api/v1/sandbox/test-users?size=50${next ? `&after=${next}` : ''}`);
    t.equal(res.status, 200);
    apiPages.push(res.body.test_users.map((p: { user_seq_no: string }) => p.user_seq_no));
    next = res.body.next;
  }
  t.same(apiPages, pages, 'the API pages the same people the same way');
  t.equal((await api.get('/api/v1/sandbox/test-users?after=zzz')).status, 422, 'a bad cursor: 422');
  t.equal(
    (await api.get('/api/v1/sandbox/test-users?size=500')).body.test_users.length,
    70 + shared.length,
    'size capped at 100 own',
  );

  const { testbedUsers } = app.services;
  t.equal(await testbedUsers.personFor(a.orgId, theirs[0]!), undefined, "another organization's person is not found");
  t.equal((await testbedUsers.personFor(a.orgId, mine[5]!))?.userSeqNo, mine[5], 'an own person is');
  t.equal((await testbedUsers.personFor(a.orgId, shared[0]!))?.own, false, 'and a shared one, marked shared');
});

t.test('a page of test people is one range of testbed_users_page: no full scan, no sort', async (t) => {
  const app = await build(t);
  const a = await organizationWithSandbox(app, 'owner@people.example', '사람핀테크');
  const b = await organizationWithSandbox(app, 'owner@other-people.example', '다른사람핀테크');
  await people(app, b.orgId, 400, Date.parse('2026-01-01T00:00:00.000Z'));
  await people(app, a.orgId, 30, Date.parse('2026-03-01T00:00:00.000Z'));
  await analyzeOwnTables(app.db);
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  const first = await app.services.testbedUsers.pageForOrganization(a.orgId, { size: 10 });
  app.db.on('query', listen);
  const last = first.own.rows.at(-1)!;
  const createdAt = (await app.db('testbed_users').where({ user_seq_no: last.userSeqNo }).first('created_at'))
    .created_at;
  await app.services.testbedUsers.pageForOrganization(a.orgId, { size: 10, after: [createdAt, last.userSeqNo] });
  app.db.removeListener('query', listen);
  const reads = seen.filter(
    (q) => /testbed_users/.test(q.sql) && /organization_id["`]? = (\?|\$\d+)/.test(q.sql) && /order by/i.test(q.sql),
  );
  t.equal(reads.length, 1, 'one read for the page');
  const plan = await orderedIndexPlan(app.db, reads[0]!);
  if (isPostgres(app.db)) {
    t.notMatch(plan, /Seq Scan on testbed_users/, `no full scan: ${plan}`);
    t.notMatch(plan, /\bSort\b/, `no sort: ${plan}`);
  } else {
    t.notMatch(plan, /SCAN testbed_users\b(?!.*USING)/m, `no full scan: ${plan}`);
    t.notMatch(plan, /TEMP B-TREE/, `no sort: ${plan}`);
  }
  t.match(plan, /testbed_users_page/, `read along testbed_users_page: ${plan}`);
});
