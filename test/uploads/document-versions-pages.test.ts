// The documents pages show each kind's newest versions and page its older ones by a keyset cursor
// (src/uploads/version-pages.ts): stage 1's documents page and stage 4's pages (applicant and inspector).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { UploadedFile } from '../../src/uploads/multipart-upload';
import { VERSIONS_PER_PAGE } from '../../src/uploads/version-pages';
import { build, signUp, type Browser } from '../helpers/build';
import { SAMPLE_FILES } from '../helpers/multipart';
import { startApplication, uploadDocument } from '../helpers/onboarding';
import { sqlDuring, withoutSessionRead } from '../helpers/sql-during';
import { applicationAt } from '../helpers/stage-shortcut';
import { apiAs } from '../api/fixtures/api-client';
import { staffUser } from '../helpers/workflow';

t.setTimeout(360_000);

const pdf = (n: number) => new UploadedFile(`report-${n}.pdf`, 'application/pdf', SAMPLE_FILES.pdf, false);

/** The section of one kind on a documents page. */
function section(html: string, kind: string): string {
  const start = html.indexOf(`id="document-${kind}"`);
  if (start < 0) throw new Error(`no section for ${kind}`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}
/** The versions a section lists, in page order. */
const versionsIn = (html: string) => [...html.matchAll(/<td>v(\d+)<\/td>/g)].map((m) => Number(m[1]));
/** The href of a link in a section (rel="next": older, rel="prev": newer), unescaped and without its anchor. */
function link(html: string, rel: 'next' | 'prev'): string | null {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
  return m
    ? m[1]!
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=')
        .replace(/#.*$/, '')
    : null;
}

/** Follows the "earlier versions" links of one kind from the first page; the versions of every page seen. */
async function walkOlder(b: Browser, url: string, kind: string, label: string) {
  const pages: number[][] = [];
  let next: string | null = url;
  while (next && pages.length < 10) {
    const res = await b.get(next);
    if (res.statusCode !== 200) throw new Error(`${next}: ${res.statusCode}`);
    const s = section(res.body, kind);
    pages.push(versionsIn(s));
    if (pages.length === 1) {
      if (!s.includes(label)) throw new Error(`no "${label}" link on the first page`);
    }
    next = link(s, 'next');
  }
  return pages;
}

async function securityWithVersions(app: FastifyInstance, versions: number) {
  const a = await applicationAt(app, 'security');
  for (let i = 1; i <= versions; i++)
    await app.services.inspection.uploadDocument(a.owner, a.id, 'self_assessment', pdf(i));
  await app.services.inspection.uploadDocument(a.owner, a.id, 'vulnerability_scan', pdf(1));
  return a;
}

t.test('a security document with 12 versions shows the newest 5, the count, and pages to the oldest', async (t) => {
  const app = await build(t);
  const a = await securityWithVersions(app, 12);
  const url = `/applications/${a.id}/security`;
  const first = await a.browser.get(url);
  t.equal(first.statusCode, 200);
  const s = section(first.body, 'self_assessment');
  t.equal(VERSIONS_PER_PAGE, 5);
  t.same(versionsIn(s), [12, 11, 10, 9, 8], 'the newest five, newest first');
  t.match(s, '버전 12개 중 v12–v8', 'the number of versions is shown');
  t.match(s, '이전 버전 더 보기');
  t.match(s, '<span class="tag tag-green">', 'still shown as uploaded');
  t.same(versionsIn(section(first.body, 'vulnerability_scan')), [1], 'a kind with one version is unchanged');
  t.notMatch(section(first.body, 'vulnerability_scan'), 'rel="next"', 'and has no paging links');

  const pages = await walkOlder(a.browser, url, 'self_assessment', '이전 버전 더 보기');
  t.same(
    pages,
    [
      [12, 11, 10, 9, 8],
      [7, 6, 5, 4, 3],
      [2, 1],
    ],
    'the walk visits every version once',
  );

  // Back from the oldest page: "later versions" and "latest versions" links.
  const second = link(s, 'next')!;
  const third = link(section((await a.browser.get(second)).body, 'self_assessment'), 'next')!;
  const last = section((await a.browser.get(third)).body, 'self_assessment');
  t.match(last, '버전 12개 중 v2–v1');
  t.match(last, '최신 버전으로');
  t.same(versionsIn(section((await a.browser.get(link(last, 'prev')!)).body, 'self_assessment')), [7, 6, 5, 4, 3]);
  const other = section((await a.browser.get(third)).body, 'vulnerability_scan');
  t.same(versionsIn(other), [1], 'the other kinds keep their first page');

  // The download link of an older version still works.
  const fileId = /href="\/applications\/[^/]+\/security\/files\/([0-9a-f-]{36})"/.exec(last)![1]!;
  const row = await app.db('security_files').where({ id: fileId }).first();
  t.equal(row.version, 2);
  t.equal((await a.browser.get(`${url}/files/${fileId}`)).statusCode, 200);

  // The inspector's page pages the same way, with links to the staff page.
  const inspector = await staffUser(app, 'inspector', 'inspector-versions@staff.example');
  const staffUrl = `/staff/applications/${a.id}/security`;
  const staffPages = await walkOlder(inspector.browser, staffUrl, 'self_assessment', '이전 버전 더 보기');
  t.same(staffPages, [
    [12, 11, 10, 9, 8],
    [7, 6, 5, 4, 3],
    [2, 1],
  ]);
  t.match(link(section((await inspector.browser.get(staffUrl)).body, 'self_assessment'), 'next'), /^\/staff\//);

  // The JSON API lists 20 versions of a kind unless asked (test/api/document-versions-api.test.ts): all 12 here.
  const api = await apiAs(app, 'owner@test-fintech.example', 'correct-horse-1');
  const json = await api.get(`/api/v1/applications/${a.id}/documents`);
  t.equal(json.status, 200, JSON.stringify(json.body).slice(0, 300));
  const listed = json.body.documents.find((d: { kind: string }) => d.kind === 'self_assessment');
  t.same(
    listed.versions.map((v: { version: number }) => v.version),
    [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
  );
  t.same([listed.total_versions, listed.next], [12, null]);

  const en = await a.browser.get(`${url}?lang=en`);
  t.match(section(en.body, 'self_assessment'), 'Earlier versions');
});

t.test('a kind or cursor the page did not give out shows the first page, never an error', async (t) => {
  const app = await build(t);
  const a = await securityWithVersions(app, 7);
  const url = `/applications/${a.id}/security`;
  const valid = link(section((await a.browser.get(url)).body, 'self_assessment'), 'next')!;
  const cursor = new URLSearchParams(valid.split('?')[1]).get('after')!;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  for (const query of [
    `kind=self_assessment&after=not-a-cursor`,
    `kind=self_assessment&after=${b64(['3'])}`,
    `kind=self_assessment&after=${b64([3, 4])}`,
    `kind=self_assessment&after=${cursor}&before=${cursor}`,
    `kind=self_assessment&after=${b64([1])}`,
    `kind=self_assessment&before=${b64([999])}`,
    `kind=unknown_kind&after=${cursor}`,
    `kind=remediation:x&after=${cursor}`,
    `kind=self_assessment&kind=vulnerability_scan&after=${cursor}`,
    `after=${cursor}`,
    `kind=self_assessment`,
    `kind=self_assessment&after=${'A'.repeat(5000)}`,
  ]) {
    const res = await a.browser.get(`${url}?${query}`);
    t.equal(res.statusCode, 200, query);
    t.same(versionsIn(section(res.body, 'self_assessment')), [7, 6, 5, 4, 3], `${query}: the first page`);
  }
  t.same(
    versionsIn(section((await a.browser.get(`${url}?kind=self_assessment&after=${cursor}`)).body, 'self_assessment')),
    [2, 1],
  );
});

t.test('the number of statements a documents page runs does not grow with the number of versions', async (t) => {
  const app = await build(t);
  const a = await securityWithVersions(app, 2);
  const url = `/applications/${a.id}/security`;
  const count = async (u: string) => {
    const sql = withoutSessionRead(await sqlDuring(app, () => a.browser.get(u)));
    return { all: sql.length, files: sql.filter((s) => s.includes('security_files')).length };
  };
  await a.browser.get(url); // warm: the session and caches as on any later visit
  const few = await count(url);
  for (let i = 3; i <= 30; i++) await app.services.inspection.uploadDocument(a.owner, a.id, 'self_assessment', pdf(i));
  const many = await count(url);
  t.same(many, few, '2 versions and 30 versions: the same statements');
  t.ok(many.files <= 2, `the files are read in at most two statements (${many.files})`);
  const older = link(section((await a.browser.get(url)).body, 'self_assessment'), 'next')!;
  const paged = await count(older);
  t.equal(paged.files, many.files + 1, 'an older page adds one statement');
  const deeper = link(section((await a.browser.get(older)).body, 'self_assessment'), 'next')!;
  t.same(await count(deeper), paged, 'and the same one however deep');
});

t.test("the application documents page pages a document's versions the same way", async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'versions@docs.example' });
  const id = await startApplication(b);
  for (let i = 0; i < 12; i++) {
    const res = await uploadDocument(b, id, 'business_registration');
    t.equal(res.statusCode, 303);
  }
  const url = `/applications/${id}/documents`;
  const first = section((await b.get(url)).body, 'business_registration');
  t.same(versionsIn(first), [12, 11, 10, 9, 8]);
  t.match(first, '버전 12개 중 v12–v8');
  t.match(first, 'type="file"', 'the upload form is still there');
  t.same(await walkOlder(b, url, 'business_registration', '이전 버전 더 보기'), [
    [12, 11, 10, 9, 8],
    [7, 6, 5, 4, 3],
    [2, 1],
  ]);
  const bad = await b.get(`${url}?kind=business_registration&after=zzz`);
  t.equal(bad.statusCode, 200);
  t.same(versionsIn(section(bad.body, 'business_registration')), [12, 11, 10, 9, 8]);
  const sqlFew = withoutSessionRead(await sqlDuring(app, () => b.get(url)));
  await uploadDocument(b, id, 'business_registration');
  await uploadDocument(b, id, 'business_registration');
  await b.get(url); // shows (and clears) the upload's flash message, as sqlFew's visit had none
  const sqlMore = withoutSessionRead(await sqlDuring(app, () => b.get(url)));
  t.equal(sqlMore.length, sqlFew.length, 'the page runs the same number of statements with more versions');
});
