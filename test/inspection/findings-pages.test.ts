// Rule: the security inspection's findings are read a bounded page at a time (issue 16), most severe first, then
// oldest first: the inspector's and the applicant's pages show 50 findings with next / previous links
// (?findings_after= / ?findings_before=; a cursor the page did not give out shows the first page), and
// GET /api/v1/applications/:id/findings answers `size` findings (50 unless asked, at most 100) with a `next`
// cursor (a cursor it did not give out is a 422 with the error envelope). Only the remediations of the page's
// findings are read. Another organization's findings are never shown. Each page is one range of the index
// security_findings_page on SQLite and PostgreSQL (EXPLAIN below).
import t from 'tap';
import type { Knex } from 'knex';
import { isPostgres } from '../../src/db/knex';
import { SEVERITIES } from '../../src/inspection/finding-lifecycle';
import { build } from '../helpers/build';
import { postMultipart } from '../helpers/multipart';
import { applicationAt, inspectionAt } from '../helpers/stage-shortcut';
import { apiAs, apiSignUp, type ApiClient } from '../api/fixtures/api-client';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';

const FINDINGS = 55;

interface Row {
  id: string;
  severity: string;
  created_at: string;
}

/** The findings in the lists' order, read straight from the table. */
async function expectedOrder(db: Knex, applicationId: string): Promise<string[]> {
  const rows: Row[] = await db('security_findings')
    .where({ application_id: applicationId })
    .select('id', 'severity', 'created_at');
  const rank = (r: Row) => SEVERITIES.indexOf(r.severity as (typeof SEVERITIES)[number]);
  rows.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0) ||
      (a.id < b.id ? -1 : 1),
  );
  return rows.map((r) => r.id);
}

const articleIds = (html: string) =>
  [...html.matchAll(/class="security-finding" id="finding-([^"]+)"/g)].map((m) => m[1]!);
/** The href of the pager's link that sets `param` (the page escapes `=` and `&` in attributes). */
const hrefOf = (html: string, param: string) => {
  const m = new RegExp(`href="([^"]*[?&]${param}(?:=|&#x3D;)[^"#]+)[^"]*" rel="(?:next|prev)"`).exec(html);
  return m ? m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
};

async function walkApi(api: ApiClient, url: string, size: number): Promise<string[][]> {
  const pages: string[][] = [];
  let res = await api.get(`${url}?size=${size}`);
  for (;;) {
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    pages.push(res.body.findings.map((f: { id: string }) => f.id));
    if (!res.body.next || pages.length > 30) return pages;
    res = await api.get(`${url}?size=${size}&after=${res.body.next}`);
  }
}

