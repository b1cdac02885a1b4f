// A client written only from the KFTC reference: form-encoded token calls, Bearer headers, KFTC field
// names. It must work against the emulator unchanged (only the host differs).
import t from 'tap';
import { build, Browser } from '../../helpers/build';
import { DEMO_SANDBOX, HONG } from '../../helpers/testbed';

const STATE = 'abcdefghijklmnopqrstuvwxyz012345'; // 32 characters, as KFTC requires

function authorizeUrl(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: DEMO_SANDBOX.clientId,
    redirect_uri: DEMO_SANDBOX.callbackUrl,
    scope: 'login inquiry transfer',
    state: STATE,
    auth_type: '0',
    client_info: 'order-42',
    ...extra,
  });
  return `/oauth/2.0/authorize?${q.toString()}`;
}

/** The hidden inputs of the form posting to `action`, as a browser would submit them. */
function hiddenFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start === -1) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]!] = m[2]!;
  return out;
}

function checkedAccounts(html: string): string[] {
  return [
    ...html.matchAll(/<input type="checkbox" id="account-[^"]+" name="account_id" value="([^"]+)" checked>/g),
  ].map((m) => m[1]!);
}

async function tokenCall(app: Awaited<ReturnType<typeof build>>, fields: Record<string, string>) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
  });
  return res;
}

t.test(
  'a client written from the reference completes the 3-legged flow through the HTML pages and reads user/me and account/list',
  async (t) => {
    const app = await build(t, { demo: true });
    const b = new Browser(app);

    const login = await b.get(authorizeUrl());
    t.equal(login.statusCode, 200);
    t.notOk(/<script/i.test(login.body), 'no JavaScript on the page');
    t.match(
      String(login.headers['content-security-policy']),
      /form-action 'self' http:\/\/localhost:8080/,
      'form-action allows the registered redirect origin',
    );
    const afterLogin = await b.post(
      '/oauth/2.0/authorize/login',
      { ...hiddenFields(login.body, '/oauth/2.0/authorize/login'), login_id: 'hong', password: 'test1234!' },
      { csrf: false },
    );
    t.equal(afterLogin.statusCode, 303);
    t.equal(afterLogin.headers.location, '/oauth/2.0/authorize/accounts');

    const accounts = await b.get('/oauth/2.0/authorize/accounts');
    t.equal(accounts.statusCode, 200);
    const chosen = checkedAccounts(accounts.body);
    t.equal(chosen.length, 3, "all three of 홍길동's accounts are offered");
    const afterAccounts = await b.post(
      '/oauth/2.0/authorize/accounts',
      { ...hiddenFields(accounts.body, '/oauth/2.0/authorize/accounts'), account_id: chosen },
      { csrf: false },
    );
    t.equal(afterAccounts.headers.location, '/oauth/2.0/authorize/consent');

    const consent = await b.get('/oauth/2.0/authorize/consent');
    const ars = /id="ars_code-hint">[^<]*?(\d{2})/.exec(consent.body)?.[1];
    t.ok(ars, 'the simulated ARS number is shown');
    const fields = hiddenFields(consent.body, '/oauth/2.0/authorize/consent');
    const missing = await b.post(
      '/oauth/2.0/authorize/consent',
      { ...fields, agree_service: 'Y', agree_inquiry: 'Y' },
      { csrf: false },
    );
    t.equal(missing.statusCode, 422, 'withdrawal consent is required for the transfer scope');
    t.match(missing.body, /error-summary/);
    const allowed = await b.post(
      '/oauth/2.0/authorize/consent',
      {
        ...fields,
        agree_service: 'Y',
        agree_inquiry: 'Y',
        agree_transfer: 'Y',
        transfer_method: 'ars',
        ars_code: ars!,
      },
      { csrf: false },
    );
    t.equal(allowed.statusCode, 303);
    const callback = new URL(String(allowed.headers.location));
    t.equal(`${callback.origin}${callback.pathname}`, DEMO_SANDBOX.callbackUrl);
    t.same([...callback.searchParams.keys()], ['code', 'scope', 'client_info', 'state']);
    t.equal(callback.searchParams.get('state'), STATE);
    t.equal(callback.searchParams.get('client_info'), 'order-42');
    t.equal(callback.searchParams.get('scope'), 'inquiry login transfer');
    const code = callback.searchParams.get('code')!;
    t.match(code, /^[A-Za-z0-9]{30}$/);

    const tokenRes = await tokenCall(app, {
      code,
      client_id: DEMO_SANDBOX.clientId,
      client_secret: DEMO_SANDBOX.clientSecret,
      redirect_uri: DEMO_SANDBOX.callbackUrl,
      grant_type: 'authorization_code',
    });
    t.equal(tokenRes.statusCode, 200);
    t.equal(tokenRes.headers['cache-control'], 'no-store');
    const token = tokenRes.json();
    t.same(Object.keys(token).sort(), [
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
      'user_seq_no',
    ]);
    t.equal(token.token_type, 'Bearer');
    t.equal(token.expires_in, 7775999, 'expires_in is a number');
    t.equal(token.user_seq_no, HONG.userSeqNo);
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url').toString());
    t.equal(JSON.parse(Buffer.from(token.access_token.split('.')[0], 'base64url').toString()).alg, 'HS256');
    t.equal(claims.aud, HONG.userSeqNo);
    t.same(claims.scope, ['inquiry', 'login', 'transfer']);
    t.ok(claims.iss && claims.exp && claims.jti);

    const me = (
      await app.inject({
        method: 'GET',
        url: `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`,
        headers: { Authorization: `Bearer ${token.access_token}` },
      })
    ).json();
    t.equal(me.rsp_code, 'A0000');
    t.equal(me.rsp_message, '');
    t.match(me.api_tran_dtm, /^\d{17}$/);
    t.match(me.api_tran_id, /^[0-9a-f-]{36}$/);
    t.equal(me.user_name, '홍길동');
    t.equal(me.user_ci.length, 88);
    t.equal(me.res_cnt, '3', 'counts are strings');
    for (const a of me.res_list) {
      t.match(a.fintech_use_num, /^1202600001\d{14}$/, 'fintech_use_num = 1 + the 이용기관코드 digits + 14 digits');
      t.equal(a.inquiry_agree_yn, 'Y');
      t.equal(a.transfer_agree_yn, 'Y');
      t.match(a.inquiry_agree_dtime, /^\d{14}$/);
      t.match(a.account_num_masked, /\*\*\*$/);
    }

    // Real clients send 'Bearer' + token with no space on their POSTs; GETs work that way too.
    const list = (
      await app.inject({
        method: 'GET',
        url: `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}&include_cancel_yn=N&sort_order=D`,
        headers: { authorization: `Bearer${token.access_token}` },
      })
    ).json();
    t.equal(list.rsp_code, 'A0000');
    t.equal(list.user_name, '홍길동');
    t.equal(list.res_cnt, '3');
    t.ok(list.res_list.every((a: { account_state: string }) => a.account_state === '01'));
  },
);

