// Rule: a user's API tokens (every sign-in through POST /api/v1/tokens issues one, so they pile up) are listed a
// bounded page at a time, newest first, revoked ones included: the account page 50 a page with next / previous
// links, GET /api/v1/tokens 50 a page (`size` up to 100) with a `next` cursor. Walking either visits every token
// once; a cursor the list did not give out is the first page (page) or a 422 (API); nobody sees another's tokens.
import t from 'tap';
import { build, signUp } from '../helpers/build';
import { apiAs } from './fixtures/api-client';

const names = (html: string) => [...html.matchAll(/<td>(tok-\d+)<\/td>/g)].map((m) => m[1]!);
function link(html: string, rel: 'next' | 'prev'): string | null {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=') : null;
}

t.test('the account page and the API list the tokens a page at a time, newest first', async (t) => {
  const app = await build(t);
  const b = await signUp(app, { email: 'tokens@pages.example' });
  const api = await apiAs(app, 'tokens@pages.example', 'correct-horse-1'); // token 0: "API"
  const me = await app.services.accounts.loadCurrentUser(
    (await app.db('users').where({ email: 'tokens@pages.example' }).first('id')).id,
  );
  for (let i = 1; i <= 110; i++) await app.services.apiTokens.issue(me!, { name: `tok-${i}` });
  const other = await signUp(app, { email: 'other@pages.example', organization: '다른핀테크' });
  await apiAs(app, 'other@pages.example', 'correct-horse-1');

  // The page: 50, 50, 10 marked tokens (then the sign-in token), newest first.
  const pages: string[][] = [];
  let next: string | null = '/account/tokens';
  while (next && pages.length < 10) {
    const res = await b.get(next);
    t.equal(res.statusCode, 200, next);
    pages.push(names(res.body));
    next = link(res.body, 'next');
  }
  t.same(
    pages.map((p) => p.length),
    [50, 50, 10],
    'three pages of at most 50',
  );
  const walked = pages.flat();
  t.equal(new Set(walked).size, 110, 'every token once');
  const createdAt = new Map(
    (await app.db('api_tokens').select('name', 'created_at')).map((r: { name: string; created_at: string }) => [
      r.name,
      r.created_at,
    ]),
  );
  t.ok(
    walked.every((n, i) => i === 0 || createdAt.get(walked[i - 1]!)! >= createdAt.get(n)!),
    'newest first',
  );
  const second = await b.get(link((await b.get('/account/tokens')).body, 'next')!);
  t.same(names((await b.get(link(second.body, 'prev')!)).body), pages[0], 'previous walks back');
  const bad = await b.get('/account/tokens?after=zzz');
  t.equal(bad.statusCode, 200);
  t.same(names(bad.body), pages[0], 'a bad cursor is the first page');
  t.same(names((await other.get('/account/tokens')).body), [], "another user's page lists none of them");

  // The API: 50 a page, `size` up to 100, next until null.
  const listed: string[] = [];
  let cursor: string | null = null;
  let calls = 0;
  do {
    const res = await api.get(`/api/v1/tokens${cursor ? `?after=${cursor}` : ''}`);
    t.equal(res.status, 200);
    t.ok(res.body.tokens.length <= 50, 'at most 50');
    listed.push(...res.body.tokens.map((x: { name: string }) => x.name));
    cursor = res.body.next;
  } while (cursor && ++calls < 10);
  t.equal(listed.length, 111, 'every token once (with the sign-in token)');
  t.equal(new Set(listed).size, 111);
  t.same(listed.slice(0, 110), walked, 'in the same order as the page');
  t.equal((await api.get('/api/v1/tokens?size=500')).body.tokens.length, 100, 'size is capped at 100');
  const malformed = await api.get('/api/v1/tokens?after=zzz');
  t.equal(malformed.status, 422);
  t.equal(malformed.body.error.code, 'validation');
});
