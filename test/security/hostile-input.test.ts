// Rule: no request, however hostile, gets a 5xx or an undocumented answer, and a refused request changes
// nothing in the database. Property-based (fast-check) over EVERY route of app.routeTable (new routes are
// covered automatically): wrong types, missing and duplicated fields, huge and deeply nested bodies,
// control and bidi characters, NUL, overlong strings, negative and overflowing amounts, wrong content types
// and methods, sent by an anonymous visitor, an applicant, another organization's owner and an admin (real
// sessions and CSRF tokens; personal API tokens; the demo sandbox's oob and user tokens).
// Documented answers: emulator → HTTP 200 with a catalogued rsp_code (src/testbed/docs/code-catalogue.ts;
// A0003 is the emulator's "internal error" and counts as a 5xx) or a token / code; /api → 2xx/3xx, or 4xx
// with the error envelope {error: {code, message}}; pages → 2xx, 3xx, or 400/403/404/405/409/413/415/422/429.
// "Changes nothing": the row count of every table and every ledger balance are the same before and after a
// refused request, except the tables that record refusals or visitors by design (EXCLUDED_TABLES).
// Runs: HOSTILE_RUNS (default 2,000; RELIABILITY_LONG=1 → 10,000), HOSTILE_SEED to replay a failure.
import t from 'tap';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { build, Browser } from '../helpers/build';
import { bankTranId, DEMO_SANDBOX, fintechNumbers, HONG, oobToken, userTokenResponse } from '../helpers/testbed';
import { DEMO_IDS, DEMO_ORGS, DEMO_PASSWORD } from '../../src/demo-accounts';
import { catalogueCodes } from '../../src/testbed/docs/code-catalogue';
import { MATRIX } from './authorization-matrix';
import { bodySpec, hostileString, hostileValue, renderBody, type BodySpec } from './hostile-arbitraries';

// tap's --timeout bounds the file from outside (a file cannot extend it): CI gives the long run 900 s.
t.setTimeout(Number(process.env.RELIABILITY_LONG ? 1_800_000 : 300_000));

const LONG = process.env.RELIABILITY_LONG === '1' || process.env.RELIABILITY_LONG === 'true';
const NUM_RUNS = Number(process.env.HOSTILE_RUNS ?? (LONG ? 10_000 : 2_000));
const SEED =
  process.env.HOSTILE_SEED !== undefined
    ? Number(process.env.HOSTILE_SEED)
    : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

/**
 * Tables a refused request may grow by design: the emulator's request log (testbed_request_log*, written
 * in batches after the answer), its rolled-up usage counts (testbed_request_usage, kept with the log) and
 * call counters (every call is logged, refused or not), sign-in failure counters and lockouts (a refused
 * sign-in is counted), the session store (any visitor gets a session for the CSRF secret), and knex's own
 * bookkeeping.
 */
const EXCLUDED_TABLES = new Set([
  'testbed_request_log',
  'testbed_request_usage',
  'testbed_api_counts',
  'login_failures',
  'login_lockouts',
  'sessions',
  'knex_migrations',
  'knex_migrations_lock',
  'sqlite_sequence',
]);

const PAGE_STATUSES = new Set([
  200, 201, 204, 301, 302, 303, 304, 307, 308, 400, 403, 404, 405, 409, 413, 415, 422, 429,
]);
const CODES = new Set(catalogueCodes());

type Surface = 'page' | 'api' | 'emulator';
type Actor = 'anonymous' | 'ownerA' | 'ownerB' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'ownerA', 'ownerB', 'admin'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function surfaceOf(url: string): Surface {
  if (url.startsWith('/api/')) return 'api';
  if (url.startsWith('/v2.0/') || url === '/oauth/2.0/token' || url.startsWith('/testbed/')) return 'emulator';
  return 'page';
}

