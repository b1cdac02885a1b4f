// Rule: the remediations under one finding (every answer is kept) are read a bounded page at a time, newest first
// (issue 16): the inspector's and the applicant's pages show each finding's newest 20 with links to its older ones
// (?remediations=<finding>&remediations_after=; a cursor the page did not give out shows the newest), the API's
// findings carry the newest 20 and `remediations_next`, and GET /api/v1/applications/:id/findings/:findingId pages
// them (`?after=&size=`, at most 100; a cursor it did not give out is a 422). Another organization sees none of
// them. A page is one range of the index security_remediations_page on SQLite and PostgreSQL (EXPLAIN below).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { isPostgres } from '../../src/db/knex';
import { build } from '../helpers/build';
import { inspectionAt } from '../helpers/stage-shortcut';
import { STAFF_PASSWORD } from '../helpers/workflow';
import { apiAs, apiSignUp } from '../api/fixtures/api-client';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';

t.setTimeout(360_000);

const ANSWERS = 45;

/** A finding with ANSWERS remediations (the newest sent through the service), and a second finding with one. */
async function findingWithAnswers(app: FastifyInstance) {
  const s = await inspectionAt(app);
  const { inspection } = app.services;
  await inspection.recordFinding(s.inspector.user, s.id, {
    severity: 'high',
    title: '많이 답한 발견사항',
    description: '설명',
  });
  await inspection.recordFinding(s.inspector.user, s.id, {
    severity: 'low',
    title: '한 번 답한 발견사항',
    description: '설명',
  });
  const busy = await s.findingId('많이 답한 발견사항');
  const quiet = await s.findingId('한 번 답한 발견사항');
  await app.db.batchInsert(
    'security_remediations',
    Array.from({ length: ANSWERS - 1 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      finding_id: busy,
      application_id: s.id,
      text: `조치 내용 ${i + 1}.`,
      file_id: null,
      submitted_by: s.owner.id,
      submitted_at: `2026-11-02T00:${String(Math.floor((i + 1) / 60)).padStart(2, '0')}:${String((i + 1) % 60).padStart(2, '0')}.000Z`,
    })),
    100,
  );
  await inspection.remediate(s.owner, s.id, busy, { text: `조치 내용 ${ANSWERS}.`, file: null });
  await inspection.remediate(s.owner, s.id, quiet, { text: '조치 내용 한 번.', file: null });
  return { ...s, busy, quiet };
}

const answers = (html: string) => [...html.matchAll(/조치 내용 (\d+)\./g)].map((m) => Number(m[1]));
const hrefOf = (html: string, rel: 'next' | 'prev') => {
  const m = new RegExp(`href="([^"]*[?&]remediations(?:=|&#x3D;)[^"]+)" rel="${rel}"`).exec(html);
  return m ? m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
};
const newestFirst = Array.from({ length: ANSWERS }, (_, i) => ANSWERS - i);

t.test('a finding shows its newest 20 remediations and pages the older ones, each once', async (t) => {
  const app = await build(t);
  const s = await findingWithAnswers(app);
  for (const [who, browser, start] of [
    ['inspector', s.inspector.browser, s.staffPage],
    ['owner', s.browser, `/applications/${s.id}/security`],
  ] as const) {
    const pages: number[][] = [];
    let next: string | null = start;
    while (next && pages.length < 10) {
      const res = await browser.get(next);
      t.equal(res.statusCode, 200, `${who}: ${next}`);
      t.match(res.body, '조치 내용 한 번.', `${who}: the other finding keeps its remediation on every page`);
      pages.push(answers(res.body));
      next = hrefOf(res.body, 'next');
      if (next) t.match(next, `#finding-${s.busy}`, 'the link lands on the finding');
    }
    t.same(
      pages.map((p) => p.length),
      [20, 20, 5],
      `${who}: pages of at most 20`,
    );
    t.same(pages.flat(), newestFirst, `${who}: every remediation once, newest first`);
    const first = await browser.get(start);
    const second = await browser.get(hrefOf(first.body, 'next')!);
    t.match(second.body, /rel="prev">이전</, 'the links are in Korean');
    t.same(answers((await browser.get(hrefOf(second.body, 'prev')!)).body), pages[0], `${who}: previous walks back`);
    for (const bad of [
      'zzz',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('["0","0"]').toString('base64url'),
    ]) {
      const res = await browser.get(`${start}?remediations=${s.busy}&remediations_after=${bad}`);
      t.equal(res.statusCode, 200);
      t.same(answers(res.body), pages[0], `${who}: a cursor the list did not give out (${bad}) shows the newest`);
    }
    const unknown = await browser.get(`${start}?remediations=not-a-finding&remediations_after=zzz`);
    t.equal(unknown.statusCode, 200, 'a finding that is not on the page changes nothing');
    t.match((await browser.get(`${start}?lang=en`)).body, /rel="next">Next</, 'and in English');
  }
});

