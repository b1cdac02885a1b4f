// POST /oauth/2.0/token and the token guard: the reference's grants, answers and O-codes.
import t from 'tap';
import { build } from '../../helpers/build';
import {
  DEMO_SANDBOX,
  HONG,
  HEO,
  oobToken,
  shortcutCode,
  userTokenResponse,
  fintechNumbers,
  bankTranId,
} from '../../helpers/testbed';

type App = Awaited<ReturnType<typeof build>>;
const C = DEMO_SANDBOX;

async function token(
  app: App,
  fields: Record<string, string | string[]>,
  opts: { query?: string; contentType?: string; raw?: string } = {},
) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const res = await app.inject({
    method: 'POST',
    url: `/oauth/2.0/token${opts.query ? `?${opts.query}` : ''}`,
    payload: opts.raw ?? body.toString(),
    headers: { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded' },
  });
  t.equal(res.statusCode, 200, 'token answers are HTTP 200');
  return res.json() as Record<string, unknown>;
}

async function exchange(app: App, code: string, redirectUri: string = C.callbackUrl) {
  return token(app, {
    code,
    client_id: C.clientId,
    client_secret: C.clientSecret,
    redirect_uri: redirectUri,
    grant_type: 'authorization_code',
  });
}

function get(app: App, url: string, accessToken: string) {
  return app
    .inject({ method: 'GET', url, headers: { authorization: `Bearer ${accessToken}` } })
    .then((r) => r.json() as Record<string, unknown>);
}

t.test('an authorization code can be used once, and its second use revokes the tokens issued from it', async (t) => {
  const app = await build(t, { demo: true });
  const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
  const first = await exchange(app, code);
  t.type(first.access_token, 'string');
  const meUrl = `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`;
  t.equal((await get(app, meUrl, first.access_token as string)).rsp_code, 'A0000');
  const second = await exchange(app, code);
  t.same(second, { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3002110])' });
  t.same(
    await get(app, meUrl, first.access_token as string),
    { rsp_code: 'O0002', rsp_message: 'Access Token 거부' },
    'the first token is revoked',
  );
  const refreshed = await token(app, {
    client_id: C.clientId,
    client_secret: C.clientSecret,
    refresh_token: first.refresh_token as string,
    scope: 'login inquiry transfer',
    grant_type: 'refresh_token',
  });
  t.equal(refreshed.rsp_code, 'O0001', 'its refresh token is revoked too');
});

t.test('an authorization code expires after 10 minutes', async (t) => {
  let now = Date.now();
  const app = await build(t, { demo: true, clock: () => new Date(now) });
  const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
  now += 10 * 60 * 1000 + 1000;
  t.same(await exchange(app, code), { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3002110])' });
});

t.test('the redirect_uri of the token call must equal the authorize one', async (t) => {
  const app = await build(t, { demo: true });
  await app.db('callback_urls').insert({
    id: 'c0a80101-0000-4000-8000-000000000001',
    organization_id: C.organizationId,
    url: 'http://localhost:8080/other',
    created_at: new Date().toISOString(),
  });
  const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
  t.same(await exchange(app, code, 'http://localhost:8080/other'), {
    rsp_code: 'O0001',
    rsp_message: '인증 파라미터 오류([3000114])',
  });
});

t.test('a refresh token gives a new pair once, and the old pair stops working', async (t) => {
  const app = await build(t, { demo: true });
  const first = await userTokenResponse(app, { userSeqNo: HEO.userSeqNo });
  const next = await token(app, {
    client_id: C.clientId,
    client_secret: C.clientSecret,
    refresh_token: first.refresh_token as string,
    scope: 'login inquiry',
    grant_type: 'refresh_token',
  });
  t.equal(next.token_type, 'Bearer');
  t.equal(next.scope, 'inquiry login', 'a narrower scope may be asked for');
  t.equal(next.expires_in, 7775999);
  t.equal(next.user_seq_no, HEO.userSeqNo);
  t.equal(
    (await get(app, `/v2.0/user/me?user_seq_no=${HEO.userSeqNo}`, first.access_token as string)).rsp_code,
    'O0002',
  );
  t.equal(
    (await get(app, `/v2.0/user/me?user_seq_no=${HEO.userSeqNo}`, next.access_token as string)).rsp_code,
    'A0000',
  );
  const again = await token(app, {
    client_id: C.clientId,
    client_secret: C.clientSecret,
    refresh_token: first.refresh_token as string,
    grant_type: 'refresh_token',
  });
  t.equal(again.rsp_code, 'O0001');
  const wider = await token(app, {
    client_id: C.clientId,
    client_secret: C.clientSecret,
    refresh_token: next.refresh_token as string,
    scope: 'login inquiry transfer',
    grant_type: 'refresh_token',
  });
  t.equal(wider.rsp_code, 'O0011', 'a wider scope than granted is refused');
});