t.test('a client written from the reference completes the 2-legged flow', async (t) => {
  const app = await build(t, { demo: true });
  const res = await tokenCall(app, {
    client_id: DEMO_SANDBOX.clientId,
    client_secret: DEMO_SANDBOX.clientSecret,
    scope: 'oob',
    grant_type: 'client_credentials',
  });
  const body = res.json();
  t.same(Object.keys(body).sort(), ['access_token', 'client_use_code', 'expires_in', 'scope', 'token_type']);
  t.equal(body.scope, 'oob');
  t.equal(body.client_use_code, 'M202600001');
  t.equal(body.expires_in, 7775999);
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
  t.equal(claims.aud, 'M202600001', 'an institution token names the 이용기관코드 as audience');
  t.same(claims.scope, ['oob']);
});

t.test('cancelling on the authorize pages returns access_denied with the state to the callback', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  const login = await b.get(authorizeUrl({ lang: 'eng' }));
  t.match(login.body, /Identity check/, 'lang=eng shows the pages in English');
  const res = await b.post('/oauth/2.0/authorize/cancel', hiddenFields(login.body, '/oauth/2.0/authorize/cancel'), {
    csrf: false,
  });
  t.equal(res.statusCode, 303);
  const url = new URL(String(res.headers.location));
  t.equal(url.searchParams.get('error'), 'access_denied');
  t.ok(url.searchParams.get('error_description'));
  t.equal(url.searchParams.get('state'), STATE);
});

