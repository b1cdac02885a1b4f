// The authorize pages driven as a browser would (inject, cookies, CSRF): sign in as a test person,
// keep the offered accounts, consent (ARS code read from the page), and return the code the consent
// step redirected to the callback with.
import type { FastifyInstance } from 'fastify';
import { Browser } from './build';

export async function authorizeThroughPages(
  app: FastifyInstance,
  opts: { clientId: string; redirectUri: string; loginId: string; password: string; scope?: string },
): Promise<{ code: string; state: string }> {
  const b = new Browser(app);
  const state = 'S'.repeat(8) + Math.random().toString(36).slice(2, 10).padEnd(8, '0') + 'x'.repeat(16);
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: opts.clientId,
    redirect_uri: opts.redirectUri,
    scope: opts.scope ?? 'login inquiry transfer',
    state,
    auth_type: '0',
  });
  const login = await b.get(`/oauth/2.0/authorize?${q}`);
  if (login.statusCode !== 200) throw new Error(`authorize: ${login.statusCode} ${login.body.slice(0, 300)}`);
  const flow = () => /name="flow" value="([^"]+)"/.exec(login.body)?.[1] ?? '';
  const flowId = flow();
  const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const post = (url: string, html: string, fields: Record<string, string | string[]>) =>
    b.post(url, { _csrf: token(html), ...fields }, { csrf: false });
  let res = await post('/oauth/2.0/authorize/login', login.body, {
    flow: flowId,
    login_id: opts.loginId,
    password: opts.password,
  });
  if (res.statusCode !== 303) throw new Error(`login: ${res.statusCode}`);
  let page = await b.get(res.headers.location as string);
  if (/action="\/oauth\/2.0\/authorize\/accounts"/.test(page.body)) {
    const accounts = [...page.body.matchAll(/name="account_id" value="([^"]+)"[^>]*checked/g)].map((m) => m[1]!);
    res = await post('/oauth/2.0/authorize/accounts', page.body, { flow: flowId, account_id: accounts });
    if (res.statusCode !== 303) throw new Error(`accounts: ${res.statusCode}`);
    page = await b.get(res.headers.location as string);
  }
  const ars = /id="ars_code-hint"[^>]*>[^<]*?(\d{2})/.exec(page.body)?.[1] ?? '';
  res = await post('/oauth/2.0/authorize/consent', page.body, {
    flow: flowId,
    agree_service: 'Y',
    agree_inquiry: 'Y',
    agree_transfer: 'Y',
    transfer_method: 'ars',
    ars_code: ars,
  });
  if (res.statusCode !== 303) throw new Error(`consent: ${res.statusCode} ${res.body.slice(0, 500)}`);
  const landed = new URL(res.headers.location as string);
  const code = landed.searchParams.get('code');
  if (!code) throw new Error(`no code in ${landed}`);
  return { code, state };
}