/** Every byte of the UTF-8 encoding percent-escaped, except the unreserved characters. */
function encodeUtf8(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

interface Verdict {
  outcome: string;
  refused: boolean;
  problem?: string;
}

/**
 * Found by this suite (issue 12): a path parameter longer than fastify's maxParamLength (414) or with a
 * broken %-escape (400) was answered by fastify's router itself, a bare {"code":"FST_ERR_…"}. The app's
 * frameworkErrors option now answers a 404 in the surface's words; such an answer is counted apart and
 * the assertion below fails if one comes back.
 */
const ROUTER_ERROR = /"code":"FST_ERR_(MAX_PARAM_LENGTH|BAD_URL)"/;

function judge(surface: Surface, res: LightMyRequestResponse): Verdict {
  const s = res.statusCode;
  if ((s === 414 || s === 400) && ROUTER_ERROR.test(res.body))
    return { outcome: `${surface} ${s} router error`, refused: true };
  if (s >= 500) return { outcome: `${surface} ${s}`, refused: true, problem: `HTTP ${s}` };
  if (surface === 'emulator') {
    let body: Record<string, unknown>;
    try {
      body = res.json() as Record<string, unknown>;
    } catch {
      return { outcome: `emulator ${s} non-JSON`, refused: true, problem: 'not JSON' };
    }
    if (s !== 200) return { outcome: `emulator ${s}`, refused: true, problem: `HTTP ${s} (the emulator answers 200)` };
    if (typeof body.rsp_code === 'string') {
      if (body.rsp_code === 'A0003')
        return { outcome: 'emulator A0003', refused: true, problem: 'A0003 internal error' };
      if (!CODES.has(body.rsp_code))
        return {
          outcome: `emulator ${body.rsp_code}`,
          refused: true,
          problem: `rsp_code ${body.rsp_code} is not in the code catalogue`,
        };
      return { outcome: `emulator ${body.rsp_code}`, refused: body.rsp_code !== 'A0000' };
    }
    if (typeof body.access_token === 'string' || typeof body.code === 'string')
      return { outcome: 'emulator token/code', refused: false };
    if (typeof body.error === 'string') return { outcome: `emulator error=${body.error}`, refused: true };
    return { outcome: 'emulator ?', refused: false, problem: `undocumented answer ${res.body.slice(0, 120)}` };
  }
  if (surface === 'api') {
    if (s < 400) return { outcome: `api ${s}`, refused: false };
    let envelope: { error?: { code?: unknown; message?: unknown } } = {};
    try {
      envelope = res.json();
    } catch {
      /* not JSON */
    }
    const ok = typeof envelope.error?.code === 'string' && typeof envelope.error?.message === 'string';
    return {
      outcome: `api ${s}`,
      refused: true,
      problem: ok ? undefined : `HTTP ${s} without the error envelope: ${res.body.slice(0, 120)}`,
    };
  }
  return {
    outcome: `page ${s}`,
    refused: s >= 400,
    problem: PAGE_STATUSES.has(s) ? undefined : `undocumented page status ${s}`,
  };
}

/** Every JSON-schema property and parameter name in an OpenAPI document. */
function openApiNames(doc: unknown, out: Set<string>): void {
  if (Array.isArray(doc)) {
    for (const d of doc) openApiNames(d, out);
    return;
  }
  if (!doc || typeof doc !== 'object') return;
  const o = doc as Record<string, unknown>;
  if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) out.add(k);
  if (typeof o.name === 'string' && typeof o.in === 'string') out.add(o.name);
  for (const v of Object.values(o)) openApiNames(v, out);
}

