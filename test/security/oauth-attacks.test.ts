// OAuth attacks on the test bed's authorization server (issue 12), each rule in a test name:
// authorization-code replay (RFC 6749 §4.1.2: refused, and the tokens of the first use revoked), exact
// redirect_uri matching at every step, forged / tampered / expired JWTs, scope escalation on refresh.
import t from 'tap';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { build } from '../helpers/build';
import { DEMO_SANDBOX, HONG, shortcutCode, userTokenResponse } from '../helpers/testbed';

const C = DEMO_SANDBOX;
const ME = `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`;
const REFUSED_CODE = { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3002110])' };
const WRONG_REDIRECT = { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000114])' };
const MISSING_PARAM = { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000103])' };
const TOKEN_REFUSED = { rsp_code: 'O0002', rsp_message: 'Access Token 거부' };

async function tokenCall(app: FastifyInstance, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token endpoint answered HTTP ${res.statusCode}`);
  return res.json() as Record<string, unknown>;
}
const exchange = (app: FastifyInstance, code: string, redirectUri?: string) =>
  tokenCall(app, {
    grant_type: 'authorization_code',
    code,
    client_id: C.clientId,
    client_secret: C.clientSecret,
    ...(redirectUri === undefined ? {} : { redirect_uri: redirectUri }),
  });
const refresh = (app: FastifyInstance, refreshToken: string, scope?: string) =>
  tokenCall(app, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: C.clientId,
    client_secret: C.clientSecret,
    ...(scope === undefined ? {} : { scope }),
  });
async function me(app: FastifyInstance, accessToken: string): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'GET', url: ME, headers: { authorization: `Bearer ${accessToken}` } });
  if (res.statusCode !== 200) throw new Error(`/v2.0/user/me answered HTTP ${res.statusCode}`);
  return res.json() as Record<string, unknown>;
}

// Variations of the registered http://localhost:8080/callback: none of them is the registered URI.
const REDIRECT_VARIATIONS: Record<string, string> = {
  'trailing slash': 'http://localhost:8080/callback/',
  'case change in the path': 'http://localhost:8080/Callback',
  'case change in the host': 'http://LOCALHOST:8080/callback',
  'extra query': 'http://localhost:8080/callback?next=https://evil.example',
  'empty query': 'http://localhost:8080/callback?',
  'different port': 'http://localhost:8081/callback',
  'default port dropped': 'http://localhost/callback',
  'https instead of http': 'https://localhost:8080/callback',
  userinfo: 'http://evil.example@localhost:8080/callback',
  'userinfo host swap': 'http://localhost:8080@evil.example/callback',
  fragment: 'http://localhost:8080/callback#frag',
  'encoded character in the path': 'http://localhost:8080/%63allback',
  'encoded slash': 'http://localhost:8080/callback%2F',
  'dot segment': 'http://localhost:8080/x/../callback',
  'longer path': 'http://localhost:8080/callback/evil',
  'path prefix only': 'http://localhost:8080/call',
  'leading space': ' http://localhost:8080/callback',
  'trailing space': 'http://localhost:8080/callback ',
  'trailing tab': 'http://localhost:8080/callback\t',
  'trailing newline': 'http://localhost:8080/callback\n',
  'NUL appended': 'http://localhost:8080/callback\u0000',
  'another host': 'http://evil.example/callback',
  'protocol-relative': '//localhost:8080/callback',
};

t.test('authorization-code replay', async (t) => {
  const app = await build(t, { demo: true });

  t.test(
    'a second use of an authorization code is refused and revokes every token the first use issued, refreshed ones included (RFC 6749 §4.1.2)',
    async (t) => {
      const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
      const first = await exchange(app, code, C.callbackUrl);
      t.type(first.access_token, 'string', 'the first use gets tokens');
      const rotated = await refresh(app, String(first.refresh_token));
      t.type(rotated.access_token, 'string', 'its refresh token rotates once');
      t.equal(
        (await me(app, String(rotated.access_token))).rsp_code,
        'A0000',
        'the rotated access token works before the replay',
      );
      t.same(await exchange(app, code, C.callbackUrl), REFUSED_CODE, 'the replay is refused');
      t.same(await me(app, String(first.access_token)), TOKEN_REFUSED, 'the first access token is revoked');
      t.same(
        await me(app, String(rotated.access_token)),
        TOKEN_REFUSED,
        'the access token refreshed from it is revoked too',
      );
      t.same(await refresh(app, String(rotated.refresh_token)), REFUSED_CODE, 'the current refresh token is revoked');
      t.same(await exchange(app, code, C.callbackUrl), REFUSED_CODE, 'a third use is refused as well');
    },
  );

  t.test('a replayed code is refused even with a different redirect_uri or another client secret', async (t) => {
    const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
    const first = await exchange(app, code, C.callbackUrl);
    t.type(first.access_token, 'string');
    t.same(
      await exchange(app, code, 'http://localhost:8080/other'),
      REFUSED_CODE,
      'the replay with another redirect_uri is refused',
    );
    t.same(await me(app, String(first.access_token)), TOKEN_REFUSED, 'and still revokes the first tokens');
  });

  t.test('concurrent uses of one code give tokens to at most one of them', async (t) => {
    const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
    const answers = await Promise.all(Array.from({ length: 5 }, () => exchange(app, code, C.callbackUrl)));
    const winners = answers.filter((a) => typeof a.access_token === 'string');
    t.ok(winners.length <= 1, `at most one use gets tokens (${winners.length})`);
    for (const a of answers.filter((x) => typeof x.access_token !== 'string'))
      t.same(a, REFUSED_CODE, 'the others are refused');
    // The losers count as replays: whatever the winner got is revoked.
    for (const w of winners)
      t.same(await me(app, String(w.access_token)), TOKEN_REFUSED, "the winner's token is revoked by the replays");
  });
});

// Found by this file: the token endpoint and the sandbox shortcut trimmed redirect_uri, so
// " http://localhost:8080/callback" passed as the registered URI (fixed: requiredExact in token-parameters.ts).
t.test(
  'redirect_uri must equal the registered one character for character, surrounding whitespace included',
  async (t) => {
    const app = await build(t, { demo: true });

    t.test(
      'every variation of the registered redirect_uri is refused at the token step, and the code stays unused',
      async (t) => {
        const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
        for (const [name, uri] of Object.entries(REDIRECT_VARIATIONS)) {
          t.same(await exchange(app, code, uri), WRONG_REDIRECT, `${name}: ${JSON.stringify(uri)} refused`);
        }
        t.same(
          await exchange(app, code),
          MISSING_PARAM,
          'a missing redirect_uri at the token step (given at authorize) is refused',
        );
        t.same(await exchange(app, code, ''), MISSING_PARAM, 'an empty redirect_uri at the token step is refused');
        const ok = await exchange(app, code, C.callbackUrl);
        t.type(ok.access_token, 'string', 'the exact redirect_uri still works afterwards');
      },
    );

    t.test('every variation of the registered redirect_uri is refused by the sandbox shortcut', async (t) => {
      for (const [name, uri] of Object.entries(REDIRECT_VARIATIONS)) {
        const res = await app.inject({
          method: 'POST',
          url: '/testbed/sandbox/authorize',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            client_id: C.clientId,
            client_secret: C.clientSecret,
            user_seq_no: HONG.userSeqNo,
            scope: 'login inquiry',
            redirect_uri: uri,
          }).toString(),
        });
        t.equal(res.statusCode, 200);
        const body = res.json() as Record<string, unknown>;
        t.notOk('code' in body, `${name}: no code issued`);
        t.equal(body.rsp_code, 'O0001', `${name}: refused with O0001`);
      }
    });

    t.test(
      'every variation of the registered redirect_uri is refused on the authorize page, without a redirect',
      async (t) => {
        for (const [name, uri] of Object.entries(REDIRECT_VARIATIONS)) {
          const q = new URLSearchParams({
            response_type: 'code',
            client_id: C.clientId,
            redirect_uri: uri,
            scope: 'login inquiry',
            state: 'S'.repeat(32),
            auth_type: '0',
          });
          const res = await app.inject({ method: 'GET', url: `/oauth/2.0/authorize?${q}` });
          // 400: the authorize error page; 422: the portal's refusal of control characters in a URL (src/http).
          t.ok([400, 422].includes(res.statusCode), `${name}: an error page (HTTP 400 or 422, got ${res.statusCode})`);
          t.notOk(res.headers.location, `${name}: never redirected to the unregistered URI`);
        }
        const q = new URLSearchParams({
          response_type: 'code',
          client_id: C.clientId,
          redirect_uri: C.callbackUrl,
          scope: 'login inquiry',
          state: 'S'.repeat(32),
          auth_type: '0',
        });
        t.equal(
          (await app.inject({ method: 'GET', url: `/oauth/2.0/authorize?${q}` })).statusCode,
          200,
          'the exact URI opens the sign-in page',
        );
      },
    );
  },
);

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}
function parts(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown>; sig: string } {
  const [h, p, s] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()),
    sig: s!,
  };
}
function hs256(secret: string, header: unknown, payload: unknown): string {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${crypto.createHmac('sha256', secret).update(head).digest('base64url')}`;
}

