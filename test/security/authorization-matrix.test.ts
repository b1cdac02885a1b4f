// Rule: every route of the fastify route table answers every actor with the outcome the authorization
// matrix (./authorization-matrix.ts) gives it; a route without a row fails, and no actor ever gets a 5xx.
// One app (demo data) for the whole file; each actor signs in once. Rows that change state run last, and
// in each row the actors who must be refused go first. MATRIX_TRACE=1 prints every cell's status;
// MATRIX_LOG=error shows the app's error log (e.g. the stack of a 500).
import t from 'tap';
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { build, Browser } from '../helpers/build';
import { DEMO_SANDBOX, HONG, oobToken, userTokenResponse } from '../helpers/testbed';
import { DEMO_IDS, DEMO_ORGS, DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo-accounts';
import { hashClientSecret, newClientSecret, secretHint } from '../../src/credentials/client-secret';
import { SYSTEM_ACTOR } from '../../src/audit/service';
import { applicationAt } from '../helpers/stage-shortcut';
import { VALID_ANSWERS } from '../api/fixtures/answers';
import { ACTORS, MATRIX, type Actor, type MatrixRow, type Outcome } from './authorization-matrix';

t.setTimeout(300_000);

const O_CODES = /^O00(0[1-6]|11)$/;

function classify(row: MatrixRow, res: LightMyRequestResponse): Outcome | string {
  const s = res.statusCode;
  if (s >= 500) return `HTTP ${s}`;
  if (row.surface === 'emulator') {
    if (s !== 200) return `HTTP ${s}`;
    let code = '';
    try {
      code = String((res.json() as { rsp_code?: unknown }).rsp_code ?? '');
    } catch {
      /* not JSON */
    }
    return O_CODES.test(code) ? 'kftc_refused' : 'ok';
  }
  const location = String(res.headers.location ?? '');
  if (s >= 300 && s < 400) {
    if (location.startsWith('/login')) return 'login';
    if (row.method === 'GET' && location.startsWith('/staff/') && !row.route.startsWith('/staff')) return 'to_staff';
    return 'ok';
  }
  if (s === 401) return 'unauth_api';
  if (s === 403) return res.body.includes('보안 토큰이 만료되었습니다') ? 'csrf' : 'forbidden';
  if (s === 404) return 'not_found';
  if (s >= 200 && s < 300) return 'ok';
  if (row.method === 'GET' && s === 400) return 'bad_request';
  if (row.method !== 'GET' && [400, 409, 415, 422].includes(s)) return 'ok';
  return `HTTP ${s}`;
}

t.test('every route × every actor gets the outcome the authorization matrix gives it', async (t) => {
  const started = Date.now();
  const app = await build(t, { demo: true, config: { logLevel: process.env.MATRIX_LOG ?? 'silent' } });
  const routes = app.routeTable.map((r) => `${r.method} ${r.url}`);
  const rows = new Map(MATRIX.map((r) => [`${r.method} ${r.route}`, r]));
  t.equal(rows.size, MATRIX.length, 'one row per route');
  const unclassified = routes.filter((r) => !rows.has(r));
  t.same(
    unclassified,
    [],
    `every route has a row in test/security/authorization-matrix.ts (missing: ${unclassified.join(', ')})`,
  );
  const stale = [...rows.keys()].filter((k) => !routes.includes(k));
  t.same(stale, [], 'every row names a route that exists');

  // ——— actors ———
  const orgA = DEMO_IDS.demoFintechOrg;
  const orgB = DEMO_IDS.samplePayOrg;
  await app.services.accounts.createUserDirect({
    email: 'member@demo-fintech.example',
    name: '멤버',
    password: DEMO_PASSWORD,
    organizationId: orgA,
    orgRole: 'member',
  });
  const throwawayStaff = await app.services.accounts.createUserDirect({
    email: 'throwaway@staff.example',
    name: '임시',
    password: DEMO_PASSWORD,
    staffRole: 'reviewer',
  });
  const emails: Partial<Record<Actor, string>> = {
    ownerA: DEMO_ORGS.demoFintech.owner,
    memberA: 'member@demo-fintech.example',
    ownerB: DEMO_ORGS.samplePay.owner,
    ...Object.fromEntries(DEMO_STAFF.map((s) => [s.role, s.email])),
  };
  const browsers = new Map<Actor, Browser>();
  const apiTokens = new Map<Actor, string>();
  const issueApiToken = async (email: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { email, password: DEMO_PASSWORD },
    });
    if (res.statusCode !== 201) throw new Error(`token for ${email}: ${res.statusCode}`);
    return res.json() as { token: string; id?: string };
  };
  for (const [actor, email] of Object.entries(emails) as [Actor, string][]) {
    const b = new Browser(app);
    await b.login(email);
    browsers.set(actor, b);
    apiTokens.set(actor, (await issueApiToken(email)).token);
  }
  const anonymous = new Browser(app);
  await anonymous.get('/login');
  browsers.set('anonymous', anonymous);
  // revoked: the cookie of a session that signed out; expired: a session past its expiry.
  const signedOut = new Browser(app);
  await signedOut.login(DEMO_ORGS.demoFintech.owner);
  const signedOutCookies = new Map(signedOut.cookies);
  t.equal((await signedOut.post('/logout', {}, { formUrl: '/account' })).statusCode, 303, 'signed out');
  signedOut.cookies = signedOutCookies;
  browsers.set('revoked', signedOut);
  const expiredSession = new Browser(app);
  await expiredSession.login(DEMO_ORGS.demoFintech.owner);
  const sid = decodeURIComponent([...expiredSession.cookies.values()][0]!)
    .replace(/^s:/, '')
    .split('.')[0]!;
  t.equal(
    await app
      .db('sessions')
      .where({ sid })
      .update({ expires_at: Date.now() - 60_000 }),
    1,
    'a session expired in the database',
  );
  browsers.set('expired', expiredSession);
  // API: a revoked personal token; personal tokens never expire, so "expired" is a well-formed unknown token.
  const revokedApi = await issueApiToken(DEMO_ORGS.demoFintech.owner);
  const listed = (
    await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { authorization: `Bearer ${revokedApi.token}` } })
  ).json() as { tokens: { id: string; last_used_at: string | null }[] };
  const newest = listed.tokens.find((x) => x.last_used_at) ?? listed.tokens[0]!;
  t.equal(
    (
      await app.inject({
        method: 'DELETE',
        url: `/api/v1/tokens/${newest.id}`,
        headers: { authorization: `Bearer ${revokedApi.token}` },
      })
    ).statusCode,
    204,
    'the token revoked through the API',
  );
  apiTokens.set('revoked', revokedApi.token);
  apiTokens.set('expired', `obp_${crypto.randomBytes(32).toString('base64url').slice(0, 43)}`);
  // Production credentials of 데모핀테크 (the test bed refuses them).
  const appA = (await app.db('applications').where({ organization_id: orgA }).first('id')).id as string;
  const appB = (await app.db('applications').where({ organization_id: orgB }).first('id')).id as string;
  const production = await app.services.credentials.issueProductionCredentials(appA);
  const prodSecret = newClientSecret();
  await app.db('client_secrets').insert({
    id: crypto.randomUUID(),
    credential_set_id: production.credentialSetId,
    secret_hash: hashClientSecret(prodSecret),
    hint: secretHint(prodSecret),
    expires_at: null,
    created_at: new Date().toISOString(),
    created_by: null,
    revoked_at: null,
  });
  apiTokens.set('production', prodSecret);
  // Emulator tokens: org A's oob and user tokens, and revoked / expired ones of each kind.
  const tokens = {
    oob: await oobToken(app),
    user: String((await userTokenResponse(app, { userSeqNo: HONG.userSeqNo })).access_token),
    revoked: { oob: await oobToken(app), user: await userTokenResponse(app, { userSeqNo: HONG.userSeqNo }) },
    expired: { oob: await oobToken(app), user: await userTokenResponse(app, { userSeqNo: HONG.userSeqNo }) },
  };
  const jti = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[1]!, 'base64url').toString()).jti as string;
  const past = new Date(Date.now() - 3600_000).toISOString();
  for (const tok of [tokens.revoked.oob, String(tokens.revoked.user.access_token)])
    await app
      .db('testbed_tokens')
      .where({ jti: jti(tok) })
      .update({ revoked_at: past });
  for (const tok of [tokens.expired.oob, String(tokens.expired.user.access_token)])
    await app
      .db('testbed_tokens')
      .where({ jti: jti(tok) })
      .update({ expires_at: past, refresh_expires_at: past });
  const ownTestUserA = (
    await app.services.testbedUsers.createTestUser(SYSTEM_ACTOR, orgA, {
      name: '권한점검',
      birth_date: '1991-02-03',
      login_id: 'matrix-own',
      password: 'matrix-pass-1',
    })
  ).userSeqNo;
  const appC = (await applicationAt(app, 'suitability', { email: 'owner@matrix-c.example' })).id; // a third organization's submitted application
  // A security document and an open finding of org A's application (it is in testing: the rows check access, not the stage).
  const inspectorId = (await app.db('users').where({ email: 'inspector@portal.example' }).first('id')).id as string;
  const pdf = Buffer.from('%PDF-1.4 matrix');
  const fileA = crypto.randomUUID();
  await app.db('security_files').insert({
    id: fileA,
    application_id: appA,
    organization_id: orgA,
    slot: 'self_assessment',
    version: 1,
    filename: 'self.pdf',
    content_type: 'application/pdf',
    size_bytes: pdf.length,
    sha256: crypto.createHash('sha256').update(pdf).digest('hex'),
    content: pdf,
    uploaded_by: DEMO_IDS.demoFintechOwner,
    uploaded_at: new Date().toISOString(),
  });
  // An application document of org A's application (the demo seed uploads them).
  const appFileA = (await app.db('application_files').where({ application_id: appA }).first('id')).id as string;
  const findingA = crypto.randomUUID();
  await app.db('security_findings').insert({
    id: findingA,
    application_id: appA,
    organization_id: orgA,
    severity: 'high',
    title: '점검',
    description: '권한 점검',
    status: 'open',
    created_by: inspectorId,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  });
  await app.services.testbedRequestLog.flush();
  const requestA = String(
    (await app.db('testbed_request_log').where({ organization_id: orgA }).orderBy('seq', 'desc').first('seq')).seq,
  );

  // An account in org A's sandbox world (its transaction-history page).
  const ledgerAccountA = String(
    (await app.db('bank_accounts').where({ organization_id: orgA }).orderBy('id').first('id')).id,
  );

  const fixtures: Record<string, string> = {
    appA,
    ledgerAccountA,
    appB,
    appC,
    fileA,
    appFileA,
    findingA,
    orgA,
    orgB,
    requestA,
    ownTestUserA,
    throwawayStaff,
    userSeqNo: HONG.userSeqNo,
    uuid: '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b',
    unknownToken: 'no-such-token-0123456789abcdefghijklmnop',
    authorizeQuery: new URLSearchParams({
      response_type: 'code',
      client_id: DEMO_SANDBOX.clientId,
      redirect_uri: DEMO_SANDBOX.callbackUrl,
      scope: 'login inquiry transfer',
      state: '12345678901234567890123456789012',
      auth_type: '0',
    }).toString(),
  };
  // Targets an allowed actor may consume (revoke, delete, mark read): a fresh one for each cell.
  const ownerAId = DEMO_IDS.demoFintechOwner;
  const sandboxSetA = (
    await app
      .db('credential_sets')
      .where({ organization_id: orgA, environment: 'sandbox', status: 'active' })
      .first('id')
  ).id as string;
  const demoSecretHash = hashClientSecret(DEMO_SANDBOX.clientSecret);
  let serial = 0;
  const now = () => new Date().toISOString();
  const fresh: Record<string, () => Promise<string>> = {
    async inviteA() {
      const id = crypto.randomUUID();
      await app.db('invites').insert({
        id,
        organization_id: orgA,
        token_hash: crypto.randomBytes(32).toString('hex'),
        created_by: ownerAId,
        created_at: now(),
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      });
      return id;
    },
    async callbackA() {
      const id = crypto.randomUUID();
      await app
        .db('callback_urls')
        .insert({ id, organization_id: orgA, url: `https://callback.example/matrix-${++serial}`, created_at: now() });
      return id;
    },
    async apiTokenOwnerA() {
      const id = crypto.randomUUID();
      const raw = crypto.randomBytes(32).toString('hex');
      await app
        .db('api_tokens')
        .insert({ id, user_id: ownerAId, name: 'matrix', token_hash: raw, prefix: 'obp_matrix', created_at: now() });
      return id;
    },
    async notificationOwnerA() {
      const id = crypto.randomUUID();
      await app.db('notifications').insert({
        id,
        user_id: ownerAId,
        organization_id: orgA,
        message_key: 'notifications.matrix',
        created_at: now(),
      });
      return id;
    },
    async sandboxSetA() {
      return sandboxSetA; // 데모핀테크's active sandbox set (read only: its secrets list)
    },
    // A second client secret of 데모핀테크 (never the demo secret the other rows use): the newest active one, else a new one.
    async spareSecretA() {
      const spare = () =>
        app
          .db('client_secrets')
          .where({ credential_set_id: sandboxSetA })
          .whereNull('revoked_at')
          .whereNot({ secret_hash: demoSecretHash })
          .orderBy('created_at', 'desc')
          .first('id');
      if (!(await spare())) await app.services.credentials.createSecret(SYSTEM_ACTOR, orgA);
      return (await spare()).id as string;
    },
  };
  const urlOf = async (row: MatrixRow) => {
    let url = row.url;
    for (const [, k] of row.url.matchAll(/\{(\w+)\}/g)) {
      const value = k! in fresh ? await fresh[k!]!() : fixtures[k!];
      if (value === undefined) throw new Error(`no fixture ${k}`);
      url = url.replace(`{${k}}`, value);
    }
    return url;
  };

  const csrf = new Map<Actor, string>();
  for (const [actor, b] of browsers) {
    if (actor === 'revoked' || actor === 'expired') continue;
    csrf.set(actor, await b.csrfToken(actor === 'anonymous' ? '/login' : '/account'));
  }
  csrf.set('revoked', csrf.get('ownerA')!);
  csrf.set('expired', csrf.get('ownerA')!);

  async function send(row: MatrixRow, actor: Actor): Promise<LightMyRequestResponse> {
    const url = await urlOf(row);
    const method = row.method;
    if (row.surface === 'page') {
      const b = actor === 'production' ? null : browsers.get(actor)!;
      const headers: Record<string, string> = b
        ? { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
        : { authorization: `Bearer ${prodSecret}` };
      if (method === 'GET') return app.inject({ method, url, headers });
      const token = actor === 'production' ? 'no-session' : csrf.get(actor)!;
      return app.inject({
        method,
        url,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, ...row.body?.form }).toString(),
      });
    }
    if (row.surface === 'api') {
      const token = apiTokens.get(actor);
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (method === 'GET') return app.inject({ method, url, headers });
      if (row.body?.multipart) {
        const boundary = 'matrixboundary';
        const payload = [
          `--${boundary}`,
          'Content-Disposition: form-data; name="kind"',
          '',
          'self_assessment',
          `--${boundary}`,
          'Content-Disposition: form-data; name="file"; filename="a.pdf"',
          'Content-Type: application/pdf',
          '',
          '%PDF-1.4 matrix',
          `--${boundary}--`,
          '',
        ].join('\r\n');
        return app.inject({
          method,
          url,
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload,
        });
      }
      const json = row.body?.json === 'answers' ? { company: VALID_ANSWERS.company } : (row.body?.json ?? {});
      return app.inject({
        method,
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify(json),
      });
    }
    // emulator
    const scope = row.scope ?? 'oob';
    const isOrgA = actor === 'ownerA' || actor === 'memberA';
    if (row.route === '/oauth/2.0/token' || row.route === '/testbed/sandbox/authorize') {
      let fields: Record<string, string>;
      if (isOrgA) fields = { client_id: DEMO_SANDBOX.clientId, client_secret: DEMO_SANDBOX.clientSecret };
      else if (actor === 'production') fields = { client_id: production.clientId, client_secret: prodSecret };
      else if (actor === 'anonymous') fields = {};
      else if (actor === 'revoked' || actor === 'expired')
        fields = { client_id: DEMO_SANDBOX.clientId, client_secret: DEMO_SANDBOX.clientSecret };
      else fields = { client_id: DEMO_SANDBOX.clientId, client_secret: apiTokens.get(actor)! };
      if (row.route === '/oauth/2.0/token') {
        if (actor === 'revoked' || actor === 'expired')
          Object.assign(fields, {
            grant_type: 'refresh_token',
            refresh_token: String(tokens[actor].user.refresh_token),
          });
        else Object.assign(fields, { grant_type: 'client_credentials', scope: 'oob' });
      } else {
        Object.assign(fields, {
          user_seq_no: HONG.userSeqNo,
          scope: 'login inquiry transfer',
          redirect_uri: DEMO_SANDBOX.callbackUrl,
        });
        if (actor === 'revoked' || actor === 'expired')
          fields.client_secret = scope === 'user' ? String(tokens[actor].user.access_token) : tokens[actor].oob;
      }
      return app.inject({
        method,
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    }
    let bearer: string | null = null;
    let cookie = '';
    if (isOrgA) bearer = scope === 'user' ? tokens.user : tokens.oob;
    else if (actor === 'revoked' || actor === 'expired')
      bearer = scope === 'user' ? String(tokens[actor].user.access_token) : tokens[actor].oob;
    else if (actor === 'production') bearer = prodSecret;
    else if (actor !== 'anonymous') {
      bearer = apiTokens.get(actor)!;
      cookie = [...browsers.get(actor)!.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const headers: Record<string, string> = {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(cookie ? { cookie } : {}),
    };
    if (method === 'GET') return app.inject({ method, url, headers });
    return app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' });
  }

  const counts: Record<string, number> = {};
  let checked = 0;
  const ordered = [
    ...MATRIX.filter((r) => !r.destructive),
    ...MATRIX.filter((r) => r.destructive).sort((a, b) => a.destructive! - b.destructive!),
  ];
  for (const row of ordered) {
    // Refusals first, allowed actors last: an allowed mutating call may change state.
    const actors = [...ACTORS].sort((a, b) => Number(row.expect[a] === 'ok') - Number(row.expect[b] === 'ok'));
    for (const actor of actors) {
      const expected = row.expect[actor];
      const todo = row.todo?.[actor];
      const res = await send(row, actor);
      const got = classify(row, res);
      checked += 1;
      counts[expected] = (counts[expected] ?? 0) + 1;
      const name = `${row.method} ${row.route} × ${actor}: ${expected}`;
      if (todo) {
        t.equal(got, expected, name, { todo });
        continue;
      }
      if (got !== expected)
        t.fail(name, { got, status: res.statusCode, location: res.headers.location, body: res.body.slice(0, 300) });
      else t.pass(name);
      if (process.env.MATRIX_TRACE)
        t.comment(
          `${name} → ${res.statusCode} ${res.headers.location ?? ''} ${row.surface === 'emulator' ? res.body.slice(0, 80) : ''}`,
        );
    }
  }
  t.comment(
    `${MATRIX.length} routes × ${ACTORS.length} actors = ${checked} checks in ${((Date.now() - started) / 1000).toFixed(1)} s; expected outcomes: ${JSON.stringify(counts)}`,
  );
});