t.test('a wrong test-user password re-renders the sign-in page and does not proceed', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  const login = await b.get(authorizeUrl());
  const res = await b.post(
    '/oauth/2.0/authorize/login',
    { ...hiddenFields(login.body, '/oauth/2.0/authorize/login'), login_id: 'hong', password: 'wrong' },
    { csrf: false },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, /error-summary/);
  t.match(res.body, /value="hong"/, 'the login id is kept');
  const accounts = await b.get('/oauth/2.0/authorize/accounts');
  t.notMatch(accounts.body, /name="account_id"/, 'no account step without identity check');
  const reload = await b.get('/oauth/2.0/authorize/login');
  t.equal(reload.statusCode, 200, 'reloading a step shows a page, not a JSON answer');
  t.match(reload.body, /name="login_id"/);
  const stale = await new Browser(app).get('/oauth/2.0/authorize/login');
  t.equal(stale.statusCode, 400, 'without a flow: the expired page');
  t.match(String(stale.headers['content-type']), /text\/html/);
});

t.test('the authorize forms are CSRF protected', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  const login = await b.get(authorizeUrl());
  const fields = hiddenFields(login.body, '/oauth/2.0/authorize/login');
  delete fields._csrf;
  const res = await b.post(
    '/oauth/2.0/authorize/login',
    { ...fields, login_id: 'hong', password: 'test1234!' },
    { csrf: false },
  );
  t.equal(res.statusCode, 403);
});

t.test('an unregistered redirect_uri shows an error page and never redirects', async (t) => {
  const app = await build(t, { demo: true });
  for (const redirect of [
    'https://evil.example/callback',
    'http://localhost:8080/callback/',
    'http://localhost:8080/Callback',
    'http://localhost:8080/callback?x=1',
  ]) {
    const res = await app.inject({ method: 'GET', url: authorizeUrl({ redirect_uri: redirect }) });
    t.equal(res.statusCode, 400, redirect);
    t.notOk(res.headers.location, 'no redirect');
    t.match(res.body, /3000114/);
  }
  const unknownClient = await app.inject({
    method: 'GET',
    url: authorizeUrl({ client_id: '00000000-0000-4000-8000-000000000000' }),
  });
  t.equal(unknownClient.statusCode, 400);
  t.notOk(unknownClient.headers.location);
  const twice = await app.inject({
    method: 'GET',
    url: `${authorizeUrl()}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
  });
  t.equal(twice.statusCode, 400, 'a second redirect_uri is refused on the page');
  t.notOk(twice.headers.location);
});

t.test('other authorize parameter errors go back to the registered redirect_uri with the state', async (t) => {
  const app = await build(t, { demo: true });
  const cases: [Record<string, string>, string][] = [
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: 'login oob' }, 'invalid_scope'],
    [{ scope: 'cardinfo' }, 'invalid_scope'],
    [{ state: 'short' }, 'invalid_request'],
    [{ auth_type: '7' }, 'invalid_request'],
    [{ client_info: 'x'.repeat(257) }, 'invalid_request'],
    [{ lang: 'jpn' }, 'invalid_request'],
  ];
  for (const [extra, error] of cases) {
    const res = await app.inject({ method: 'GET', url: authorizeUrl(extra) });
    t.equal(res.statusCode, 302, JSON.stringify(extra));
    const url = new URL(String(res.headers.location));
    t.equal(`${url.origin}${url.pathname}`, DEMO_SANDBOX.callbackUrl);
    t.equal(url.searchParams.get('error'), error, JSON.stringify(extra));
  }
});

t.test('auth_type=2 skips re-authentication for a known user with a login token', async (t) => {
  const app = await build(t, { demo: true });
  const { userTokenResponse } = await import('../../helpers/testbed');
  const tok = await userTokenResponse(app, { userSeqNo: HONG.userSeqNo, scope: 'login inquiry' });
  const ci = (await app.db('testbed_users').where({ user_seq_no: HONG.userSeqNo }).first('user_ci')).user_ci as string;
  const b = new Browser(app);
  const ok = await b.get(authorizeUrl({ auth_type: '2', scope: 'login inquiry' }), {
    'Kftc-Bfop-UserSeqNo': HONG.userSeqNo,
    'Kftc-Bfop-UserCI': ci,
    'Kftc-Bfop-AccessToken': String(tok.access_token),
  });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, '/oauth/2.0/authorize/accounts');
  const bad = await new Browser(app).get(authorizeUrl({ auth_type: '2' }), {
    'Kftc-Bfop-UserSeqNo': HONG.userSeqNo,
    'Kftc-Bfop-UserCI': 'x',
    'Kftc-Bfop-AccessToken': String(tok.access_token),
  });
  t.equal(bad.statusCode, 302);
  t.equal(new URL(String(bad.headers.location)).searchParams.get('error'), 'access_denied');
});