t.test('forged and tampered JWTs', async (t) => {
  let now = Date.now();
  const app = await build(t, { demo: true, clock: () => new Date(now) });
  const secret = app.config.jwtSecret;
  const issued = await userTokenResponse(app, { userSeqNo: HONG.userSeqNo, scope: 'login inquiry' });
  const access = String(issued.access_token);
  const refreshToken = String(issued.refresh_token);
  const { header, payload, sig } = parts(access);
  t.equal((await me(app, access)).rsp_code, 'A0000', 'the genuine token works');

  t.test(
    'an access token with alg none, or with its signature changed, removed or re-keyed, is refused (O0002)',
    async (t) => {
      const [h, p] = access.split('.');
      const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
      const forged: Record<string, string> = {
        'alg none, no signature': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
        'alg none, original signature': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${sig}`,
        'alg NONE': `${b64({ alg: 'NONE', typ: 'JWT' })}.${p}.`,
        'signature removed': `${h}.${p}.`,
        'two parts only': `${h}.${p}`,
        'signature changed': `${h}.${p}.${flipped}`,
        'signed with another key': hs256('not-the-secret', header, payload),
        'alg HS512 with the right key': (() => {
          const head = `${b64({ ...header, alg: 'HS512' })}.${p}`;
          return `${head}.${crypto.createHmac('sha512', secret).update(head).digest('base64url')}`;
        })(),
        'signature of another token': `${h}.${p}.${parts(hs256('x', header, { a: 1 })).sig}`,
      };
      for (const [name, tok] of Object.entries(forged)) t.same(await me(app, tok), TOKEN_REFUSED, name);
    },
  );

  t.test('an access token whose payload was changed (scope, audience, expiry, jti) is refused (O0002)', async (t) => {
    const changed: Record<string, Record<string, unknown>> = {
      'scope widened': { ...payload, scope: ['inquiry', 'login', 'transfer'] },
      'scope as sa': { ...payload, scope: ['sa'] },
      'audience changed': { ...payload, aud: '1100000002' },
      'expiry extended': { ...payload, exp: Number(payload.exp) + 86_400 },
      'jti changed': { ...payload, jti: crypto.randomUUID() },
    };
    for (const [name, p] of Object.entries(changed))
      t.same(await me(app, `${b64(header)}.${b64(p)}.${sig}`), TOKEN_REFUSED, `${name}, original signature`);
  });

  t.test(
    'a correctly signed token that the server never issued is refused (O0002): the record, not the signature, grants',
    async (t) => {
      t.same(
        await me(app, hs256(secret, header, { ...payload, jti: crypto.randomUUID() })),
        TOKEN_REFUSED,
        'unknown jti',
      );
      // Same jti, scope claim widened and correctly re-signed: the token's record (login inquiry) decides.
      const widened = hs256(secret, header, { ...payload, scope: ['inquiry', 'login', 'transfer', 'sa'] });
      const res = await app.inject({
        method: 'POST',
        url: '/v2.0/transfer/withdraw/fin_num',
        headers: { authorization: `Bearer ${widened}`, 'content-type': 'application/json' },
        payload: '{}',
      });
      t.equal(res.json().rsp_code, 'O0011', 'the scope claim in the token does not widen the grant');
    },
  );

  t.test('a refresh token presented as an access token is refused (O0002)', async (t) => {
    t.same(await me(app, refreshToken), TOKEN_REFUSED);
  });

  t.test('a tampered or alg-none refresh token is refused at the token endpoint', async (t) => {
    const r = parts(refreshToken);
    const [rh, rp] = refreshToken.split('.');
    const forged: Record<string, string> = {
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${rp}.`,
      'signature changed': `${rh}.${rp}.${r.sig.slice(0, -2)}${r.sig.at(-2) === 'A' ? 'B' : 'A'}${r.sig.at(-1)}`,
      'payload changed': `${rh}.${b64({ ...r.payload, scope: ['inquiry', 'login', 'transfer'] })}.${r.sig}`,
      're-signed with the right key, new payload': hs256(secret, r.header, {
        ...r.payload,
        scope: ['inquiry', 'login', 'transfer'],
      }),
      'the access token as a refresh token': access,
    };
    for (const [name, tok] of Object.entries(forged)) t.same(await refresh(app, tok), REFUSED_CODE, name);
    t.type(
      (await refresh(app, refreshToken)).access_token,
      'string',
      'the genuine refresh token still works after the attempts',
    );
  });

  t.test('an expired access token is refused (O0003) and an expired refresh token too', async (t) => {
    const fresh = await userTokenResponse(app, { userSeqNo: HONG.userSeqNo, scope: 'login inquiry' });
    const exp = Number(parts(String(fresh.access_token)).payload.exp) * 1000;
    const refreshExp = Number(parts(String(fresh.refresh_token)).payload.exp) * 1000;
    now = exp + 1000;
    t.same(
      await me(app, String(fresh.access_token)),
      { rsp_code: 'O0003', rsp_message: 'Access Token 만료' },
      'access token past exp',
    );
    now = refreshExp + 1000;
    t.same(await refresh(app, String(fresh.refresh_token)), REFUSED_CODE, 'refresh token past its exp');
    now = Date.now();
  });
});

t.test('scope escalation on refresh', async (t) => {
  const app = await build(t, { demo: true });

  t.test(
    'a refresh asking for a scope the original grant did not have is refused (O0011), and grants nothing',
    async (t) => {
      const issued = await userTokenResponse(app, { userSeqNo: HONG.userSeqNo, scope: 'login inquiry' });
      for (const scope of ['login inquiry transfer', 'transfer', 'inquiry transfer', 'oob', 'sa', 'login inquiry sa']) {
        const res = await refresh(app, String(issued.refresh_token), scope);
        t.notOk('access_token' in res, `${JSON.stringify(scope)}: no token`);
        t.match(res.rsp_code, /^O00(01|11)$/, `${JSON.stringify(scope)}: refused with an O-code`);
      }
      const narrower = await refresh(app, String(issued.refresh_token), 'inquiry');
      t.equal(narrower.scope, 'inquiry', 'a narrower scope is granted');
      const wider = await refresh(app, String(narrower.refresh_token), 'login inquiry');
      t.notOk('access_token' in wider, 'after narrowing, the dropped scope cannot come back on the next refresh');
      t.equal(wider.rsp_code, 'O0011');
    },
  );
});
