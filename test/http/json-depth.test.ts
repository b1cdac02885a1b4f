import t from 'tap';
import { build, signUp } from '../helpers/build';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../src/http/json-depth-limit';

t.test('a deeply nested JSON body is a clean 400 on every portal route, signed in or not, at any depth', async (t) => {
  const app = await build(t);
  const signedIn = await signUp(app, { email: 'deep@fin.example' });
  for (const depth of [MAX_JSON_DEPTH + 1, 8_000, 100_000]) {
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const url of [
      '/login',
      '/signup',
      '/account/password',
      '/api/v1/tokens',
      '/api/v1/signup',
      '/api/v1/applications',
    ]) {
      for (const payload of [arrays, objects]) {
        for (const cookie of ['', [...signedIn.cookies].map(([k, v]) => `${k}=${v}`).join('; ')]) {
          const res = await app.inject({
            method: 'POST',
            url,
            payload,
            headers: { 'content-type': 'application/json', cookie },
          });
          if (url === '/api/v1/applications') {
            t.equal(res.statusCode, 401, `${url} depth ${depth}: no token, refused before the body is read`);
          } else {
            t.equal(res.statusCode, 400, `${url} depth ${depth}`);
          }
          if (url.startsWith('/api/') && res.statusCode === 400) t.equal(res.json().error.code, 'bad_request');
        }
      }
    }
  }
});

t.test('JSON nested up to the limit is still parsed (the limit refuses only deeper bodies)', async (t) => {
  const app = await build(t);
  const payload = JSON.stringify({
    email: 'a@b.example',
    password: 'x',
    name: 'y',
    extra: JSON.parse('['.repeat(MAX_JSON_DEPTH - 1) + ']'.repeat(MAX_JSON_DEPTH - 1)),
  });
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload,
    headers: { 'content-type': 'application/json' },
  });
  t.equal(res.statusCode, 422, 'validated like any body (the unknown field is named)');
  t.match(res.json().error.errors, [{ field: 'extra' }]);
});

t.test('the nesting depth is counted without recursion and ignores brackets inside strings', async (t) => {
  t.equal(jsonNestingDepth('{"a":"[[[[{{{{","b":[1,[2]]}'), 3);
  t.equal(jsonNestingDepth('"\\"[["'), 0);
  t.equal(jsonNestingDepth('['.repeat(1_000_000)), 1_000_000, 'a million levels cost a loop, not a stack');
  t.equal(jsonNestingDepth('['.repeat(1_000_000), 32), 33, 'stops at the limit');
});
