// Rule: the trails the pages show are read a bounded page at a time, newest first, by keyset cursor
// (audit.pageForApplication): the security inspection pages' history (50 a page, only stage 4's events, staff
// see internal notes) and the applicant home's timeline (20 a page, never internal notes). Walking the "next"
// links visits every event once; a cursor the page did not give out shows the first page. The testing page
// and the applicant home read the latest change request as one row (audit.latestOf), not the whole trail.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, type Browser } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { sqlDuring } from '../helpers/sql-during';
import { staffUser } from '../helpers/workflow';

/** The href of the pager's link (rel next/prev) after `anchor`, unescaped. */
function pagerLink(html: string, rel: 'next' | 'prev'): string | null {
  const nav = html.slice(html.lastIndexOf('<nav class="pagination"'));
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(nav);
  return m
    ? m[1]!
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=')
        .replace(/#.*$/, '')
    : null;
}

/** The numbers `mark-<n>` found in `part` of the page, in page order. */
const marks = (part: string) => [...part.matchAll(/mark-(\d+)/g)].map((m) => Number(m[1]));

async function walk(b: Browser, url: string, part: (html: string) => string) {
  const pages: number[][] = [];
  let next: string | null = url;
  while (next && pages.length < 10) {
    const res = await b.get(next);
    if (res.statusCode !== 200) throw new Error(`${next}: ${res.statusCode}`);
    pages.push(marks(part(res.body)));
    next = pagerLink(res.body, 'next');
  }
  return pages;
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from > to ? from - i : from + i));

async function record(app: FastifyInstance, applicationId: string, event: string, n: number, internal = false) {
  await app.services.audit.record({
    event,
    actor: { userId: null, label: 'system' },
    applicationId,
    reason: `mark-${n}`,
    internal,
  });
}

t.test('the security pages show the stage history 50 events at a time, newest first', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  await record(app, a.id, 'application.internal_note', 1000, true); // not a security event
  for (let i = 1; i <= 120; i++) await record(app, a.id, 'security.document_uploaded', i, i % 10 === 0);
  const part = (html: string) => html.slice(html.indexOf('id="history"'));
  const url = `/applications/${a.id}/security`;

  const pages = await walk(a.browser, url, part);
  const visible = range(120, 1).filter((i) => i % 10 !== 0);
  t.same(pages.flat(), visible, 'the applicant walks every event of the stage once, newest first, no internal ones');
  t.ok(
    pages.every((p) => p.length <= 50),
    `at most 50 a page (${pages.map((p) => p.length)})`,
  );
  t.same(
    pages.map((p) => p.length),
    [50, 50, 8],
  );
  t.notMatch(part((await a.browser.get(url)).body), 'mark-1000', 'events of other stages are not listed');

  const inspector = await staffUser(app, 'inspector', 'inspector-history@staff.example');
  const staffPages = await walk(inspector.browser, `/staff/applications/${a.id}/security`, part);
  t.same(staffPages.flat(), range(120, 1), 'the inspector sees the internal ones too');

  // Back: the second page's "previous" link shows the newest 50 again.
  const first = await a.browser.get(url);
  const second = await a.browser.get(pagerLink(first.body, 'next')!);
  t.same(marks(part((await a.browser.get(pagerLink(second.body, 'prev')!)).body)), visible.slice(0, 50));

  for (const q of ['history_after=nope', 'history_before=%5B1%5D', `history_after=${'A'.repeat(2000)}`]) {
    const res = await a.browser.get(`${url}?${q}`);
    t.equal(res.statusCode, 200, `${q.slice(0, 40)}: 200`);
    t.same(marks(part(res.body)), visible.slice(0, 50), `${q.slice(0, 40)}: the first page`);
  }

  const sql = await sqlDuring(app, () => a.browser.get(url));
  const trail = sql.filter((s) => /from\s+["`]?audit_events/i.test(s));
  t.ok(trail.length >= 1, 'the history is read from the trail');
  t.ok(
    trail.every((s) => /limit/i.test(s)),
    `every read of the trail is limited (${trail.length})`,
  );
});

t.test('the applicant home shows the timeline 20 events at a time, never internal notes', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'suitability');
  const before = await app.services.audit.pageForApplication(a.id, { includeInternal: false }, { size: 100 });
  for (let i = 1; i <= 45; i++) await record(app, a.id, 'application.comment', i, i % 5 === 0);
  const part = (html: string) => html.slice(html.indexOf('id="timeline-title"'), html.indexOf('</aside>'));
  const pages = await walk(a.browser, '/applications', part);
  const visible = range(45, 1).filter((i) => i % 5 !== 0);
  const counts = pages.map((p) => p.length);
  t.same(pages.flat(), visible, 'every visible event once, newest first (then the earlier trail, unmarked)');
  t.ok(
    counts.every((n) => n <= 20),
    `at most 20 a page (${counts})`,
  );
  // The unmarked events (draft, submission …) follow on the last pages: the walk covers them too.
  const total = (await app.services.audit.pageForApplication(a.id, { includeInternal: false }, { size: 100 })).rows
    .length;
  t.equal(total, before.rows.length + visible.length, 'only visible events are counted');
  t.equal(pages.length, Math.ceil(total / 20), 'one page per 20 visible events');
  const bad = await a.browser.get('/applications?timeline_after=zzz');
  t.equal(bad.statusCode, 200);
  t.same(marks(part(bad.body)), visible.slice(0, 20), 'a bad cursor shows the first page');
});