t.test('the API carries the newest 20 and pages the rest on the finding', async (t) => {
  const app = await build(t);
  const s = await findingWithAnswers(app);
  const owner = await apiAs(app, 'owner@test-fintech.example', 'correct-horse-1');
  const inspector = await apiAs(app, s.inspector.user.email, STAFF_PASSWORD);
  for (const [who, api] of [
    ['owner', owner],
    ['inspector', inspector],
  ] as const) {
    const list = await api.get(`/api/v1/applications/${s.id}/findings`);
    t.equal(list.status, 200);
    const busy = list.body.findings.find((f: { id: string }) => f.id === s.busy);
    t.same(
      busy.remediations.map((m: { text: string }) => answers(m.text)[0]),
      newestFirst.slice(0, 20),
      `${who}: the list carries each finding's newest 20`,
    );
    t.ok(busy.remediations_next, 'and the cursor of the older ones');
    const quiet = list.body.findings.find((f: { id: string }) => f.id === s.quiet);
    t.equal(quiet.remediations.length, 1);
    t.equal(quiet.remediations_next, null);

    const seen: number[] = [];
    const sizes: number[] = [];
    let url: string | null = `/api/v1/applications/${s.id}/findings/${s.busy}?size=15`;
    while (url && sizes.length < 10) {
      const res = await api.get(url);
      t.equal(res.status, 200, `${who}: ${url}`);
      sizes.push(res.body.finding.remediations.length);
      seen.push(...res.body.finding.remediations.map((m: { text: string }) => answers(m.text)[0]!));
      url = res.body.finding.remediations_next
        ? `/api/v1/applications/${s.id}/findings/${s.busy}?size=15&after=${res.body.finding.remediations_next}`
        : null;
    }
    t.same(sizes, [15, 15, 15], `${who}: pages of at most 15`);
    t.same(seen, newestFirst, `${who}: every remediation once, newest first`);
    const big = await api.get(`/api/v1/applications/${s.id}/findings/${s.busy}?size=500`);
    t.equal(big.body.finding.remediations.length, ANSWERS, 'a big size is capped (at 100)');
    const bad = await api.get(`/api/v1/applications/${s.id}/findings/${s.busy}?after=zzz`);
    t.equal(bad.status, 422, `${who}: a bad cursor is a 422`);
    t.equal(bad.body.error.code, 'validation');
    t.equal((await api.get(`/api/v1/applications/${s.id}/findings/${s.busy}?page=2`)).status, 422);
  }
  const other = await apiSignUp(app, { email: 'other@remediations.example', organization: '다른핀테크' });
  t.equal((await other.get(`/api/v1/applications/${s.id}/findings/${s.busy}`)).status, 404, 'another organization');
  t.equal((await other.get(`/api/v1/applications/${s.id}/findings`)).status, 404);
  t.equal((await owner.get(`/api/v1/applications/${s.id}/findings/00000000-0000-4000-8000-000000000001`)).status, 404);
});

t.test('a page of remediations is one range of the index security_remediations_page, no sort', async (t) => {
  const app = await build(t);
  const s = await findingWithAnswers(app);
  const pg = isPostgres(app.db);
  await analyzeOwnTables(app.db);
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  app.db.on('query', listen);
  const first = await app.services.inspection.findingView(s.owner, s.id, s.busy, { size: 5 });
  const cursor = JSON.parse(Buffer.from(first.finding.remediationsNext!, 'base64url').toString('utf8'));
  await app.services.inspection.findingView(s.owner, s.id, s.busy, { size: 5, after: cursor });
  await app.services.inspection.view(s.inspector.user, s.id);
  app.db.removeListener('query', listen);
  const reads = seen.filter((q) => /security_remediations/.test(q.sql) && /order by/i.test(q.sql));
  t.equal(reads.length, 3, 'one read per page (both findings of the page in one)');
  for (const q of reads) {
    const plan = await orderedIndexPlan(app.db, q);
    if (pg) {
      t.notMatch(plan, /Seq Scan on security_remediations/, `no full scan: ${plan}`);
      t.notMatch(plan, /\bSort\b/, `no sort: ${plan}`);
    } else {
      t.notMatch(plan, /^SCAN m\b(?!.*USING)/m, `no full scan: ${plan}`);
      t.notMatch(plan, /TEMP B-TREE/, `no sort: ${plan}`);
    }
    t.match(plan, /security_remediations_page/, `along security_remediations_page: ${plan}`);
  }
});
