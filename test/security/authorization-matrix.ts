// The authorization matrix (issue 12): every route of the fastify route table × every actor, with the
// outcome each actor must get. ONE table (MATRIX below); authorization-matrix.test.ts builds the real app,
// walks app.routeTable and fails on any route that has no row here, so every new route gets classified.
//
// Actors, and the credential each presents on each surface:
// | actor            | pages (session cookie)              | /api/v1 (Bearer)                     | emulator (/oauth/2.0/token, /v2.0, /testbed)                 |
// | anonymous        | a fresh browser (session for CSRF)  | no token                             | no token / no client credentials                            |
// | ownerA, memberA  | 데모핀테크 owner / a member          | their personal token                 | 데모핀테크's sandbox credentials: oob or user token per route |
// | ownerB           | 샘플페이 owner (no sandbox)          | their personal token                 | their API token as Bearer + cookie (nothing valid)          |
// | staff ×4         | the demo staff accounts              | their personal tokens                | their API token as Bearer + cookie                          |
// | revoked          | the cookie of a signed-out session  | a revoked personal token             | a revoked test-bed token (refresh token at /token)           |
// | expired          | the cookie of an expired session    | a well-formed token never issued (*) | an expired test-bed token (refresh token at /token)          |
// | production       | no cookie, Bearer <prod secret>     | Bearer <production client secret>    | 데모핀테크's production client_id + secret at /token and      |
// |                  |                                     |                                      | /testbed/sandbox/authorize; Bearer <prod secret> on /v2.0    |
// (*) personal access tokens do not expire (no expiry column): the "expired" API actor is an unknown token.
// At /testbed/sandbox/authorize the revoked/expired actors send their test-bed token as client_secret.
// 샘플페이 gets a sandbox from the admin row (destructive 2): the rows after it check org B with credentials of its own.
//
// Outcome classes (what the test checks; the body is not compared):
// - ok:           GET → 2xx or a 3xx not to /login (nor, from a non-staff page, to /staff/…). Mutating (POST/PUT/PATCH/DELETE; empty or minimal body) →
//                 additionally 400/409/415/422 (refused on content, never on identity). Emulator → HTTP 200
//                 and no O-code in rsp_code (A-codes are content answers).
// - to_staff:     GET → 3xx to /staff/… (an applicant page sending staff to the staff page of the same thing).
// - bad_request:  GET → 400 (the emulator's authorize pages with no authorization in progress).
// - login:        303 to /login (a page refusing a visitor who is not signed in).
// - csrf:         403 CSRF error page (a form posted with a session that no longer exists: refused).
// - forbidden:    403 (signed in, wrong role).
// - not_found:    404 (another organization's resource, or an id that does not exist for that actor).
// - unauth_api:   401 (/api/v1 without a valid bearer token).
// - kftc_refused: HTTP 200 with rsp_code O0001–O0006 or O0011 (the emulator refusing the credential).
// A 5xx is a failure for every actor on every route.
import { KOREAN_FONT_CSS, KOREAN_FONT_PREFIX } from '../../src/http/korean-font';
import { loadAssetManifest } from '../../src/http/static-assets';
import { publicDir } from '../../src/paths';
export const ACTORS = [
  'anonymous',
  'ownerA',
  'memberA',
  'ownerB',
  'reviewer',
  'inspector',
  'contract_officer',
  'admin',
  'revoked',
  'expired',
  'production',
] as const;
export type Actor = (typeof ACTORS)[number];
export type Outcome =
  | 'ok'
  | 'to_staff'
  | 'bad_request'
  | 'login'
  | 'csrf'
  | 'forbidden'
  | 'not_found'
  | 'unauth_api'
  | 'kftc_refused';
type Expectations = Record<Actor, Outcome>;
type Surface = 'page' | 'api' | 'emulator';

export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route's URL pattern exactly as in the route table. */
  route: string;
  /** The URL requested: `{name}` placeholders are fixture ids (see the test's `fixtures`; some are made fresh for each cell:
   *  org A's invite, callback URL, spare client secret, ownerA's API token and notification). */
  url: string;
  surface: Surface;
  expect: Expectations;
  /** Emulator: which token org A presents. */
  scope?: 'oob' | 'user';
  /** Runs after every non-destructive row, in this order, allowed actors last (it changes state). */
  destructive?: number;
  /** Mutating requests: a JSON body (`'answers'`: a complete valid section), or a multipart upload; default `{}` / the CSRF token alone. */
  body?: { json?: Record<string, unknown> | 'answers'; multipart?: true; form?: Record<string, string> };
  /** Cells that are known authorization bugs: the expectation stays correct, the cell is skipped as todo. */
  todo?: Partial<Record<Actor, string>>;
}