t.test('findings are paged on the pages and in the API, every finding once, in order', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  const { inspection } = app.services;
  for (let i = 0; i < FINDINGS; i++)
    await inspection.recordFinding(s.inspector.user, s.id, {
      severity: SEVERITIES[i % 4],
      title: `발견사항 ${i}`,
      description: `설명 ${i}`,
    });
  const order = await expectedOrder(app.db, s.id);
  t.equal(order.length, FINDINGS);
  // The last finding in the order (a low one) is on the second page: it is answered there, with its remediation.
  const lastId = order[FINDINGS - 1]!;
  await inspection.remediate(s.owner, s.id, lastId, { text: '조치 완료: 두 번째 쪽', file: null });

  // ------------------------------------------------------------------ the inspector's page
  const staff1 = await s.inspector.browser.get(s.staffPage);
  t.equal(staff1.statusCode, 200);
  t.same(articleIds(staff1.body), order.slice(0, 50), 'the first page: the 50 most severe, oldest first');
  const next = hrefOf(staff1.body, 'findings_after');
  t.ok(next, 'with a link to the next page');
  t.notOk(hrefOf(staff1.body, 'findings_before'), 'and none to a previous one');
  const staff2 = await s.inspector.browser.get(next!);
  t.equal(staff2.statusCode, 200);
  t.same(articleIds(staff2.body), order.slice(50), 'the second page: the other 5');
  t.match(staff2.body, '조치 완료: 두 번째 쪽', "a second-page finding's remediation is shown there");
  t.notOk(hrefOf(staff2.body, 'findings_after'), 'the last page has no next link');
  const back = hrefOf(staff2.body, 'findings_before');
  t.ok(back, 'and a link back');
  t.same(articleIds((await s.inspector.browser.get(back!)).body), order.slice(0, 50), 'which is the first page');
  t.notMatch(staff1.body, '조치 완료: 두 번째 쪽', 'the first page does not show it');

  for (const bad of [
    'findings_after=not-a-cursor',
    'findings_before=eyJ4IjoxfQ',
    `findings_after=${'A'.repeat(500)}`,
  ]) {
    const res = await s.inspector.browser.get(`${s.staffPage}?${bad}`);
    t.equal(res.statusCode, 200, `${bad.slice(0, 30)}: not an error`);
    t.same(articleIds(res.body), order.slice(0, 50), `${bad.slice(0, 30)}: the first page`);
  }
  const past = Buffer.from(JSON.stringify([9, 'z', 'z'])).toString('base64url');
  t.same(
    articleIds((await s.inspector.browser.get(`${s.staffPage}?findings_after=${past}`)).body),
    order.slice(0, 50),
    'a cursor past the last finding shows the first page, not "no findings"',
  );

  // ------------------------------------------------------------------ the applicant's page
  const applicantPage = `/applications/${s.id}/security`;
  const own1 = await s.browser.get(applicantPage);
  t.equal(own1.statusCode, 200);
  t.same(articleIds(own1.body), order.slice(0, 50), "the applicant's page: the same first page");
  const ownNext = hrefOf(own1.body, 'findings_after');
  t.same(articleIds((await s.browser.get(ownNext!)).body), order.slice(50), 'and the same second page');

  // ------------------------------------------------------------------ the JSON API
  const api = await apiAs(app, 'owner@test-fintech.example', 'correct-horse-1');
  const url = `/api/v1/applications/${s.id}/findings`;
  const first = await api.get(url);
  t.equal(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  t.equal(first.body.findings.length, 50, 'the API answers 50 unless asked');
  t.type(first.body.next, 'string', 'with a next cursor');
  t.equal(
    first.body.open_critical_or_high,
    Math.ceil(FINDINGS / 4) + Math.ceil((FINDINGS - 1) / 4),
    'counted over every page',
  );
  const pages = await walkApi(api, url, 7);
  t.same(
    pages.map((p) => p.length),
    [7, 7, 7, 7, 7, 7, 7, 6],
    'size=7: pages of at most 7',
  );
  t.same(pages.flat(), order, 'walking the cursor lists every finding once, in order');
  const capped = await api.get(`${url}?size=5000`);
  t.equal(capped.status, 200);
  t.equal(capped.body.findings.length, FINDINGS, 'a size above the cap is the cap (100)');
  t.equal(capped.body.next, null, 'and no next page when all fit');
  const lastJson = capped.body.findings.find((f: { id: string }) => f.id === lastId);
  t.same(
    lastJson.remediations.map((m: { text: string }) => m.text),
    ['조치 완료: 두 번째 쪽'],
    'a finding carries its remediations',
  );

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  for (const after of ['not-a-cursor', b64(['0', 'a', 'b']), b64([0, 'a']), b64({ a: 1 })]) {
    const res = await api.get(`${url}?after=${after}`);
    t.equal(res.status, 422, `after=${after.slice(0, 20)}: 422`);
    t.equal(res.body.error?.code, 'validation', 'with the error envelope');
  }
  for (const query of ['size=0', 'size=abc', 'page=2', 'before=x']) {
    const res = await api.get(`${url}?${query}`);
    t.ok(res.status === 400 || res.status === 422, `${query}: refused (${res.status})`);
    t.type(res.body.error?.code, 'string', `${query}: the error envelope`);
  }

  // A finding on the second page is found by the API's finding routes (they read it by id, not from page one).
  const answered = await api.post(`${url}/${order[FINDINGS - 2]}/remediation`, { text: '두 번째 쪽의 다른 조치' });
  t.ok(answered.status === 200 || answered.status === 201, `remediating a second-page finding: ${answered.status}`);
  t.equal(answered.body.finding?.id, order[FINDINGS - 2], 'answers that finding');

  // ------------------------------------------------------------------ another organization
  const other = await apiSignUp(app, { email: 'other-org@findings.example', organization: '다른핀테크' });
  t.equal((await other.get(url)).status, 404, "another organization's findings are not found");
  t.equal((await other.get(`${url}?after=${first.body.next}`)).status, 404, 'nor paged');
  const otherApp = await applicationAt(app, 'security:submitted', { email: 'second-owner@findings.example' });
  const otherPage = await otherApp.browser.get(`/applications/${otherApp.id}/security`);
  t.equal(otherPage.statusCode, 200);
  t.same(articleIds(otherPage.body), [], "an organization's own page shows none of another's findings");
  const crossed = await otherApp.browser.get(`${applicantPage}?findings_after=${first.body.next}`);
  t.equal(crossed.statusCode, 404, "and it cannot open another organization's page with a cursor");
});

