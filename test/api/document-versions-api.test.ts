// Rule: the JSON API's documents lists (stage 1's /application-documents, stage 4's /documents) are bounded:
// `size` versions of each kind (20 unless asked, at most 100), newest first, each kind with its number of
// versions and the `next` cursor of its older versions; `?kind=&after=` walks one kind to its oldest version,
// every version once. A cursor the list did not give out, or `after` without `kind`, is a 422 with the error
// envelope; another organization's application is a 404 (src/uploads/version-pages.ts, src/api/document-versions.ts).
import t from 'tap';
import { UploadedFile } from '../../src/uploads/multipart-upload';
import { API_VERSIONS_DEFAULT } from '../../src/uploads/version-pages';
import { build, signUp } from '../helpers/build';
import { SAMPLE_FILES } from '../helpers/multipart';
import { startApplication, uploadDocument } from '../helpers/onboarding';
import { applicationAt } from '../helpers/stage-shortcut';
import { apiAs, apiSignUp, type ApiClient } from './fixtures/api-client';

const pdf = (n: number) => new UploadedFile(`report-${n}.pdf`, 'application/pdf', SAMPLE_FILES.pdf, false);

interface Listed {
  kind: string;
  versions: { version: number }[];
  total_versions: number;
  next: string | null;
}
const kindIn = (body: { documents: Listed[] }, kind: string) => body.documents.find((d) => d.kind === kind)!;
const numbers = (d: Listed) => d.versions.map((v) => v.version);

/** Follows one kind's `next` cursors from the first page; the versions of every page. */
async function walk(api: ApiClient, url: string, kind: string, size: number) {
  const pages: number[][] = [];
  let res = await api.get(`${url}?size=${size}`);
  for (;;) {
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    const d = kindIn(res.body, kind);
    pages.push(numbers(d));
    if (!d.next || pages.length > 30) return pages;
    res = await api.get(`${url}?kind=${kind}&after=${d.next}&size=${size}`);
  }
}

t.test('the security documents list answers a bounded page of each kind and walks to the oldest', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  for (let i = 1; i <= 23; i++) await app.services.inspection.uploadDocument(a.owner, a.id, 'self_assessment', pdf(i));
  await app.services.inspection.uploadDocument(a.owner, a.id, 'vulnerability_scan', pdf(1));
  const api = await apiAs(app, 'owner@test-fintech.example', 'correct-horse-1');
  const url = `/api/v1/applications/${a.id}/documents`;

  const first = await api.get(url);
  t.equal(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  const self = kindIn(first.body, 'self_assessment');
  t.equal(API_VERSIONS_DEFAULT, 20);
  t.same(numbers(self), [23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4], 'the newest 20');
  t.equal(self.total_versions, 23, 'and how many there are');
  t.type(self.next, 'string', 'with a cursor to the older ones');
  const scan = kindIn(first.body, 'vulnerability_scan');
  t.same([numbers(scan), scan.total_versions, scan.next], [[1], 1, null], 'a kind with one version has no cursor');

  const rest = await api.get(`${url}?kind=self_assessment&after=${self.next}`);
  t.equal(rest.status, 200);
  t.same(numbers(kindIn(rest.body, 'self_assessment')), [3, 2, 1], 'the next page holds the oldest three');
  t.equal(kindIn(rest.body, 'self_assessment').next, null, 'and ends the walk');
  t.same(numbers(kindIn(rest.body, 'vulnerability_scan')), [1], 'the other kinds keep their first page');

  const pages = await walk(api, url, 'self_assessment', 7);
  t.same(pages, [
    [23, 22, 21, 20, 19, 18, 17],
    [16, 15, 14, 13, 12, 11, 10],
    [9, 8, 7, 6, 5, 4, 3],
    [2, 1],
  ]);
  const all = pages.flat();
  t.equal(new Set(all).size, 23, 'the walk lists every version once');

  const capped = await api.get(`${url}?size=5000`);
  t.equal(capped.status, 200);
  t.equal(numbers(kindIn(capped.body, 'self_assessment')).length, 23, 'a size above the cap is the cap (100)');

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  for (const query of [
    'kind=self_assessment&after=not-a-cursor',
    `kind=self_assessment&after=${b64(['3'])}`,
    `kind=self_assessment&after=${b64([3, 4])}`,
    `after=${self.next}`,
  ]) {
    const res = await api.get(`${url}?${query}`);
    t.equal(res.status, 422, `${query}: 422`);
    t.type(res.body.error?.code, 'string', `${query}: the error envelope`);
  }
  for (const query of ['kind=remediation:x&after=x', 'size=0', 'size=abc', 'page=2']) {
    const res = await api.get(`${url}?${query}`);
    t.ok(res.status === 400 || res.status === 422, `${query}: refused (${res.status})`);
    t.type(res.body.error?.code, 'string', `${query}: the error envelope`);
  }

  const other = await apiSignUp(app, { email: 'other-org@versions.example', organization: '다른핀테크' });
  t.equal((await other.get(url)).status, 404, "another organization's documents are not found");
  t.equal((await other.get(`${url}?kind=self_assessment&after=${self.next}`)).status, 404, 'nor paged');
});

t.test('the application documents list pages the same way', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'api-versions@docs.example' });
  const id = await startApplication(b);
  for (let i = 0; i < 8; i++) t.equal((await uploadDocument(b, id, 'business_registration')).statusCode, 303);
  const api = await apiAs(app, 'api-versions@docs.example', 'correct-horse-1');
  const url = `/api/v1/applications/${id}/application-documents`;
  const first = await api.get(url);
  t.equal(first.status, 200);
  const d = kindIn(first.body, 'business_registration');
  t.same([numbers(d), d.total_versions, d.next], [[8, 7, 6, 5, 4, 3, 2, 1], 8, null], 'fewer than 20: all, no cursor');
  t.same(await walk(api, url, 'business_registration', 3), [
    [8, 7, 6],
    [5, 4, 3],
    [2, 1],
  ]);
  const bad = await api.get(`${url}?kind=business_registration&after=zzz`);
  t.equal(bad.status, 422);
  t.equal(bad.body.error.code, 'validation');
});
