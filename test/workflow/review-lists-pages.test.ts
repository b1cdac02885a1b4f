// Rule: an application's submitted versions, its test completion reports and its checklist's earlier results are
// read a bounded page at a time, newest first (issue 16). The staff review screen shows 20 reports and 50 earlier
// checklist results a page with next / previous links (?reports_after= / ?checklist_after=; a cursor the screen
// did not give out is the first page) and reads only the newest two versions (the diff); GET
// /api/v1/applications/:id answers `size` versions and reports (50 unless asked, at most 100) with
// `versions_next` and `testing_reports_next` (a cursor it did not give out is a 422 naming the parameter).
// Another organization sees none of it. Each page is one range of an index on SQLite and PostgreSQL (EXPLAIN).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { isPostgres } from '../../src/db/knex';
import { SUITABILITY_ITEMS } from '../../src/workflow/suitability-checklist';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { STAFF_PASSWORD } from '../helpers/workflow';
import { apiAs, apiSignUp } from '../api/fixtures/api-client';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';

t.setTimeout(360_000);

const REPORTS = 25; // one submitted through the service, 24 more stored
const VERSIONS = 55; // one submitted, 54 more stored
const CHANGES = 60; // earlier checklist results

/** An application past testing (the review screen folds its checklist and reports away) with long lists. */
async function withLongLists(app: FastifyInstance) {
  const a = await applicationAt(app, 'security');
  const first = await app.db('application_versions').where({ application_id: a.id, version: 1 }).first();
  for (let v = 2; v <= VERSIONS; v++)
    await app.db('application_versions').insert({
      ...first,
      id: `00000000-0000-4000-8000-${String(v).padStart(12, '0')}`,
      version: v,
      submitted_at: `2026-11-${String(3 + Math.floor(v / 10)).padStart(2, '0')}T00:00:${String(v % 60).padStart(2, '0')}.000Z`,
    });
  const report = await app.db('testing_reports').where({ application_id: a.id, version: 1 }).first();
  for (let v = 2; v <= REPORTS; v++) {
    const data = { ...JSON.parse(report.data), notes: `보고서 메모 ${v}` };
    await app.db('testing_reports').insert({
      ...report,
      id: `00000000-0000-4000-9000-${String(v).padStart(12, '0')}`,
      version: v,
      data: JSON.stringify(data),
    });
  }
  for (let i = 1; i <= CHANGES; i++)
    await app.db('suitability_checklist_history').insert({
      application_id: a.id,
      item: SUITABILITY_ITEMS[i % SUITABILITY_ITEMS.length],
      result: 'fail',
      note: `이력 메모 ${i}.`,
      set_by: a.approver.user.id,
      set_at: `2026-11-02T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
      replaced_at: '2026-11-03T00:00:00.000Z',
    });
  return a;
}

const reportNumbers = (html: string) => [...html.matchAll(/(\d+)차 보고서/g)].map((m) => Number(m[1]));
const changeNumbers = (html: string) => [...html.matchAll(/이력 메모 (\d+)\./g)].map((m) => Number(m[1]));
/** The href of the pager link that sets `param` (the page escapes `=` and `&` in attributes). */
const hrefOf = (html: string, param: string, rel: 'next' | 'prev') => {
  const m = new RegExp(`href="([^"]*[?&]${param}(?:=|&#x3D;)[^"]+)" rel="${rel}"`).exec(html);
  return m ? m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
};

async function walkPages(get: (url: string) => Promise<string>, start: string, param: string) {
  const pages: string[] = [];
  let next: string | null = start;
  while (next && pages.length < 10) {
    const html = await get(next);
    pages.push(html);
    next = hrefOf(html, `${param}_after`, 'next');
  }
  return pages;
}

t.test('the review screen pages the reports and the checklist history, newest first, each once', async (t) => {
  const app = await build(t);
  const a = await withLongLists(app);
  const reviewer = a.testingApprover.browser;
  const url = `/staff/applications/${a.id}`;
  const get = async (u: string) => {
    const res = await reviewer.get(u);
    t.equal(res.statusCode, 200, u);
    return res.body;
  };

  const reportPages = (await walkPages(get, url, 'reports')).map(reportNumbers);
  t.same(
    reportPages.map((p) => p.length),
    [20, 5],
    'reports: pages of at most 20',
  );
  t.same(
    reportPages.flat(),
    Array.from({ length: REPORTS }, (_, i) => REPORTS - i),
    'every report once, newest first',
  );
  const changePages = (await walkPages(get, url, 'checklist')).map(changeNumbers);
  t.same(
    changePages.map((p) => p.length),
    [50, 10],
    'checklist history: pages of at most 50',
  );
  t.same(
    changePages.flat().sort((x, y) => y - x),
    Array.from({ length: CHANGES }, (_, i) => CHANGES - i),
    'every earlier result once',
  );
  t.ok(Math.min(...changePages[0]!) > Math.max(...changePages[1]!), 'the first page holds the newest changes');
  const first = await get(url);
  const second = await get(hrefOf(first, 'reports_after', 'next')!);
  t.match(second, /rel="prev">이전</, 'the links are in Korean');
  t.same(reportNumbers(await get(hrefOf(second, 'reports_before', 'prev')!)), reportPages[0], 'previous walks back');
  for (const bad of ['zzz', Buffer.from('["x"]').toString('base64url'), Buffer.from('[0]').toString('base64url')]) {
    t.same(reportNumbers(await get(`${url}?reports_after=${bad}`)), reportPages[0], `a bad reports cursor (${bad})`);
    t.same(changeNumbers(await get(`${url}?checklist_after=${bad}`)), changeNumbers(first), 'a bad history cursor');
  }
  // Each item's folded history names its whole count, not the part of it on this page.
  const shownCounts = (html: string) => [...html.matchAll(/이전 평가 (\d+)건/g)].map((m) => Number(m[1]));
  const totals = SUITABILITY_ITEMS.map(
    (_, k) => Array.from({ length: CHANGES }, (_, i) => i + 1).filter((i) => i % SUITABILITY_ITEMS.length === k).length,
  );
  t.same(shownCounts(first), totals, `each item's earlier results counted in all (${totals.join(', ')})`);
  t.same(
    shownCounts(await get(hrefOf(first, 'checklist_after', 'next')!)).filter((n) => n > 0),
    totals.filter((_, k) => changePages[1]!.some((i) => i % SUITABILITY_ITEMS.length === k)),
    'and on the next page too',
  );
  t.match(await get(`${url}?lang=en`), /Earlier results \(\d+\)/, 'in English as well');
  t.match(await get(`${url}?lang=en`), /rel="next">Next</, 'and in English');
  t.match(first, `${VERSIONS}차`, 'the screen shows the newest version');
});

t.test('at the testing stage, the earlier reports are counted in all, not only those on the page', async (t) => {
  const app = await build(t);
  const a = await withLongLists(app);
  // The same application back under test review: its newest report is the one being decided.
  await app.db('applications').where({ id: a.id }).update({ stage: 'testing', status: 'submitted' });
  const url = `/staff/applications/${a.id}`;
  const first = await a.testingApprover.browser.get(url);
  t.equal(first.statusCode, 200);
  t.match(first.body, `이전 보고서 ${REPORTS - 1}건`, `${REPORTS - 1} earlier reports, though the page shows 19`);
  t.equal(reportNumbers(first.body).filter((n) => n < REPORTS).length, 19, 'the page itself holds 19 of them');
  const second = await a.testingApprover.browser.get(hrefOf(first.body, 'reports_after', 'next')!);
  t.match(second.body, `이전 보고서 ${REPORTS - 1}건`, 'the next page names the same total');
  const english = await a.testingApprover.browser.get(`${url}?lang=en`);
  t.match(english.body, `Earlier reports (${REPORTS - 1})`, 'and so does the English page');
});

t.test('GET /api/v1/applications/:id pages versions and reports with their own cursors', async (t) => {
  const app = await build(t);
  const a = await withLongLists(app);
  const owner = await apiAs(app, 'owner@test-fintech.example', 'correct-horse-1');
  const staff = await apiAs(app, a.testingApprover.user.email, STAFF_PASSWORD);
  const base = `/api/v1/applications/${a.id}`;
  for (const [who, api] of [
    ['owner', owner],
    ['staff', staff],
  ] as const) {
    const whole = await api.get(base);
    t.equal(whole.status, 200);
    t.equal(whole.body.application.versions.length, 50, `${who}: 50 versions by default`);
    t.equal(whole.body.application.versions[0].version, VERSIONS, 'newest first');
    t.ok(whole.body.application.versions_next);
    t.equal(whole.body.application.testing_reports.length, REPORTS, 'the reports fit on the first page');
    t.equal(whole.body.application.testing_reports_next, null);

    for (const [list, param, total] of [
      ['versions', 'versions', VERSIONS],
      ['testing_reports', 'testing_reports', REPORTS],
    ] as const) {
      const seen: number[] = [];
      const sizes: number[] = [];
      let next: string | null = null;
      do {
        const res = await api.get(`${base}?size=20${next ? `&${param}_after=${next}` : ''}`);
        t.equal(res.status, 200);
        sizes.push(res.body.application[list].length);
        seen.push(...res.body.application[list].map((x: { version: number }) => x.version));
        next = res.body.application[`${list}_next`];
      } while (next && sizes.length < 10);
      t.same(sizes, total === VERSIONS ? [20, 20, 15] : [20, 5], `${who} ${list}: pages of at most 20`);
      t.same(
        seen,
        Array.from({ length: total }, (_, i) => total - i),
        `${who} ${list}: every one once, newest first`,
      );
      const bad = await api.get(`${base}?${param}_after=zzz`);
      t.equal(bad.status, 422, `${who} ${list}: a bad cursor is a 422`);
      t.equal(bad.body.error.code, 'validation');
      t.match(JSON.stringify(bad.body), `${param}_after`, 'naming the parameter');
    }
    t.equal(
      (await api.get(`${base}?size=500`)).body.application.versions.length,
      VERSIONS,
      'a big size is capped at 100',
    );
    t.equal((await api.get(`${base}?after=x`)).status, 422, 'an unknown parameter is refused');
  }
  const other = await apiSignUp(app, { email: 'other@lists.example', organization: '다른핀테크' });
  t.equal((await other.get(base)).status, 404, "another organization's application is not found");
  t.equal((await other.get(`${base}?versions_after=${Buffer.from('[10]').toString('base64url')}`)).status, 404);
});

t.test('a page of versions, reports or earlier results is one range of an index, no sort', async (t) => {
  const app = await build(t);
  const pg = isPostgres(app.db);
  const a = await withLongLists(app);
  // Another application's history interleaved with this one's, as in any real database: with one application's rows
  // alone (or in one run) walking the seq (the primary key) would rightly look as good as the index.
  const other = await applicationAt(app, 'suitability', { email: 'second@lists.example' });
  await app.db.batchInsert(
    'suitability_checklist_history',
    Array.from({ length: 8000 }, (_, i) => ({
      application_id: i % 400 === 0 ? a.id : other.id,
      item: SUITABILITY_ITEMS[i % SUITABILITY_ITEMS.length],
      result: 'pass',
      note: null,
      set_by: null,
      set_at: '2026-11-04T00:00:00.000Z',
      replaced_at: '2026-11-05T00:00:00.000Z',
    })),
    500,
  );
  const newest = await app.db('suitability_checklist_history').where({ application_id: a.id }).max({ m: 'seq' });
  const after = Number(newest[0]!.m) - 1000;
  await analyzeOwnTables(app.db);
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  app.db.on('query', listen);
  const { workflow, onboarding } = app.services;
  const reviewer = a.testingApprover.user;
  await workflow.testingReports(a.id, { size: 5, after: [10] });
  await workflow.checklistWithHistory(a.id, { size: 5, after: [after] });
  await onboarding.loadVisibleRecord(reviewer, a.id, { size: 5, after: [40] });
  app.db.removeListener('query', listen);
  const reads = seen.filter(
    (q) =>
      /(testing_reports|suitability_checklist_history|application_versions)/.test(q.sql) && /order by/i.test(q.sql),
  );
  t.equal(reads.length, 3, 'one read per list');
  const expected = [
    ['testing_reports', /testing_reports_application_id_version_unique/],
    ['suitability_checklist_history', /suitability_checklist_history_page/],
    ['application_versions', /application_versions_application_id_version_unique/],
  ] as const;
  for (const [table, index] of expected) {
    const q = reads.find((r) => r.sql.includes(table))!;
    const plan = await orderedIndexPlan(app.db, q);
    if (pg) {
      t.notMatch(plan, new RegExp(`Seq Scan on ${table}`), `${table}: no full scan: ${plan}`);
      t.notMatch(plan, /\bSort\b/, `${table}: no sort: ${plan}`);
    } else {
      t.notMatch(plan, new RegExp(`SCAN (${table}|h)\\b(?!.*USING)`, 'm'), `${table}: no full scan: ${plan}`);
      t.notMatch(plan, /TEMP B-TREE/, `${table}: no sort: ${plan}`);
    }
    t.match(plan, index, `${table}: read along ${index}: ${plan}`);
  }
});
