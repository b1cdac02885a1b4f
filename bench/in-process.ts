// For the in-process bench tools (statements.ts, sql-timing.ts): 홍길동's user token through the sandbox
// shortcut and the token endpoint, and his registered fintech numbers, on an app built with demo data.
import type { FastifyInstance } from 'fastify';
import { DEMO_PEOPLE, DEMO_SANDBOX } from '../src/testbed/users/demo-fixtures';

const form = (f: Record<string, string>) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(f).toString(),
});

export async function hongSession(
  app: FastifyInstance,
): Promise<{ auth: { authorization: string }; fintechUseNums: string[] }> {
  const creds = { client_id: DEMO_SANDBOX.clientId, client_secret: DEMO_SANDBOX.clientSecret };
  const hong = DEMO_PEOPLE.hong!;
  const code = (
    await app.inject({
      url: '/testbed/sandbox/authorize',
      ...form({
        ...creds,
        user_seq_no: hong.userSeqNo,
        scope: 'login inquiry transfer',
        redirect_uri: DEMO_SANDBOX.callbackUrl,
      }),
    })
  ).json().code;
  const tok = (
    await app.inject({
      url: '/oauth/2.0/token',
      ...form({ ...creds, code, redirect_uri: DEMO_SANDBOX.callbackUrl, grant_type: 'authorization_code' }),
    })
  ).json().access_token;
  const auth = { authorization: `Bearer ${tok}` };
  const list = (await app.inject({ url: `/v2.0/account/list?user_seq_no=${hong.userSeqNo}`, headers: auth })).json();
  return { auth, fintechUseNums: (list.res_list as { fintech_use_num: string }[]).map((r) => r.fintech_use_num) };
}
