// Rule (src/pagination/cursor.ts): every list a person can page through is read a bounded page at a time by
// an opaque keyset cursor; `?size=` is capped at 100; walking the "next" links visits every row exactly once
// and the "previous" links walk back the same pages; a cursor the list did not give out is never a 500
// (pages show the first page, the JSON API answers 422).
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import type { Browser } from '../helpers/build';
import { grownApp, listReaders } from '../helpers/scale';
import { decodeCursor, encodeCursor, PAGE_SIZE_MAX, pageSizeOf, readPageRequest } from '../../src/pagination/cursor';
import { demoHistoryAccount } from '../../bench/scale-data';

t.setTimeout(600_000);

t.test('a cursor reads back only in the shape its list gave out', async (t) => {
  const c = encodeCursor(['2026-12-04T00:00:00.000Z', 'abc']);
  t.match(c, /^[A-Za-z0-9_-]+$/, 'opaque base64url');
  t.same(decodeCursor(c, ['string', 'string']), ['2026-12-04T00:00:00.000Z', 'abc']);
  t.equal(decodeCursor(c, ['string', 'integer']), null, 'wrong types');
  t.equal(decodeCursor(c, ['string']), null, 'wrong length');
  for (const bad of [
    '',
    '!!!',
    'abc',
    encodeCursor([1.5]),
    Buffer.from('{"a":1}').toString('base64url'),
    'x'.repeat(500),
  ])
    t.equal(decodeCursor(bad, ['integer']), null, `malformed: ${bad.slice(0, 20)}`);
  t.same(decodeCursor(encodeCursor([42]), ['integer']), [42]);
});

t.test('a page size is bounded: above 100 is 100, nonsense is the default', async (t) => {
  t.equal(pageSizeOf('1000'), PAGE_SIZE_MAX);
  t.equal(pageSizeOf('999999999999'), 50);
  t.equal(pageSizeOf('7'), 7);
  for (const bad of [undefined, '', '0', '-3', 'abc', '1e3']) t.equal(pageSizeOf(bad), 50, `default for ${bad}`);
  t.equal(pageSizeOf(['5', '6']), 5, 'a repeated parameter: the first');
  const r = readPageRequest({ after: 'nonsense', size: '1000' }, ['integer']);
  t.same(r, { page: { size: 100 }, malformed: 'after' }, 'a malformed cursor is reported and reads as the first page');
  t.equal(readPageRequest({ after: encodeCursor([1]), before: encodeCursor([2]) }, ['integer']).malformed, 'before');
});