t.test('asking client_credentials for user scopes gives O0001 3000103', async (t) => {
  const app = await build(t, { demo: true });
  for (const scope of ['login', 'inquiry', 'transfer', 'login inquiry']) {
    t.same(
      await token(app, {
        client_id: C.clientId,
        client_secret: C.clientSecret,
        scope,
        grant_type: 'client_credentials',
      }),
      { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000103])' },
    );
  }
});

t.test('a normal institution asking for sa gets O0011; an approved one gets an sa token', async (t) => {
  const app = await build(t, { demo: true });
  t.same(
    await token(app, {
      client_id: C.clientId,
      client_secret: C.clientSecret,
      scope: 'sa',
      grant_type: 'client_credentials',
    }),
    { rsp_code: 'O0011', rsp_message: '허용되지 않은 Scope 입니다.' },
  );
  await app.db('credential_sets').where({ id: C.credentialSetId }).update({ allow_sa: true });
  const sa = await token(app, {
    client_id: C.clientId,
    client_secret: C.clientSecret,
    scope: 'sa',
    grant_type: 'client_credentials',
  });
  t.equal(sa.scope, 'sa');
  t.equal(sa.client_use_code, C.clientUseCode);
});

t.test('duplicate parameters are refused', async (t) => {
  const app = await build(t, { demo: true });
  const dup = { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000103])' };
  t.same(
    await token(app, {
      client_id: [C.clientId, C.clientId],
      client_secret: C.clientSecret,
      scope: 'oob',
      grant_type: 'client_credentials',
    }),
    dup,
  );
  t.same(
    await token(
      app,
      { client_id: C.clientId, client_secret: C.clientSecret, scope: 'oob', grant_type: 'client_credentials' },
      { query: 'scope=sa' },
    ),
    dup,
    'the same field in query and body with different values',
  );
});

t.test('token fields in the query string of the POST, charset suffixes and JSON bodies are tolerated', async (t) => {
  const app = await build(t, { demo: true });
  const q = new URLSearchParams({
    client_id: C.clientId,
    client_secret: C.clientSecret,
    scope: 'oob',
    grant_type: 'client_credentials',
  }).toString();
  t.equal((await token(app, {}, { query: q, raw: '' })).scope, 'oob', 'all fields in the query string');
  t.equal(
    (
      await token(
        app,
        { client_id: C.clientId, client_secret: C.clientSecret, scope: 'oob', grant_type: 'client_credentials' },
        { contentType: 'application/x-www-form-urlencoded;charset=UTF-8' },
      )
    ).scope,
    'oob',
  );
  const json = await token(
    app,
    {},
    {
      contentType: 'application/json; charset=UTF-8',
      raw: JSON.stringify({
        client_id: C.clientId,
        client_secret: C.clientSecret,
        scope: 'oob',
        grant_type: 'client_credentials',
      }),
    },
  );
  t.equal(json.scope, 'oob');
});

t.test('missing or unknown grant parameters give O0001 3000103; a wrong secret O0001 3000201', async (t) => {
  const app = await build(t, { demo: true });
  t.same(await token(app, { client_id: C.clientId, client_secret: C.clientSecret, scope: 'oob' }), {
    rsp_code: 'O0001',
    rsp_message: '인증 파라미터 오류([3000103])',
  });
  t.same(
    await token(app, { client_id: C.clientId, client_secret: C.clientSecret, scope: 'oob', grant_type: 'password' }),
    { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000103])' },
  );
  t.same(
    await token(app, {
      client_id: C.clientId,
      client_secret: 'not-the-secret',
      scope: 'oob',
      grant_type: 'client_credentials',
    }),
    { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000201])' },
  );
  t.same(
    await token(app, {
      client_id: 'nobody',
      client_secret: C.clientSecret,
      scope: 'oob',
      grant_type: 'client_credentials',
    }),
    { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000201])' },
  );
});