const STAFF = ['reviewer', 'inspector', 'contract_officer', 'admin'] as const;
type Staff = (typeof STAFF)[number];

function make(base: Outcome, over: Partial<Expectations>): Expectations {
  const e = Object.fromEntries(ACTORS.map((a) => [a, base])) as Expectations;
  return { ...e, ...over };
}

// Page policies. Stale/absent sessions: GET → login; a POST whose session is gone fails CSRF first.
const stalePage = (m: string): Partial<Expectations> =>
  m === 'GET'
    ? { anonymous: 'login', revoked: 'login', expired: 'login', production: 'login' }
    : { anonymous: 'login', revoked: 'csrf', expired: 'csrf', production: 'csrf' };
const PUBLIC_PAGE = make('ok', {});
const signedIn = (m: string) => make('ok', stalePage(m));
/** mustBeOrgMember on the organization's own data (no id of another organization in the URL). */
const orgMember = (m: string) => make('forbidden', { ...stalePage(m), ownerA: 'ok', memberA: 'ok', ownerB: 'ok' });
const orgOwner = (m: string) => make('forbidden', { ...stalePage(m), ownerA: 'ok', ownerB: 'ok' });
/** mustBeOrgMember on org A's resource: org B gets 404. */
const orgAResource = (m: string) =>
  make('forbidden', { ...stalePage(m), ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' });
const staffPage = (m: string, ...roles: Staff[]) =>
  make('forbidden', { ...stalePage(m), ...Object.fromEntries((roles.length ? roles : STAFF).map((r) => [r, 'ok'])) });

/** Applicant pages send staff on to the staff page of the same application (which applies its own rule). */
const TO_STAFF_PAGE: Partial<Expectations> = {
  reviewer: 'to_staff',
  inspector: 'to_staff',
  contract_officer: 'to_staff',
  admin: 'to_staff',
};
/** The emulator's authorize pages: an authorization started (GET /oauth/2.0/authorize) in this browser session → ok; no session → 400. */
const IN_FLOW = make('ok', { revoked: 'bad_request', expired: 'bad_request', production: 'bad_request' });

// API policies: no valid token → 401.
const NO_TOKEN: Partial<Expectations> = {
  anonymous: 'unauth_api',
  revoked: 'unauth_api',
  expired: 'unauth_api',
  production: 'unauth_api',
};
const PUBLIC_API = make('ok', {});
const apiSignedIn = make('ok', NO_TOKEN);
const apiOrgMember = make('forbidden', { ...NO_TOKEN, ownerA: 'ok', memberA: 'ok', ownerB: 'ok' });
const apiOrgAResource = make('forbidden', { ...NO_TOKEN, ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' });
const apiStaff = (...roles: Staff[]) =>
  make('forbidden', { ...NO_TOKEN, ...Object.fromEntries((roles.length ? roles : STAFF).map((r) => [r, 'ok'])) });
/** Org A's resource readable by its members and by the staff roles named. */
const apiOrgAOrStaff = (...roles: Staff[]) =>
  make('forbidden', {
    ...NO_TOKEN,
    ownerA: 'ok',
    memberA: 'ok',
    ownerB: 'not_found',
    ...Object.fromEntries(roles.map((r) => [r, 'ok'])),
  });

// Emulator: only 데모핀테크's sandbox credentials pass.
const EMULATOR = make('kftc_refused', { ownerA: 'ok', memberA: 'ok' });

const P = (
  method: MatrixRow['method'],
  route: string,
  expect: ((m: string) => Expectations) | Expectations,
  extra: Partial<MatrixRow> = {},
): MatrixRow => ({
  method,
  route,
  url: route,
  surface: 'page',
  expect: typeof expect === 'function' ? expect(method) : expect,
  ...extra,
});
const A = (
  method: MatrixRow['method'],
  route: string,
  expect: Expectations,
  extra: Partial<MatrixRow> = {},
): MatrixRow => ({ method, route, url: route, surface: 'api', expect, ...extra });
const E = (
  method: MatrixRow['method'],
  route: string,
  scope: 'oob' | 'user',
  extra: Partial<MatrixRow> = {},
): MatrixRow => ({ method, route, url: route, surface: 'emulator', expect: EMULATOR, scope, ...extra });
const fixed = (e: Expectations) => () => e;
const u = (url: string) => ({ url });

export const MATRIX: MatrixRow[] = [
  // ——— public ———
  // Static files: one route per file under public/ (no wildcard; an unknown name is the portal's 404).
  P('GET', '/public/app.css', fixed(PUBLIC_PAGE), u('/public/app.css')),
  P('GET', '/public/copy.js', fixed(PUBLIC_PAGE), u('/public/copy.js')),
  P('GET', '/public/favicon.svg', fixed(PUBLIC_PAGE), u('/public/favicon.svg')),
  // …and one per file under its content-hashed name (src/http/static-assets.ts), whatever the hashes are today.
  ...loadAssetManifest(publicDir, { hashed: true }).files.map((f) =>
    P('GET', `/public/${f.hashedName}`, fixed(PUBLIC_PAGE), u(`/public/${f.hashedName}`)),
  ),
  P('GET', `${KOREAN_FONT_PREFIX}*`, fixed(PUBLIC_PAGE), u(KOREAN_FONT_CSS)),
  P('GET', '/', fixed(PUBLIC_PAGE)),
  P('GET', '/healthz', fixed(PUBLIC_PAGE)),
  P('GET', '/readyz', fixed(PUBLIC_PAGE)),
  P('GET', '/favicon.ico', fixed(PUBLIC_PAGE)),
  P('GET', '/docs', fixed(PUBLIC_PAGE)),
  P('GET', '/docs/testbed/openapi.json', fixed(PUBLIC_PAGE)),
  P('GET', '/signup', fixed(PUBLIC_PAGE)),
  P('POST', '/signup', fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' }))),
  P('GET', '/signup/check-email', fixed(PUBLIC_PAGE)),
  // Token links with a token that was never issued: a 404 for everyone (no identity matters here).
  P('GET', '/signup/confirm/:token', fixed(make('not_found', {})), u('/signup/confirm/{unknownToken}')),
  P(
    'POST',
    '/signup/confirm/:token',
    fixed(make('not_found', { revoked: 'csrf', expired: 'csrf', production: 'csrf' })),
    u('/signup/confirm/{unknownToken}'),
  ),
  P('GET', '/login', fixed(PUBLIC_PAGE)),
  P('POST', '/login', fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' }))),
  P('POST', '/logout', fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' })), {
    destructive: 99,
  }),
  P('GET', '/password-reset', fixed(PUBLIC_PAGE)),
  P('POST', '/password-reset', fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' }))),
  P('GET', '/password-reset/check-email', fixed(PUBLIC_PAGE)),
  P('GET', '/password-reset/:token', fixed(make('not_found', {})), u('/password-reset/{unknownToken}')),
  P(
    'POST',
    '/password-reset/:token',
    fixed(make('not_found', { revoked: 'csrf', expired: 'csrf', production: 'csrf' })),
    u('/password-reset/{unknownToken}'),
  ),
  P('GET', '/invite/:token', fixed(make('not_found', {})), u('/invite/{unknownToken}')),
  P(
    'POST',
    '/invite/:token',
    fixed(make('not_found', { revoked: 'csrf', expired: 'csrf', production: 'csrf' })),
    u('/invite/{unknownToken}'),
  ),

  // ——— account ———
  P('GET', '/account', signedIn),
  P('POST', '/account/password', signedIn),
  P('POST', '/account/invites', orgOwner, {
    expect: make('forbidden', { ...stalePage('POST'), ownerA: 'ok', ownerB: 'ok' }),
  }),
  P(
    'POST',
    '/account/invites/:id/revoke',
    (m) => make('forbidden', { ...stalePage(m), ownerA: 'ok', ownerB: 'not_found' }),
    u('/account/invites/{inviteA}/revoke'),
  ),
  P('GET', '/account/tokens', signedIn),
  P('POST', '/account/tokens', signedIn),
  P(
    'POST',
    '/account/tokens/:id/revoke',
    (m) => make('not_found', { ...stalePage(m), ownerA: 'ok' }),
    u('/account/tokens/{apiTokenOwnerA}/revoke'),
  ),

  // ——— admin ———
  P('GET', '/admin', (m) => staffPage(m, 'admin')),
  P('GET', '/admin/sign-in-lockouts', (m) => staffPage(m, 'admin')),
  P('POST', '/admin/staff/:id/deactivate', (m) => staffPage(m, 'admin'), {
    url: '/admin/staff/{throwawayStaff}/deactivate',
    destructive: 1,
  }),
  P('POST', '/admin/staff/:id/role', (m) => staffPage(m, 'admin'), u('/admin/staff/{throwawayStaff}/role')), // no role sent: 422
  P('POST', '/admin/staff/:id/reactivate', (m) => staffPage(m, 'admin'), u('/admin/staff/{throwawayStaff}/reactivate')), // active: nothing to do
  P(
    'POST',
    '/admin/staff/:id/password-reset',
    (m) => staffPage(m, 'admin'),
    u('/admin/staff/{throwawayStaff}/password-reset'),
  ),
  P('GET', '/admin/staff', (m) => staffPage(m, 'admin')),
  P('POST', '/admin/staff', (m) => staffPage(m, 'admin')),
  P('GET', '/admin/outbox', (m) => staffPage(m, 'admin')),
  P('GET', '/admin/sandbox', (m) => staffPage(m, 'admin')),
  P('POST', '/admin/sandbox/:orgId/issue', (m) => staffPage(m, 'admin'), {
    url: '/admin/sandbox/{orgB}/issue',
    destructive: 2,
  }),
  P('POST', '/admin/sandbox/:orgId/sa', (m) => staffPage(m, 'admin'), {
    url: '/admin/sandbox/{orgA}/sa',
    destructive: 3,
  }),

  // ——— application (stage 1) ———
  P('GET', '/applications', orgMember),
  P('POST', '/applications', orgMember),
  ...['company', 'service', 'apis', 'technical', 'contacts'].flatMap((s) => [
    P('GET', `/applications/:id/${s}`, orgAResource, u(`/applications/{appA}/${s}`)),
    P('POST', `/applications/:id/${s}`, orgAResource, u(`/applications/{appA}/${s}`)),
  ]),
  P('GET', '/applications/:id/check', orgAResource, u('/applications/{appA}/check')),
  P('POST', '/applications/:id/submit', orgAResource, u('/applications/{appA}/submit')),
  P('GET', '/applications/:id/confirmation', orgAResource, u('/applications/{appA}/confirmation')),
  // Application documents: the organization's members; any staff downloads them from the review page.
  P('GET', '/applications/:id/documents', orgAResource, u('/applications/{appA}/documents')),
  P('POST', '/applications/:id/documents', orgAResource, u('/applications/{appA}/documents')),
  P('GET', '/applications/:id/documents/:fileId', orgAResource, u('/applications/{appA}/documents/{appFileA}')),
  P(
    'GET',
    '/staff/applications/:id/documents/:fileId',
    (m) => staffPage(m),
    u('/staff/applications/{appA}/documents/{appFileA}'),
  ),
  P('GET', '/applications/:id/testing', orgAResource, u('/applications/{appA}/testing')),
  P('POST', '/applications/:id/testing', orgAResource, u('/applications/{appA}/testing')),
  P(
    'GET',
    '/applications/:id/withdraw',
    (m) => ({ ...orgAResource(m), memberA: 'forbidden' }),
    u('/applications/{appA}/withdraw'),
  ), // the owner withdraws
  P('POST', '/applications/:id/withdraw', (m) => ({ ...orgAResource(m), memberA: 'forbidden' }), {
    url: '/applications/{appA}/withdraw',
    destructive: 10,
  }),

  // ——— staff review ———
  P('GET', '/staff', (m) => staffPage(m)),
  // Suitability (appB, appC: submitted) is decided by reviewers and admins (src/workflow/state-machine.ts).
  P(
    'POST',
    '/staff/applications/:id/claim',
    (m) => staffPage(m, 'reviewer', 'admin'),
    u('/staff/applications/{appB}/claim'),
  ),
  P('GET', '/staff/applications/:id', (m) => staffPage(m), u('/staff/applications/{appA}')),
  P(
    'POST',
    '/staff/applications/:id/checklist',
    (m) => staffPage(m, 'reviewer', 'admin'),
    u('/staff/applications/{appB}/checklist'),
  ),
  P('POST', '/staff/applications/:id/decision', (m) => staffPage(m, 'reviewer', 'admin'), {
    url: '/staff/applications/{appB}/decision',
    body: { form: { event: 'reject', reason: '권한 점검' } },
    destructive: 5,
  }),
  P('GET', '/staff/applications/:id/audit.csv', (m) => staffPage(m), u('/staff/applications/{appA}/audit.csv')),
  P('GET', '/staff/applications/:id/requests', (m) => staffPage(m), u('/staff/applications/{appA}/requests')),
  P(
    'GET',
    '/staff/applications/:id/requests/:requestId',
    (m) => staffPage(m),
    u('/staff/applications/{appA}/requests/{requestA}'),
  ),
  P('GET', '/staff/usage', (m) => staffPage(m)),
  P('GET', '/staff/usage.csv', (m) => staffPage(m), u('/staff/usage.csv?table=daily')),

  // ——— security inspection (stage 4): a document and a finding of org A's application (written to the database) ———
  P(
    'GET',
    '/applications/:id/security',
    (m) => ({ ...orgAResource(m), ...TO_STAFF_PAGE }),
    u('/applications/{appA}/security'),
  ),
  P('POST', '/applications/:id/security/documents', orgAResource, u('/applications/{appA}/security/documents')),
  P(
    'POST',
    '/applications/:id/security/findings/:findingId/remediation',
    orgAResource,
    u('/applications/{appA}/security/findings/{findingA}/remediation'),
  ),
  P('POST', '/applications/:id/security/submit', orgAResource, u('/applications/{appA}/security/submit')),
  // STAFF_READERS.security (src/workflow/application-access.ts): inspectors and admins read the documents too.
  P(
    'GET',
    '/applications/:id/security/files/:fileId',
    (m) =>
      make('forbidden', {
        ...stalePage(m),
        ownerA: 'ok',
        memberA: 'ok',
        ownerB: 'not_found',
        inspector: 'ok',
        admin: 'ok',
      }),
    u('/applications/{appA}/security/files/{fileA}'),
  ),
  P(
    'GET',
    '/staff/applications/:id/security',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security'),
  ),
  P(
    'GET',
    '/staff/applications/:id/security/files/:fileId',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security/files/{fileA}'),
  ),
  P(
    'POST',
    '/staff/applications/:id/security/findings',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security/findings'),
  ),
  P(
    'POST',
    '/staff/applications/:id/security/findings/:findingId/verify',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security/findings/{findingA}/verify'),
  ),
  P(
    'POST',
    '/staff/applications/:id/security/findings/:findingId/reopen',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security/findings/{findingA}/reopen'),
  ),
  P(
    'POST',
    '/staff/applications/:id/security/findings/:findingId/withdraw',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security/findings/{findingA}/withdraw'),
  ),
  P(
    'POST',
    '/staff/applications/:id/security/decision',
    (m) => staffPage(m, 'inspector', 'admin'),
    u('/staff/applications/{appA}/security/decision'),
  ),

  // ——— contract (stage 5) ———
  P(
    'GET',
    '/applications/:id/contract',
    (m) => ({ ...orgAResource(m), ...TO_STAFF_PAGE }),
    u('/applications/{appA}/contract'),
  ),
  P(
    'POST',
    '/applications/:id/contract/sign',
    (m) => make('forbidden', { ...stalePage(m), ownerA: 'ok', ownerB: 'not_found' }),
    u('/applications/{appA}/contract/sign'),
  ),
  P(
    'GET',
    '/staff/applications/:id/contract',
    (m) => staffPage(m, 'contract_officer', 'admin'),
    u('/staff/applications/{appA}/contract'),
  ),
  P(
    'POST',
    '/staff/applications/:id/contract/countersign',
    (m) => staffPage(m, 'contract_officer', 'admin'),
    u('/staff/applications/{appA}/contract/countersign'),
  ),
  P(
    'POST',
    '/staff/applications/:id/contract/request-changes',
    (m) => staffPage(m, 'contract_officer', 'admin'),
    u('/staff/applications/{appA}/contract/request-changes'),
  ),
  // The signed contract as a PDF (src/contract/routes.ts): appA has no signed contract, so those who may read it get a 404 too.
  P(
    'GET',
    '/applications/:id/contract.pdf',
    (m) => ({ ...orgAResource(m), ownerA: 'not_found', memberA: 'not_found', ...TO_STAFF_PAGE }),
    u('/applications/{appA}/contract.pdf'),
  ),
  P(
    'GET',
    '/staff/applications/:id/contract.pdf',
    (m) => ({ ...staffPage(m, 'contract_officer', 'admin'), contract_officer: 'not_found', admin: 'not_found' }),
    u('/staff/applications/{appA}/contract.pdf'),
  ),

  // ——— notifications ———
  P('GET', '/notifications', signedIn),
  P(
    'POST',
    '/notifications/:id/read',
    (m) => make('not_found', { ...stalePage(m), ownerA: 'ok' }),
    u('/notifications/{notificationOwnerA}/read'),
  ),
  P('POST', '/notifications/read-all', signedIn),

  // ——— sandbox (stage 3, the organization's own; org B has no sandbox) ———
  P('GET', '/sandbox', orgMember),
  P('POST', '/sandbox/secrets', orgMember, { destructive: 20 }),
  P(
    'POST',
    '/sandbox/secrets/:id/revoke',
    (m) => make('forbidden', { ...stalePage(m), ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' }),
    { url: '/sandbox/secrets/{spareSecretA}/revoke', destructive: 22 },
  ),
  P('POST', '/sandbox/revoke', orgOwner, { destructive: 90 }),
  P('POST', '/sandbox/callbacks', orgMember),
  P(
    'POST',
    '/sandbox/callbacks/:id/delete',
    (m) => make('forbidden', { ...stalePage(m), ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' }),
    u('/sandbox/callbacks/{callbackA}/delete'),
  ),
  P('POST', '/sandbox/test-users', orgMember),
  P('POST', '/sandbox/test-accounts', orgMember),
  P('GET', '/sandbox/ledger', orgMember),
  P('GET', '/sandbox/ledger/accounts/:accountId', orgAResource, u('/sandbox/ledger/accounts/{ledgerAccountA}')),
  P('POST', '/sandbox/ledger/top-up', orgMember),
  P('POST', '/sandbox/ledger/reset', orgMember, { destructive: 30 }),
  P('GET', '/sandbox/requests', orgMember),
  P('GET', '/sandbox/requests/:requestId', orgAResource, u('/sandbox/requests/{requestA}')),
  // The callback catcher with a state it did not issue: a 400 page, after the member check.
  P(
    'GET',
    '/sandbox/callback',
    (m) => ({ ...orgMember(m), ownerA: 'bad_request', memberA: 'bad_request', ownerB: 'bad_request' }),
    u('/sandbox/callback?code=abc&state=xyz'),
  ),
  P('POST', '/sandbox/callback/exchange', orgMember),
  P('GET', '/sandbox/console', orgMember),
  P('POST', '/sandbox/console', orgMember),
  P('POST', '/sandbox/console/forget', orgMember),
  P('GET', '/sandbox/usage', orgMember),
  P('GET', '/sandbox/usage.csv', orgMember, u('/sandbox/usage.csv?table=daily')),

  // ——— the emulator's browser pages (a test person's flow, no portal identity needed) ———
  P('GET', '/oauth/2.0/authorize', fixed(PUBLIC_PAGE), u('/oauth/2.0/authorize?{authorizeQuery}')),
  P('GET', '/oauth/2.0/authorize/login', fixed(IN_FLOW)),
  P('POST', '/oauth/2.0/authorize/login', fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' }))),
  P('GET', '/oauth/2.0/authorize/accounts', fixed(IN_FLOW)),
  P(
    'POST',
    '/oauth/2.0/authorize/accounts',
    fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' })),
  ),
  P('GET', '/oauth/2.0/authorize/consent', fixed(make('bad_request', {}))), // nobody has signed in as a test person
  P(
    'POST',
    '/oauth/2.0/authorize/consent',
    fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' })),
  ),
  P('GET', '/oauth/2.0/authorize/cancel', fixed(IN_FLOW)),
  P('POST', '/oauth/2.0/authorize/cancel', fixed(make('ok', { revoked: 'csrf', expired: 'csrf', production: 'csrf' }))),

  // ——— /api/v1 ———
  A('GET', '/api/v1/openapi.json', PUBLIC_API),
  A('POST', '/api/v1/tokens', PUBLIC_API),
  A('POST', '/api/v1/signup', PUBLIC_API),
  A('POST', '/api/v1/signup/confirm', PUBLIC_API),
  A('GET', '/api/v1/me', apiSignedIn),
  A('GET', '/api/v1/tokens', apiSignedIn),
  A(
    'DELETE',
    '/api/v1/tokens/:id',
    make('not_found', { ...NO_TOKEN, ownerA: 'ok' }),
    u('/api/v1/tokens/{apiTokenOwnerA}'),
  ),
  A('GET', '/api/v1/applications', apiSignedIn),
  A('POST', '/api/v1/applications', apiOrgMember),
  A('GET', '/api/v1/applications/:id', apiOrgAOrStaff(...STAFF), u('/api/v1/applications/{appA}')),
  A('PATCH', '/api/v1/applications/:id/answers', apiOrgAResource, {
    url: '/api/v1/applications/{appA}/answers',
    body: { json: 'answers' },
  }),
  A('POST', '/api/v1/applications/:id/submit', apiOrgAResource, u('/api/v1/applications/{appA}/submit')),
  A('POST', '/api/v1/applications/:id/decisions', apiStaff('reviewer', 'admin'), {
    url: '/api/v1/applications/{appC}/decisions',
    body: { json: { decision: 'reject', reason: '권한 점검' } },
    destructive: 6,
  }),
  A(
    'PUT',
    '/api/v1/applications/:id/checklist',
    apiStaff('reviewer', 'admin'),
    u('/api/v1/applications/{appC}/checklist'),
  ),
  A('POST', '/api/v1/applications/:id/claim', apiStaff('reviewer', 'admin'), u('/api/v1/applications/{appC}/claim')),
  A(
    'POST',
    '/api/v1/applications/:id/withdraw',
    { ...apiOrgAResource, memberA: 'forbidden' },
    { url: '/api/v1/applications/{appA}/withdraw', destructive: 11 },
  ),
  A('GET', '/api/v1/applications/:id/audit', apiOrgAOrStaff(...STAFF), u('/api/v1/applications/{appA}/audit')),
  A('GET', '/api/v1/notifications', apiSignedIn),
  A(
    'POST',
    '/api/v1/notifications/:id/read',
    make('not_found', { ...NO_TOKEN, ownerA: 'ok' }),
    u('/api/v1/notifications/{notificationOwnerA}/read'),
  ),
  A('POST', '/api/v1/notifications/read', apiSignedIn),
  A(
    'GET',
    '/api/v1/applications/:id/documents',
    apiOrgAOrStaff('inspector', 'admin'),
    u('/api/v1/applications/{appA}/documents'),
  ),
  A(
    'GET',
    '/api/v1/applications/:id/application-documents',
    apiOrgAOrStaff(...STAFF),
    u('/api/v1/applications/{appA}/application-documents'),
  ),
  A('POST', '/api/v1/applications/:id/application-documents', apiOrgAResource, {
    url: '/api/v1/applications/{appA}/application-documents',
    body: { multipart: true },
  }),
  A(
    'GET',
    '/api/v1/applications/:id/application-documents/:fileId',
    apiOrgAOrStaff(...STAFF),
    u('/api/v1/applications/{appA}/application-documents/{appFileA}'),
  ),
  A('POST', '/api/v1/applications/:id/documents', apiOrgAResource, {
    url: '/api/v1/applications/{appA}/documents',
    body: { multipart: true },
  }),
  A(
    'GET',
    '/api/v1/applications/:id/documents/:fileId',
    apiOrgAOrStaff('inspector', 'admin'),
    u('/api/v1/applications/{appA}/documents/{fileA}'),
  ),
  A(
    'GET',
    '/api/v1/applications/:id/findings',
    apiOrgAOrStaff('inspector', 'admin'),
    u('/api/v1/applications/{appA}/findings'),
  ),
  A(
    'POST',
    '/api/v1/applications/:id/findings',
    { ...apiStaff('inspector', 'admin'), ownerB: 'not_found' },
    {
      url: '/api/v1/applications/{appA}/findings',
      body: { json: { severity: 'low', title: '점검', description: '권한 점검' } },
    },
  ),
  A(
    'GET',
    '/api/v1/applications/:id/findings/:findingId',
    apiOrgAOrStaff('inspector', 'admin'),
    u('/api/v1/applications/{appA}/findings/{findingA}'),
  ),
  A('POST', '/api/v1/applications/:id/findings/:findingId/remediation', apiOrgAResource, {
    url: '/api/v1/applications/{appA}/findings/{findingA}/remediation',
    body: { json: { text: '조치했습니다' } },
  }),
  A(
    'POST',
    '/api/v1/applications/:id/findings/:findingId/verify',
    { ...apiStaff('inspector', 'admin'), ownerB: 'not_found' },
    u('/api/v1/applications/{appA}/findings/{findingA}/verify'),
  ),
  A(
    'POST',
    '/api/v1/applications/:id/findings/:findingId/reopen',
    { ...apiStaff('inspector', 'admin'), ownerB: 'not_found' },
    { url: '/api/v1/applications/{appA}/findings/{findingA}/reopen', body: { json: { note: '다시 엽니다' } } },
  ),
  A(
    'POST',
    '/api/v1/applications/:id/findings/:findingId/withdraw',
    { ...apiStaff('inspector', 'admin'), ownerB: 'not_found' },
    { url: '/api/v1/applications/{appA}/findings/{findingA}/withdraw', body: { json: { note: '잘못 등록했습니다' } } },
  ),
  A(
    'GET',
    '/api/v1/applications/:id/contract',
    apiOrgAOrStaff('contract_officer', 'admin'),
    u('/api/v1/applications/{appA}/contract'),
  ),
  A(
    'POST',
    '/api/v1/applications/:id/signature',
    make('forbidden', { ...NO_TOKEN, ownerA: 'ok', ownerB: 'not_found' }),
    { url: '/api/v1/applications/{appA}/signature', body: { json: { full_name: '정데모', accept: true } } },
  ),
  A(
    'POST',
    '/api/v1/applications/:id/countersignature',
    { ...apiStaff('contract_officer', 'admin'), ownerB: 'not_found' },
    { url: '/api/v1/applications/{appA}/countersignature', body: { json: { note: '권한 점검' } } },
  ),
  A(
    'GET',
    '/api/v1/applications/:id/conformance',
    apiOrgAOrStaff(...STAFF),
    u('/api/v1/applications/{appA}/conformance'),
  ),
  A('GET', '/api/v1/sandbox', apiOrgMember),
  A('GET', '/api/v1/sandbox/credential-sets', apiOrgMember),
  A(
    'GET',
    '/api/v1/sandbox/credential-sets/:id/secrets',
    make('forbidden', { ...NO_TOKEN, ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' }),
    u('/api/v1/sandbox/credential-sets/{sandboxSetA}/secrets'),
  ),
  A('POST', '/api/v1/sandbox/secrets', apiOrgMember, { destructive: 21 }),
  A(
    'DELETE',
    '/api/v1/sandbox/secrets/:id',
    make('forbidden', { ...NO_TOKEN, ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' }),
    { url: '/api/v1/sandbox/secrets/{spareSecretA}', destructive: 23 },
  ),
  A('POST', '/api/v1/sandbox/callback-urls', apiOrgMember, {
    body: { json: { url: 'https://callback.example/matrix' } },
  }),
  A(
    'DELETE',
    '/api/v1/sandbox/callback-urls/:id',
    make('forbidden', { ...NO_TOKEN, ownerA: 'ok', memberA: 'ok', ownerB: 'not_found' }),
    u('/api/v1/sandbox/callback-urls/{callbackA}'),
  ),
  A('GET', '/api/v1/sandbox/test-users', apiOrgMember),
  A('POST', '/api/v1/sandbox/test-users', apiOrgMember, {
    body: { json: { name: '권한점검', birth_date: '1990-01-01', login_id: 'matrix', password: 'matrix-pass-1' } },
  }),
  A('POST', '/api/v1/sandbox/test-users/:userSeqNo/accounts', apiOrgAResource, {
    url: '/api/v1/sandbox/test-users/{ownTestUserA}/accounts',
    body: { json: { bank_code: '097', opening_balance: 0 } },
  }),
  A('GET', '/api/v1/sandbox/requests', apiOrgMember),
  A('GET', '/api/v1/sandbox/requests/:id', apiOrgAResource, u('/api/v1/sandbox/requests/{requestA}')),

  // ——— the emulator (KFTC envelope) ———
  E('POST', '/oauth/2.0/token', 'oob'),
  E('POST', '/testbed/sandbox/authorize', 'user'),
  E('GET', '/v2.0/user/me', 'user'),
  E('GET', '/v2.0/account/list', 'user'),
  E('POST', '/v2.0/account/update_info', 'user'),
  E('POST', '/v2.0/account/cancel', 'user', { destructive: 40 }),
  E('POST', '/v2.0/user/unlink', 'user', { destructive: 41 }),
  E('POST', '/v2.0/user/close', 'user', { destructive: 42 }),
  E('GET', '/v2.0/account/balance/fin_num', 'user'),
  E('GET', '/v2.0/account/transaction_list/fin_num', 'user'),
  E('POST', '/v2.0/inquiry/real_name', 'oob'),
  E('POST', '/v2.0/inquiry/remit_list', 'oob'),
  E('POST', '/v2.0/inquiry/receive', 'oob'),
  E('POST', '/v2.0/transfer/withdraw/fin_num', 'user'),
  E('POST', '/v2.0/transfer/deposit/fin_num', 'oob'),
  E('POST', '/v2.0/transfer/deposit/acnt_num', 'oob'),
  E('POST', '/v2.0/transfer/result', 'oob'),
  E('POST', '/v2.0/return/claim', 'oob'),
  E('POST', '/v2.0/return/result', 'oob'),
  E('GET', '/v2.0/inquiry/fds_detect', 'oob'),
  E('GET', '/v2.0/bank/status', 'oob'),
  E('GET', '/v2.0/manage/wd_limit', 'oob'),
  E('GET', '/v2.0/manage/fee', 'oob'),
  E('GET', '/v2.0/manage/count', 'oob'),
  E('GET', '/v2.0/transfer/user_remain_amt', 'user'),
];