/** The address of a page's next or previous link, as a browser reads it (HTML entities decoded). */
function linkOf(body: string, rel: 'next' | 'prev'): string | undefined {
  return new RegExp(`href="([^"]+)" rel="${rel}"`)
    .exec(body)?.[1]
    ?.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** Follows the "next" links from `url`, collecting what `rowIds` finds on every page. */
async function walk(
  who: Browser,
  url: string,
  rowIds: (body: string) => string[],
): Promise<{ ids: string[]; pages: string[] }> {
  const ids: string[] = [];
  const pages: string[] = [];
  let next: string | undefined = url;
  while (next && pages.length < 500) {
    const res = await who.get(next);
    if (res.statusCode !== 200) throw new Error(`${next}: ${res.statusCode}`);
    pages.push(next);
    ids.push(...rowIds(res.body));
    next = linkOf(res.body, 'next');
  }
  return { ids, pages };
}

/** Walks back from the last page by the "previous" links: the same rows in the same order. */
async function walkBack(who: Browser, lastPage: string, rowIds: (body: string) => string[]): Promise<string[]> {
  const pages: string[][] = [];
  let prev: string | undefined = lastPage;
  while (prev && pages.length < 500) {
    const res = await who.get(prev);
    pages.unshift(rowIds(res.body));
    prev = linkOf(res.body, 'prev');
  }
  return pages.flat();
}

const all = (re: RegExp) => (body: string) => [...body.matchAll(re)].map((m) => m[1]!);

async function grown(t: Test): Promise<FastifyInstance> {
  return (await grownApp(t, 0.005)).app;
}

t.test('every paged list walks each row exactly once, forwards and back', async (t) => {
  const app = await grown(t);
  const db = app.db;
  const { reviewer, owner, admin } = await listReaders(app);

  // Staff queue (rejected applications of the reviewer's stages), 2 a page.
  const queueIds = all(/href="\/staff\/applications\/([0-9a-f-]{36})"/g);
  const queue = await walk(reviewer, '/staff?status=rejected&size=2', queueIds);
  const expected = (await db('applications')
    .whereIn('stage', ['suitability', 'testing'])
    .where('status', 'rejected')
    .select('id')) as { id: string }[];
  t.ok(queue.pages.length > 2, `the queue has several pages (${queue.pages.length})`);
  t.equal(queue.ids.length, expected.length, 'the queue walk sees as many rows as there are');
  t.same(new Set(queue.ids), new Set(expected.map((r) => r.id)), 'each one exactly once');
  t.same(await walkBack(reviewer, queue.pages.at(-1)!, queueIds), queue.ids, 'the previous links walk back');
  t.match((await reviewer.get('/staff?status=rejected&size=2')).body, /rel="next">다음</, 'the next link in Korean');
  t.match(
    (await reviewer.get(`${queue.pages[1]}&lang=en`)).body,
    /rel="prev">Previous<[\s\S]*rel="next">Next</,
    'and in English',
  );

  // Notifications: 130 of them, many created at the same instant (ties broken by id).
  const userId = ((await db('users').where({ email: 'owner@demo-fintech.example' }).first('id')) as { id: string }).id;
  await db('notifications').where({ user_id: userId }).delete();
  const rows = Array.from({ length: 130 }, (_, i) => ({
    id: `5ca1e111-0000-4000-8000-${String(i).padStart(12, '0')}`,
    user_id: userId,
    message_key: 'notifications.messages.live',
    params: JSON.stringify({ reference: `OB-2026-${String(i).padStart(6, '0')}` }),
    created_at: `2026-11-${String(1 + (i % 5)).padStart(2, '0')}T00:00:00.000Z`,
  }));
  for (let i = 0; i < rows.length; i += 50) await db('notifications').insert(rows.slice(i, i + 50));
  const noteIds = all(/action="\/notifications\/([0-9a-f-]{36})\/read"/g);
  const notes = await walk(owner, '/notifications?size=9', noteIds);
  t.equal(notes.ids.length, 130, 'every notification');
  t.equal(new Set(notes.ids).size, 130, 'none twice');
  t.same(await walkBack(owner, notes.pages.at(-1)!, noteIds), notes.ids, 'and back');
  t.equal(noteIds((await owner.get('/notifications?size=1000')).body).length, 100, 'size 1000 shows 100');
  t.equal(noteIds((await owner.get('/notifications')).body).length, 50, '50 by default');
  const bad = await owner.get('/notifications?after=not-a-cursor');
  t.equal(bad.statusCode, 200, 'a malformed cursor is not an error page');
  t.same(noteIds(bad.body), noteIds((await owner.get('/notifications')).body), 'it shows the first page');

  // The admin outbox.
  await db('email_outbox').delete();
  await db('email_outbox').insert(
    Array.from({ length: 23 }, (_, i) => ({
      id: `5ca1e222-0000-4000-8000-${String(i).padStart(12, '0')}`,
      to_address: 'x@example.com',
      subject: `outbox-${i}`,
      body: 'b',
      status: 'not_sent',
      created_at: '2026-11-01T00:00:00.000Z',
    })),
  );
  const outbox = await walk(admin, '/admin/outbox?size=4', all(/<summary>(outbox-\d+)<\/summary>/g));
  t.equal(outbox.ids.length, 23, 'every outbox e-mail');
  t.equal(new Set(outbox.ids).size, 23, 'none twice');

  // The requests page (the demo organization's calls), 100 a page.
  const reqIds = all(/href="\/sandbox\/requests\/(\d+)"/g);
  const org = '6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10';
  const logged = Number((await db('testbed_request_log').where('organization_id', org).count({ n: '*' }))[0]!.n);
  const requests = await walk(owner, '/sandbox/requests?size=100', reqIds);
  t.equal(requests.ids.length, logged, `every logged call of the organization (${logged})`);
  t.equal(new Set(requests.ids).size, logged, 'none twice');
  t.same(await walkBack(owner, requests.pages.at(-1)!, reqIds), requests.ids, 'and back');
  t.equal((await owner.get('/sandbox/requests?after=%%%')).statusCode, 200, 'a malformed cursor: the first page');

  // An account's transaction history.
  const { accountId } = await demoHistoryAccount(app);
  const count = Number((await db('postings').where('account_id', accountId).count({ n: '*' }))[0]!.n);
  const seen: number[] = [];
  let page = await app.services.sandboxLedger.accountHistory(org, accountId, { size: 100 });
  while (page) {
    seen.push(...page.rows.map((r) => r.seq));
    if (!page.next) break;
    page = await app.services.sandboxLedger.accountHistory(org, accountId, {
      size: 100,
      after: decodeCursor(page.next, ['string', 'string', 'integer'])!,
    });
  }
  t.ok(count > 1000, `the account has a long history (${count})`);
  t.equal(seen.length, count, 'the history walk sees every posting');
  t.equal(new Set(seen).size, count, 'each once');
  const historyPage = await owner.get(`/sandbox/ledger/accounts/${accountId}?size=1000`);
  t.equal(historyPage.statusCode, 200);
  t.equal((historyPage.body.match(/<tr>/g) ?? []).length - 1, 100, 'size 1000 shows 100 postings');
  t.match(historyPage.body, /rel="next"/, 'with a next link');
  const other = (await db('bank_accounts').whereNot('world', org).whereNot('purpose', 'system').first('id')) as {
    id: string;
  };
  t.equal((await owner.get(`/sandbox/ledger/accounts/${other.id}`)).statusCode, 404, "another world's account: 404");
});

t.test('the JSON lists page by cursor too: next until null, malformed is a 422', async (t) => {
  const app = await grown(t);
  const token = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { email: 'reviewer@portal.example', password: 'demo-password-1' },
    })
  ).json().token as string;
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const ids: string[] = [];
  let url = '/api/v1/applications?status=rejected&size=11';
  for (let i = 0; i < 200; i++) {
    const body = (await get(url)).json();
    ids.push(...body.applications.map((a: { id: string }) => a.id));
    if (!body.next) break;
    url = `/api/v1/applications?status=rejected&size=11&after=${body.next}`;
  }
  const expected = await app
    .db('applications')
    .whereIn('stage', ['suitability', 'testing'])
    .where('status', 'rejected');
  t.equal(ids.length, expected.length, 'the API queue walk sees every row');
  t.equal(new Set(ids).size, expected.length, 'each once');
  const bad = await get('/api/v1/applications?after=zzz');
  t.equal(bad.statusCode, 422, 'a malformed cursor is a 422');
  t.match(bad.json().error.errors[0].field, /after/);

  const withTrail = (await app.db('applications').where('stage', 'live').first('id')) as { id: string };
  const events: string[] = [];
  let audit = `/api/v1/applications/${withTrail.id}/audit?size=2`;
  for (let i = 0; i < 100; i++) {
    const res = await get(audit);
    if (res.statusCode !== 200) t.fail(`${audit}: ${res.statusCode} ${res.body}`);
    const body = res.json();
    events.push(...body.events.map((e: { event: string }) => e.event));
    if (!body.next) break;
    audit = `/api/v1/applications/${withTrail.id}/audit?size=2&after=${body.next}`;
  }
  const trail = await app.db('audit_events').where('application_id', withTrail.id).orderBy('seq');
  t.same(
    events,
    trail.map((e: { event: string }) => e.event),
    'the audit trail in order, every event once',
  );
  t.equal((await get(`/api/v1/applications/${withTrail.id}/audit?after=@@`)).statusCode, 422);
  t.equal((await get('/api/v1/notifications?size=1000')).statusCode, 200, 'size above the cap is capped');
  t.equal((await get('/api/v1/notifications?after=@@')).statusCode, 422);
});