t.test('a form about a finding on a later page re-renders and redirects to the page that shows it', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  for (let i = 0; i < FINDINGS; i++)
    await app.services.inspection.recordFinding(s.inspector.user, s.id, {
      severity: SEVERITIES[i % 4],
      title: `발견사항 ${i}`,
      description: `설명 ${i}`,
    });
  const order = await expectedOrder(app.db, s.id);
  const late = order[FINDINGS - 3]!;
  const applicantPage = `/applications/${s.id}/security`;
  const remediationUrl = `${applicantPage}/findings/${late}/remediation`;

  const empty = await postMultipart(s.browser, remediationUrl, { text: '' }, [], { formUrl: applicantPage });
  t.equal(empty.statusCode, 422, 'an empty remediation is refused');
  t.ok(articleIds(empty.body).includes(late), 'the re-rendered page shows the finding with its error');
  t.match(empty.body, `id="remediation-${late}-error"`);

  const sent = await postMultipart(s.browser, remediationUrl, { text: '조치했습니다' }, [], { formUrl: applicantPage });
  t.equal(sent.statusCode, 303);
  const location = String(sent.headers.location);
  t.match(location, /\?findings_after=[A-Za-z0-9_-]+#finding-/, `redirected to the finding's page: ${location}`);
  t.ok(articleIds((await s.browser.get(location)).body).includes(late), 'which shows it');

  const noReason = await s.inspector.browser.post(
    `${s.staffPage}/findings/${late}/reopen`,
    { note: ' ' },
    { formUrl: s.staffPage },
  );
  t.equal(noReason.statusCode, 422, 'reopening without a reason is refused');
  t.ok(articleIds(noReason.body).includes(late), "the inspector's re-rendered page shows the finding");

  const first = order[1]!;
  const onFirst = await postMultipart(
    s.browser,
    `${applicantPage}/findings/${first}/remediation`,
    { text: '조치' },
    [],
    {
      formUrl: applicantPage,
    },
  );
  t.equal(
    String(onFirst.headers.location),
    `${applicantPage}#finding-${first}`,
    'a first-page finding: the page as before',
  );
});

t.test('a findings page and its remediations are read along an index, not a scan or a sort', async (t) => {
  const app = await build(t);
  const s = await inspectionAt(app);
  for (let i = 0; i < 30; i++)
    await app.services.inspection.recordFinding(s.inspector.user, s.id, {
      severity: SEVERITIES[i % 4],
      title: `발견사항 ${i}`,
      description: '설명',
    });
  const pg = isPostgres(app.db);
  await analyzeOwnTables(app.db);
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  app.db.on('query', listen);
  const first = await app.services.inspection.view(s.inspector.user, s.id, null, undefined, { size: 10 });
  t.equal(first.findings.length, 10);
  t.ok(first.findingsNext);
  const cursor = JSON.parse(Buffer.from(first.findingsNext!, 'base64url').toString('utf8'));
  await app.services.inspection.view(s.inspector.user, s.id, null, undefined, { size: 10, after: cursor });
  app.db.removeListener('query', listen);

  const pageSql = seen.filter((q) => /from\s+["`]security_findings["`]/i.test(q.sql) && /order by/i.test(q.sql));
  t.equal(pageSql.length, 2, 'two page reads (first page, page after a cursor)');
  const remediationSql = seen.filter((q) => /security_remediations/i.test(q.sql));
  t.ok(remediationSql.length >= 2, 'and the remediations of each page');
  for (const q of [...pageSql, ...remediationSql]) {
    const plan = await orderedIndexPlan(app.db, q);
    if (pg) {
      t.notMatch(plan, /Seq Scan on security_(findings|remediations)/, `no full scan: ${plan}`);
    } else {
      t.notMatch(plan, /^SCAN (m|security_findings|security_remediations)\b(?!.*USING)/m, `no full scan: ${plan}`);
    }
    if (/from\s+["`]security_findings["`]/i.test(q.sql)) {
      t.match(plan, /security_findings_page/, `a findings page reads the index security_findings_page: ${plan}`);
      t.notMatch(plan, pg ? /\bSort\b/ : /TEMP B-TREE/, `and needs no sort: ${plan}`);
    }
  }
});