t.test('hostile input: never a 5xx, always a documented answer, and a refused request changes nothing', async (t) => {
  const started = Date.now();
  const app = await build(t, { demo: true, config: { logLevel: process.env.HOSTILE_LOG ?? 'silent' } });
  const routes = [...app.routeTable];
  t.ok(routes.length > 100, `${routes.length} routes in the route table`);
  const destructive = new Set(MATRIX.filter((r) => r.destructive).map((r) => `${r.method} ${r.route}`));

  // ——— actors: real sign-ins, CSRF tokens from the pages, personal API tokens, emulator tokens ———
  const browsers = new Map<Actor, Browser>();
  const csrf = new Map<Actor, string>();
  const apiTokens = new Map<Actor, string>();
  const emails: Partial<Record<Actor, string>> = {
    ownerA: DEMO_ORGS.demoFintech.owner,
    ownerB: DEMO_ORGS.samplePay.owner,
    admin: 'admin@portal.example',
  };
  for (const actor of ACTORS) {
    const b = new Browser(app);
    const email = emails[actor];
    if (email) {
      await b.login(email);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { email, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 201) throw new Error(`API token for ${email}: ${res.statusCode}`);
      apiTokens.set(actor, (res.json() as { token: string }).token);
    }
    csrf.set(actor, await b.csrfToken(email ? '/account' : '/login'));
    browsers.set(actor, b);
  }
  // An organization's sandbox world is copied from the template on its first touch, the sandbox page
  // included (src/testbed/ledger/sandbox-worlds.ts). Touch both worlds now: otherwise a refused form that
  // re-renders /sandbox (a 422 on /sandbox/revoke) is the first touch and the world's copy looks like a
  // change made by a refused request.
  for (const actor of ['ownerA', 'ownerB'] as const) {
    const res = await browsers.get(actor)!.get('/sandbox');
    if (res.statusCode !== 200) throw new Error(`/sandbox as ${actor}: ${res.statusCode}`);
  }
  const oob = await oobToken(app);
  const user = String((await userTokenResponse(app, { userSeqNo: HONG.userSeqNo })).access_token);
  const fintech = Object.values(await fintechNumbers(app, HONG.userSeqNo));
  const appA = (await app.db('applications').where({ organization_id: DEMO_IDS.demoFintechOrg }).first('id'))
    .id as string;
  const appB = (await app.db('applications').where({ organization_id: DEMO_IDS.samplePayOrg }).first('id'))
    .id as string;

  // ——— field names: the two OpenAPI documents and every form field the pages render ———
  const names = new Set<string>([
    '_csrf',
    'amount',
    'tran_amt',
    'opening_balance',
    'email',
    'password',
    'next',
    'flow',
    'state',
    'code',
  ]);
  const docs: unknown[] = [];
  for (const url of ['/docs/testbed/openapi.json', '/api/v1/openapi.json']) {
    const res = await app.inject({ method: 'GET', url });
    if (res.statusCode === 200) {
      openApiNames(res.json(), names);
      docs.push(res.json());
    }
  }
  const fixtureIds = { id: appA, orgId: DEMO_IDS.demoFintechOrg, userSeqNo: HONG.userSeqNo };
  for (const r of routes.filter((r) => r.method === 'GET' && !r.url.includes('*'))) {
    const url = r.url.replace(/:(\w+)/g, (_, k: string) => (fixtureIds as Record<string, string>)[k] ?? appA);
    for (const actor of ['ownerA', 'admin'] as const) {
      const res = await app.inject({
        method: 'GET',
        url,
        headers: { cookie: [...browsers.get(actor)!.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const m of res.body.matchAll(/name="([^"]{1,60})"/g)) names.add(m[1]!);
    }
  }
  names.delete('viewport');
  const fieldName = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...[...names].sort()) },
    { weight: 1, arbitrary: hostileString.map((s) => s.slice(0, 200)) },
  );
  t.comment(`${names.size} field names harvested from the OpenAPI documents and the pages`);

  // Plausible values reach past the first check; destructive routes (the authorization matrix's `destructive`
  // rows) never get the real identifiers, so an accepted call cannot consume the fixtures the rest rely on.
  const plausibleValues = [
    appA,
    appB,
    DEMO_IDS.demoFintechOrg,
    DEMO_IDS.samplePayOrg,
    HONG.userSeqNo,
    ...fintech,
    DEMO_SANDBOX.clientId,
    DEMO_SANDBOX.clientSecret,
    DEMO_SANDBOX.callbackUrl,
    DEMO_SANDBOX.clientUseCode,
    bankTranId(),
    bankTranId(),
    '097',
    '098',
    '1000',
    '1',
    '0',
    '20261203',
    '20261203101010',
    'Y',
    'N',
    'A',
    'D',
    'W',
    'TR',
    'login inquiry transfer',
    'oob',
    'sa',
    'client_credentials',
    'authorization_code',
    'refresh_token',
    'ars',
    'ko',
    'en',
    'company',
    'low',
    'high',
    'reject',
    'approve',
    'owner@demo-fintech.example',
    '홍길동',
    '1002600000001',
    '12345678901234567890123456789012',
  ];
  const harmless = fc.constantFrom(
    '097',
    '1000',
    '20261203',
    'Y',
    'N',
    'ko',
    'low',
    '0',
    '9999999999',
    'M202600001U000000000',
  );
  const plausible = fc.constantFrom(...plausibleValues);

  // A valid-looking request per documented operation (the OpenAPI examples, with the demo's real identifiers
  // where the route needs them), so mutations of it — a field deleted, given a hostile value or duplicated —
  // reach the checks behind the first one (amounts, balances, consents).
  const now = new Date(Date.now() + 9 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  const real: Record<string, () => unknown> = {
    fintech_use_num: () => fintech[0],
    req_client_fintech_use_num: () => fintech[0],
    user_seq_no: () => HONG.userSeqNo,
    bank_tran_id: () => bankTranId(),
    tran_dtime: () => now,
    client_use_code: () => DEMO_SANDBOX.clientUseCode,
    id: () => appA,
  };
  const bases = new Map<string, { fields: [string, unknown][]; inQuery: boolean }>();
  for (const doc of docs as {
    paths?: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string; schema?: Record<string, unknown> }[];
          requestBody?: {
            content?: Record<string, { schema?: { properties?: Record<string, Record<string, unknown>> } }>;
          };
        }
      >
    >;
  }[]) {
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(ops)) {
        const sample = (name: string, schema: Record<string, unknown> = {}) =>
          real[name]
            ? real[name]!()
            : (schema.example ??
              (Array.isArray(schema.enum)
                ? schema.enum[0]
                : schema.type === 'integer' || schema.type === 'number'
                  ? 1000
                  : schema.type === 'boolean'
                    ? true
                    : 'x'));
        const fields: [string, unknown][] = [];
        for (const prm of op.parameters ?? [])
          if (prm.in === 'query') fields.push([prm.name, sample(prm.name, prm.schema)]);
        const props = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        for (const [name, schema] of Object.entries(props)) fields.push([name, sample(name, schema)]);
        if (fields.length)
          bases.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, {
            fields,
            inQuery: method === 'get',
          });
      }
    }
  }
  t.comment(`${bases.size} documented operations give a valid-looking base request to mutate`);
  const mutation = (keys: string[]) =>
    fc.oneof(
      fc.record({ op: fc.constant('delete' as const), field: fc.constantFrom(...keys) }),
      fc.record({
        op: fc.constant('set' as const),
        field: fc.constantFrom(...keys),
        value: hostileValue(fieldName, plausible),
      }),
      fc.record({
        op: fc.constant('duplicate' as const),
        field: fc.constantFrom(...keys),
        value: hostileValue(fieldName, plausible),
      }),
      fc.record({ op: fc.constant('add' as const), field: fieldName, value: hostileValue(fieldName, plausible) }),
    );
  type Mutation = { op: 'delete' | 'set' | 'duplicate' | 'add'; field: string; value?: unknown };
  function mutate(fields: [string, unknown][], ms: Mutation[]): [string, unknown][] {
    let out = fields.map(([k, v]): [string, unknown] => [k, v]);
    for (const m of ms) {
      if (m.op === 'delete') out = out.filter(([k]) => k !== m.field);
      else if (m.op === 'set') out = out.map(([k, v]): [string, unknown] => [k, k === m.field ? m.value : v]);
      else out.push([m.field, m.value]);
    }
    return out;
  }

  // One arbitrary per route: every route gets its share of the runs, whatever the seed.
  const requestArb = (routeIndex: number) => {
    const route = routes[routeIndex]!;
    const safe = destructive.has(`${route.method} ${route.url}`);
    const values = safe ? harmless : plausible;
    const param = safe
      ? hostileString
      : fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 3, arbitrary: hostileString });
    const paramCount = (route.url.match(/:\w+|\*/g) ?? []).length;
    const base = bases.get(`${route.method} ${route.url}`);
    return fc.record({
      routeIndex: fc.constant(routeIndex),
      // Destructive routes as the applicant could consume org A's sandbox or session: other actors there.
      actor: fc.constantFrom(...(safe ? ACTORS.filter((a) => a !== 'ownerA') : ACTORS)),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      params: fc.array(param, { minLength: paramCount, maxLength: paramCount }),
      query:
        base?.inQuery && !safe
          ? fc
              .array(mutation(base.fields.map(([k]) => k)), { maxLength: 3 })
              .map((ms) => mutate(base.fields, ms as Mutation[]))
          : fc.array(fc.tuple(fieldName, fc.oneof(hostileString, values)), {
              maxLength: route.method === 'GET' ? 8 : 3,
            }),
      body:
        base && !base.inQuery && !safe
          ? fc.oneof(
              bodySpec(fieldName, values),
              fc.array(mutation(base.fields.map(([k]) => k)), { maxLength: 3 }).map(
                (ms): BodySpec => ({
                  kind: 'json',
                  pairs: mutate(base.fields, ms as Mutation[]),
                  raw: [],
                  contentType: 'application/json',
                }),
              ),
            )
          : bodySpec(fieldName, values),
      credential: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'missing', 'hostile', 'other'),
      hostileHeader: fc.option(
        fc.tuple(
          fc.constantFrom(
            'accept-language',
            'accept',
            'x-forwarded-for',
            'user-agent',
            'referer',
            'x-request-id',
            'cookie',
          ),
          hostileString,
        ),
        { freq: 6 },
      ),
      emulatorToken: fc.constantFrom('oob', 'user', 'user', 'none'),
      rawPath: fc
        .boolean()
        .map((b) => b && paramCount > 0)
        .chain((b) => (b ? fc.boolean() : fc.constant(false))),
    });
  };
  type HostileRequest = ReturnType<typeof requestArb> extends fc.Arbitrary<infer R> ? R : never;

  // ——— database fingerprint: row counts of every table but the excluded ones, and every ledger balance ———
  const isPg = app.db.client.config.client === 'pg';
  const tableRows: { name: string }[] = isPg
    ? (
        await app.db.raw(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
      ).rows
    : await app.db('sqlite_master').where({ type: 'table' }).select('name');
  const tables = tableRows
    .map((r) => r.name)
    .filter((n) => !EXCLUDED_TABLES.has(n) && !n.startsWith('testbed_request_log'))
    .sort();
  const countSql = tables.map((n) => `SELECT '${n}' AS t, COUNT(*) AS n FROM "${n}"`).join(' UNION ALL ');
  async function fingerprint(): Promise<Map<string, string>> {
    const counts = await app.db.raw(countSql);
    const rows = (isPg ? counts.rows : counts) as { t: string; n: number | string }[];
    const out = new Map(rows.map((r) => [`rows ${r.t}`, String(r.n)]));
    for (const b of await app.db('bank_accounts').select('id', 'balance').orderBy('id'))
      out.set(`balance ${b.id}`, String(b.balance));
    return out;
  }
  const diff = (a: Map<string, string>, b: Map<string, string>) =>
    [...new Set([...a.keys(), ...b.keys()])]
      .filter((k) => a.get(k) !== b.get(k))
      .map((k) => `${k}: ${a.get(k) ?? '-'} → ${b.get(k) ?? '-'}`);

  function describe(r: HostileRequest): string {
    const route = routes[r.routeIndex]!;
    const body = JSON.stringify(r.body, (_k, v) =>
      typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v,
    );
    return `${r.method} ${route.url} as ${r.actor} (credential ${r.credential}, params ${JSON.stringify(r.params.map((p) => p.slice(0, 40)))}) body ${body.slice(0, 400)}`;
  }

  async function send(r: HostileRequest): Promise<{ surface: Surface; res: LightMyRequestResponse }> {
    const route = routes[r.routeIndex]!;
    const surface = surfaceOf(route.url);
    let i = 0;
    // Percent-encoded as UTF-8 bytes (lone surrogates too); with rawPath, sent as typed (a broken %-escape stays broken).
    const segment = (p: string) =>
      r.rawPath ? p.replace(/[/?#\s]/g, '_').replace(/[^\x21-\x7e]/g, (c) => encodeUtf8(c)) : encodeUtf8(p);
    let path = route.url.replace(/:\w+|\*/g, () => segment(r.params[i++] ?? ''));
    if (r.query.length)
      path += `${path.includes('?') ? '&' : '?'}${new URLSearchParams(r.query.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()}`;
    const headers: Record<string, string> = {};
    const extra: [string, string][] = [];
    const b = browsers.get(r.actor)!;
    if (surface === 'page') {
      headers.cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (r.credential === 'valid') extra.push(['_csrf', csrf.get(r.actor)!]);
      else if (r.credential === 'other') extra.push(['_csrf', csrf.get(r.actor === 'admin' ? 'ownerB' : 'admin')!]);
      else if (r.credential === 'hostile') extra.push(['_csrf', csrf.get(r.actor)!], ['_csrf', 'x']);
    } else if (surface === 'api') {
      const token = apiTokens.get(r.actor);
      if (r.credential === 'hostile') headers.authorization = `Bearer ${encodeUtf8(r.params[0] ?? 'x')}\u0000`;
      else if (r.credential === 'other') headers.authorization = `Basic ${Buffer.from('a:b').toString('base64')}`;
      else if (token && r.credential === 'valid') headers.authorization = `Bearer ${token}`;
    } else {
      const token = r.emulatorToken === 'oob' ? oob : r.emulatorToken === 'user' ? user : null;
      if (r.credential === 'hostile') headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
      else if (r.credential === 'other') headers.authorization = `Bearer ${apiTokens.get('ownerA')}`;
      else if (token && r.credential === 'valid') headers.authorization = `Bearer ${token}`;
      if (
        (route.url === '/oauth/2.0/token' || route.url === '/testbed/sandbox/authorize') &&
        r.credential === 'valid'
      ) {
        extra.push(['client_id', DEMO_SANDBOX.clientId], ['client_secret', DEMO_SANDBOX.clientSecret]);
      }
    }
    if (r.hostileHeader)
      headers[r.hostileHeader[0]] =
        r.hostileHeader[0] === 'cookie' ? `${headers.cookie ?? ''}; ${r.hostileHeader[1]}` : r.hostileHeader[1];
    // Header values cannot carry CR, LF or NUL on the wire (Node refuses to send them): those go in the URL and body only.
    for (const [k, v] of Object.entries(headers)) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters Node refuses in headers
      headers[k] = v.replace(/[\r\n\u0000]/g, ' ').replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
    }
    const withBody = r.method !== 'GET';
    const { payload, contentType } = withBody
      ? renderBody(r.body, extra)
      : { payload: undefined, contentType: undefined };
    if (contentType) headers['content-type'] = contentType;
    const res = await app.inject({
      method: r.method,
      url: path,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    return { surface, res };
  }

  const byOutcome: Record<string, number> = {};
  const routesHit = new Set<number>();
  let total = 0;
  let before = await fingerprint();
  const check = async (r: HostileRequest) => {
    const { surface, res } = await send(r);
    const verdict = judge(surface, res);
    total += 1;
    routesHit.add(r.routeIndex);
    byOutcome[verdict.outcome] = (byOutcome[verdict.outcome] ?? 0) + 1;
    if (verdict.problem)
      throw new Error(`${verdict.problem}: ${describe(r)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    const after = await fingerprint();
    const changed = verdict.refused ? diff(before, after) : [];
    before = after;
    if (changed.length)
      throw new Error(
        `a refused request changed the database (${changed.join('; ')}): ${describe(r)} → ${verdict.outcome} ${res.body.slice(0, 200)}`,
      );
  };

  const perRoute = Math.ceil(NUM_RUNS / routes.length);
  const failures: string[] = [];
  for (let i = 0; i < routes.length; i++) {
    const seed = (SEED + i) | 0; // route i runs with SEED + i: HOSTILE_SEED replays the whole file
    try {
      await fc.assert(fc.asyncProperty(requestArb(i), check), { numRuns: perRoute, seed, endOnFailure: true });
    } catch (err) {
      const cause = (err as Error & { cause?: unknown }).cause;
      failures.push(
        `${routes[i]!.method} ${routes[i]!.url} (seed ${seed}): ${String((cause as Error | undefined)?.message ?? (err as Error).message).slice(0, 1500)}`,
      );
      t.comment(String((err as Error).message).slice(0, 2000));
      if (failures.length >= 5) break;
    }
  }
  for (const f of failures) t.comment(`FAILED ${f}`);
  t.same(
    failures,
    [],
    `${total} hostile requests over ${routesHit.size} routes: no 5xx, only documented answers, refusals changed nothing (HOSTILE_SEED=${SEED} replays)`,
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const sorted = Object.entries(byOutcome)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  t.comment(`hostile input: ${total} requests, by status ${sorted}`);
  t.comment(
    `hostile input: ${routesHit.size} of ${routes.length} routes, seed ${SEED}, ${seconds} s${LONG ? ' (RELIABILITY_LONG)' : ''}`,
  );
  const routerErrors = Object.entries(byOutcome)
    .filter(([k]) => k.endsWith('router error'))
    .reduce((n, [, c]) => n + c, 0);
  t.equal(
    routerErrors,
    0,
    "an overlong or badly escaped path parameter is answered in the surface's words (a 404: /api error envelope, Korean text on pages), never fastify's bare router error",
  );
  t.equal(
    routesHit.size,
    failures.length ? routesHit.size : routes.length,
    `every route of the route table was exercised (${routesHit.size}/${routes.length})`,
  );
});

// Found by the property above: @fastify/busboy's parse errors (no boundary, body cut short) were 500s.
t.test('a malformed multipart body is refused with a 400, not a 500 (src/http/malformed-multipart.ts)', async (t) => {
  const app = await build(t, { demo: true });
  const b = new Browser(app);
  await b.login(DEMO_ORGS.demoFintech.owner);
  const token = await b.csrfToken('/account');
  const appA = (await app.db('applications').where({ organization_id: DEMO_IDS.demoFintechOrg }).first('id'))
    .id as string;
  const api = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { email: DEMO_ORGS.demoFintech.owner, password: DEMO_PASSWORD },
    })
  ).json().token as string;
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  for (const [contentType, payload] of [
    ['multipart/form-data; boundary=x', '=&=&'],
    ['multipart/form-data', '--x\r\n'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\nself'],
  ]) {
    const page = await app.inject({
      method: 'POST',
      url: `/applications/${appA}/security/documents`,
      headers: { cookie, 'content-type': contentType!, 'x-csrf-token': token },
      payload,
    });
    t.equal(page.statusCode, 400, `page upload, ${contentType}: 400`);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${appA}/documents`,
      headers: { authorization: `Bearer ${api}`, 'content-type': contentType! },
      payload,
    });
    t.equal(res.statusCode, 400, `API upload, ${contentType}: 400`);
    t.equal(res.json().error.code, 'bad_request', 'in the error envelope');
  }
});
