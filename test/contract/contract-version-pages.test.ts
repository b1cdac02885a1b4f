// Rule: a contract's signed versions (one per signature; sent back and signed again, they pile up) are read a
// bounded page at a time, newest first (issue 16): the applicant's and the contract officer's pages show 20 with
// next / previous links (?versions_after= / ?versions_before=; a cursor the page did not give out is the first
// page), GET /api/v1/applications/:id/contract answers `size` versions (50 unless asked, at most 100) in `history`
// with a `history_next` cursor (a cursor it did not give out is a 422). Another organization sees none of them.
// A page is one range of the unique index (application_id, version) on SQLite and PostgreSQL (EXPLAIN below).
import t from 'tap';
import { isPostgres } from '../../src/db/knex';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { STAFF_PASSWORD, staffUser } from '../helpers/workflow';
import { apiAs, apiSignUp } from '../api/fixtures/api-client';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';

t.setTimeout(360_000);

const VERSIONS = 23;

/** The version numbers of the versions table, in the page's order. */
const versionsOf = (html: string) => {
  const table = html.slice(html.indexOf('id="versions"'));
  return [...table.matchAll(/<tr><td>v(\d+) · /g)].map((m) => Number(m[1]));
};
function link(html: string, rel: 'next' | 'prev'): string | null {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=') : null;
}

async function contractWithVersions(app: Awaited<ReturnType<typeof build>>) {
  const a = await applicationAt(app, 'contract');
  const officer = await staffUser(app, 'contract_officer', 'officer@pages.example');
  for (let v = 1; v <= VERSIONS; v++) {
    await app.services.contract.sign(a.owner, a.id, { full_name: '김테스트', accept: 'yes' }, '127.0.0.1');
    if (v < VERSIONS) await app.services.contract.requestChanges(officer.user, a.id, { reason: `고쳐 주세요 ${v}` });
  }
  return { ...a, officer };
}

t.test('the contract versions are paged on both pages and in the API, newest first, each once', async (t) => {
  const app = await build(t);
  const a = await contractWithVersions(app);
  const newestFirst = Array.from({ length: VERSIONS }, (_, i) => VERSIONS - i);

  for (const [who, browser, start] of [
    ['officer', a.officer.browser, `/staff/applications/${a.id}/contract`],
    ['owner', a.browser, `/applications/${a.id}/contract`],
  ] as const) {
    const pages: number[][] = [];
    let next: string | null = start;
    while (next && pages.length < 5) {
      const res = await browser.get(next);
      t.equal(res.statusCode, 200, `${who}: ${next}`);
      pages.push(versionsOf(res.body));
      next = link(res.body, 'next');
    }
    t.same(
      pages.map((p) => p.length),
      [20, 3],
      `${who}: pages of at most 20`,
    );
    t.same(pages.flat(), newestFirst, `${who}: every version once, newest first`);
    const first = await browser.get(start);
    t.match(first.body, '다음', 'the links are in Korean');
    const second = await browser.get(link(first.body, 'next')!);
    t.same(versionsOf((await browser.get(link(second.body, 'prev')!)).body), pages[0], `${who}: previous walks back`);
    for (const bad of ['zzz', 'WzEsMl0', Buffer.from('[999999]').toString('base64url')]) {
      const res = await browser.get(`${start}?versions_after=${bad}`);
      t.equal(res.statusCode, 200);
      t.same(versionsOf(res.body), pages[0], `${who}: a cursor the list did not give out (${bad}) is the first page`);
    }
    const english = await browser.get(`${start}?lang=en`);
    t.match(english.body, /rel="next">Next</, 'and in English');
  }

  // The API: `size` a page, history_next until null.
  const owner = await apiAs(app, 'owner@test-fintech.example', 'correct-horse-1');
  const officer = await apiAs(app, 'officer@pages.example', STAFF_PASSWORD);
  for (const [who, api] of [
    ['owner', owner],
    ['officer', officer],
  ] as const) {
    const listed: number[] = [];
    const sizes: number[] = [];
    let url: string | null = `/api/v1/applications/${a.id}/contract?size=10`;
    while (url && sizes.length < 10) {
      const res = await api.get(url);
      t.equal(res.status, 200, `${who}: ${url}`);
      sizes.push(res.body.history.length);
      t.equal(res.body.current.version, VERSIONS, `${who}: current is the newest version on every page`);
      listed.push(...res.body.history.map((c: { version: number }) => c.version));
      url = res.body.history_next
        ? `/api/v1/applications/${a.id}/contract?size=10&after=${res.body.history_next}`
        : null;
    }
    t.same(sizes, [10, 10, 3], `${who}: pages of at most 10`);
    t.same(listed, newestFirst, `${who}: every version once, newest first`);
    const whole = await api.get(`/api/v1/applications/${a.id}/contract`);
    t.equal(whole.body.history.length, VERSIONS, 'the default page (50) holds them all, as before');
    t.equal(whole.body.history_next, null);
    t.equal(whole.body.current.version, VERSIONS, 'current: the newest version');
    t.equal((await api.get(`/api/v1/applications/${a.id}/contract?size=500`)).status, 200, 'a big size is capped');
    const malformed = await api.get(`/api/v1/applications/${a.id}/contract?after=zzz`);
    t.equal(malformed.status, 422);
    t.equal(malformed.body.error.code, 'validation');
    t.equal((await api.get(`/api/v1/applications/${a.id}/contract?page=2`)).status, 422, 'an unknown parameter');
  }

  // Another organization: 404 on the page and in the API, with or without a cursor.
  const other = await apiSignUp(app, { email: 'other@pages.example', organization: '다른핀테크' });
  const cursor = Buffer.from(JSON.stringify([10])).toString('base64url');
  t.equal((await other.get(`/api/v1/applications/${a.id}/contract`)).status, 404);
  t.equal((await other.get(`/api/v1/applications/${a.id}/contract?after=${cursor}`)).status, 404);
});

t.test('a page of contract versions is one range of the index (application_id, version), no sort', async (t) => {
  const app = await build(t);
  const a = await contractWithVersions(app);
  const pg = isPostgres(app.db);
  await analyzeOwnTables(app.db);
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  app.db.on('query', listen);
  const first = await app.services.contract.view(a.owner, a.id, { size: 5 });
  t.equal(first.history.length, 5);
  await app.services.contract.view(a.owner, a.id, { size: 5, after: [first.history[4]!.version] });
  app.db.removeListener('query', listen);
  const reads = seen.filter((q) => /from\s+["`]contracts["`]/i.test(q.sql) && /order by/i.test(q.sql));
  t.ok(reads.length >= 4, 'the newest version and a page, twice');
  for (const q of reads) {
    const plan = await orderedIndexPlan(app.db, q);
    if (pg) {
      t.notMatch(plan, /Seq Scan on contracts/, `no full scan: ${plan}`);
      t.notMatch(plan, /\bSort\b/, `no sort: ${plan}`);
    } else {
      t.notMatch(plan, /^SCAN c\b(?!.*USING)/m, `no full scan: ${plan}`);
      t.notMatch(plan, /TEMP B-TREE/, `no sort: ${plan}`);
    }
    t.match(plan, /contracts_application_id_version_unique/, `the unique index (application_id, version): ${plan}`);
  }
});
