// Test-bed helpers: tokens for the demo sandbox (build the app with { demo: true }) obtained the way a
// fintech would — form-encoded token calls — plus the demo fixtures as constants.
import type { FastifyInstance } from 'fastify';
import { DEMO_PEOPLE, DEMO_SANDBOX, TEST_PERSON_PASSWORD } from '../../src/testbed/users/demo-fixtures';

export { DEMO_PEOPLE, DEMO_SANDBOX, TEST_PERSON_PASSWORD };

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  clientUseCode?: string;
  callbackUrl?: string;
}

export const HONG = DEMO_PEOPLE.hong!;
export const HEO = DEMO_PEOPLE.heo!;

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function postToken(app: FastifyInstance, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    payload: form(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
  });
  return res.json() as Record<string, unknown>;
}

/** An institution token (client_credentials, scope oob by default). Throws with the KFTC answer on failure. */
export async function oobToken(
  app: FastifyInstance,
  creds: SandboxCredentials = DEMO_SANDBOX,
  scope = 'oob',
): Promise<string> {
  const body = await postToken(app, {
    client_id: creds.clientId,
    client_secret: creds.clientSecret,
    scope,
    grant_type: 'client_credentials',
  });
  if (typeof body.access_token !== 'string') throw new Error(`client_credentials failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** An authorization code through the sandbox shortcut (all of the user's accounts registered with both consents). */
export async function shortcutCode(
  app: FastifyInstance,
  opts: { userSeqNo: string; scope?: string; creds?: SandboxCredentials },
): Promise<string> {
  const creds = opts.creds ?? DEMO_SANDBOX;
  const res = await app.inject({
    method: 'POST',
    url: '/testbed/sandbox/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      user_seq_no: opts.userSeqNo,
      scope: opts.scope ?? 'login inquiry transfer',
      redirect_uri: creds.callbackUrl ?? DEMO_SANDBOX.callbackUrl,
    }),
  });
  const body = res.json() as Record<string, unknown>;
  if (typeof body.code !== 'string') throw new Error(`sandbox authorize failed: ${JSON.stringify(body)}`);
  return body.code;
}

/** The full user-token response for a test person (via the sandbox shortcut and the token endpoint). */
export async function userTokenResponse(
  app: FastifyInstance,
  opts: { userSeqNo: string; scope?: string; creds?: SandboxCredentials },
): Promise<Record<string, unknown>> {
  const creds = opts.creds ?? DEMO_SANDBOX;
  const code = await shortcutCode(app, opts);
  const body = await postToken(app, {
    code,
    client_id: creds.clientId,
    client_secret: creds.clientSecret,
    redirect_uri: creds.callbackUrl ?? DEMO_SANDBOX.callbackUrl,
    grant_type: 'authorization_code',
  });
  if (typeof body.access_token !== 'string') throw new Error(`authorization_code failed: ${JSON.stringify(body)}`);
  return body;
}

/** A user access token (scope "login inquiry transfer" by default). */
export async function userToken(
  app: FastifyInstance,
  opts: { userSeqNo: string; scope?: string; creds?: SandboxCredentials },
): Promise<string> {
  return (await userTokenResponse(app, opts)).access_token as string;
}

/** fintech_use_num of each of the user's accounts registered with the organization (in use), keyed by account number. */
export async function fintechNumbers(
  app: FastifyInstance,
  userSeqNo: string,
  organizationId: string = DEMO_SANDBOX.organizationId,
): Promise<Record<string, string>> {
  const rows = await app
    .db('testbed_fintech_accounts as f')
    .join('bank_accounts as b', 'b.id', 'f.bank_account_id')
    .where({ 'f.organization_id': organizationId, 'f.user_seq_no': userSeqNo, 'f.state': '01' })
    .select('b.account_num', 'f.fintech_use_num');
  return Object.fromEntries(
    rows.map((r: { account_num: string; fintech_use_num: string }) => [r.account_num, r.fintech_use_num]),
  );
}

/** A fresh bank_tran_id for the demo institution: M202600001U + 9 alphanumerics. */
let tranCounter = 0;
export function bankTranId(clientUseCode: string = DEMO_SANDBOX.clientUseCode): string {
  tranCounter += 1;
  const tail = `${Date.now().toString(36).toUpperCase()}${tranCounter.toString(36).toUpperCase()}`
    .slice(-9)
    .padStart(9, '0');
  return `${clientUseCode}U${tail}`;
}