t.test('a wrong HTTP method on the token endpoint gives O0010', async (t) => {
  const app = await build(t, { demo: true });
  for (const method of ['GET', 'PUT', 'DELETE'] as const) {
    const res = await app.inject({ method, url: '/oauth/2.0/token' });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { rsp_code: 'O0010', rsp_message: '허용되지 않은 http method' });
  }
});

t.test('a production credential is refused by the test bed', async (t) => {
  const app = await build(t, { demo: true });
  const issued = await app.services.credentials.issueProductionCredentials(
    (await app.db('applications').where({ organization_id: C.organizationId }).first('id')).id,
  );
  t.match(issued.clientUseCode, /^M\d{9}$/);
  t.not(issued.clientUseCode, C.clientUseCode);
  const secret = 'a-production-secret-for-the-test-0001';
  const { hashClientSecret, secretHint } = await import('../../../src/credentials/client-secret');
  await app.db('client_secrets').insert({
    id: 'c0a80101-0000-4000-8000-0000000000aa',
    credential_set_id: issued.credentialSetId,
    secret_hash: hashClientSecret(secret),
    hint: secretHint(secret),
    expires_at: null,
    created_at: new Date().toISOString(),
    created_by: null,
    revoked_at: null,
  });
  t.same(
    await token(app, {
      client_id: issued.clientId,
      client_secret: secret,
      scope: 'oob',
      grant_type: 'client_credentials',
    }),
    { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000201])' },
  );
  const again = await app.services.credentials.issueProductionCredentials(
    (await app.db('applications').where({ organization_id: C.organizationId }).first('id')).id,
  );
  t.equal(again.credentialSetId, issued.credentialSetId, 'issuing production credentials is idempotent');
});

t.test('an oob token cannot read a balance (O0011)', async (t) => {
  const app = await build(t, { demo: true });
  const oob = await oobToken(app);
  await userTokenResponse(app, { userSeqNo: HONG.userSeqNo });
  const fin = (await fintechNumbers(app, HONG.userSeqNo))['1101230000678']!;
  const balance = await get(
    app,
    `/v2.0/account/balance/fin_num?bank_tran_id=${bankTranId()}&fintech_use_num=${fin}&tran_dtime=20261126120000`,
    oob,
  );
  t.same(balance, { rsp_code: 'O0011', rsp_message: '허용되지 않은 Scope 입니다.' });
  t.same(await get(app, `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}`, oob), {
    rsp_code: 'O0011',
    rsp_message: '허용되지 않은 Scope 입니다.',
  });
});

t.test(
  'the token guard: no Bearer header O0001, a forged or unknown token O0002, an expired token O0003',
  async (t) => {
    let now = Date.now();
    const app = await build(t, { demo: true, clock: () => new Date(now) });
    const url = `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`;
    t.same((await app.inject({ method: 'GET', url })).json(), {
      rsp_code: 'O0001',
      rsp_message: '인증 파라미터 오류([992])',
    });
    t.same((await app.inject({ method: 'GET', url, headers: { authorization: 'Basic abc' } })).json(), {
      rsp_code: 'O0001',
      rsp_message: '인증 파라미터 오류([992])',
    });
    const tok = (await userTokenResponse(app, { userSeqNo: HONG.userSeqNo })).access_token as string;
    const [h, p] = tok.split('.');
    t.same(await get(app, url, `${h}.${p}.AAAA`), { rsp_code: 'O0002', rsp_message: 'Access Token 거부' });
    t.same(await get(app, url, 'garbage'), { rsp_code: 'O0002', rsp_message: 'Access Token 거부' });
    t.equal((await get(app, url, tok)).rsp_code, 'A0000');
    now += 7775999 * 1000 + 1000;
    t.same(await get(app, url, tok), { rsp_code: 'O0003', rsp_message: 'Access Token 만료' });
  },
);
