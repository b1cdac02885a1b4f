// The sandbox page's "make your first call" panel: real commands against this deployment's base URL,
// filled with the organization's own values (client_id, 이용기관코드, a registered callback URL, a test
// person, the collection contract account, fresh bank_tran_ids, today's tran_dtime). The client secret is
// filled in only on the response that created it (the one time it is shown); otherwise a placeholder.
// Invariant: the shell steps are runnable as printed when pasted in order into one terminal (each step
// sets the shell variables the next reads), with curl, grep, cut and sed only; the Node version runs with
// Node 18+ as `node first-call.mjs`. Nothing here is stored.
import crypto from 'node:crypto';
import { kstDateTime } from '../testbed/common/envelope';

const SECRET_PLACEHOLDER = 'YOUR_CLIENT_SECRET';
/** Amount of the example withdrawal: small enough for every demo account (홍길동's smallest holds 3,000 KRW). */
export const FIRST_WITHDRAWAL_KRW = 1000;
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A fresh bank_tran_id: 이용기관코드 + U + 9 random alphanumerics (20 characters). */
export function freshBankTranId(clientUseCode: string): string {
  let tail = '';
  for (let i = 0; i < 9; i++) tail += ALNUM[crypto.randomInt(ALNUM.length)];
  return `${clientUseCode}U${tail}`;
}

export interface QuickStartInput {
  baseUrl: string;
  clientId: string;
  clientUseCode: string;
  /** The redirect URI used by the shell and the authorize link (the callback catcher when registered). */
  callbackUrl: string | null;
  /** Just created (shown once); null → the placeholder. */
  clientSecret: string | null;
  /** A test person the organization may use (user_seq_no and name), or null when none exists. */
  person: { userSeqNo: string; name: string } | null;
  /** The organization's withdrawal collection contract account (the money of a withdrawal lands there). */
  collectionAccountNum: string | null;
  /** Authorize link state (stored in the session by the caller); null → no browser link. */
  state: string | null;
  now: Date;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function quickStart(input: QuickStartInput) {
  const { baseUrl, clientId, clientUseCode } = input;
  const callback = input.callbackUrl ?? 'https://your.app/callback';
  const secret = input.clientSecret ?? SECRET_PLACEHOLDER;
  const person = input.person ?? { userSeqNo: 'USER_SEQ_NO', name: '홍길동' };
  const cntr = input.collectionAccountNum ?? 'COLLECTION_ACCOUNT_NUM';
  const tranDtime = kstDateTime(input.now);
  const balanceId = freshBankTranId(clientUseCode);
  const withdrawId = freshBankTranId(clientUseCode);

  const setup = [
    `BASE=${q(baseUrl)}`,
    `CLIENT_ID=${q(clientId)}`,
    `CLIENT_SECRET=${q(secret)}`,
    `CALLBACK=${q(callback)}`,
    `USER_SEQ_NO=${q(person.userSeqNo)}`,
  ].join('\n');
  const oobToken = [
    `OOB_TOKEN=$(curl -s -X POST "$BASE/oauth/2.0/token" \\`,
    `  --data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET" \\`,
    `  -d scope=oob -d grant_type=client_credentials | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `echo "$OOB_TOKEN"`,
  ].join('\n');
  const userToken = [
    `CODE=$(curl -s -X POST "$BASE/testbed/sandbox/authorize" \\`,
    `  --data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET" \\`,
    `  --data-urlencode "user_seq_no=$USER_SEQ_NO" --data-urlencode 'scope=login inquiry transfer' \\`,
    `  --data-urlencode "redirect_uri=$CALLBACK" | sed -E 's/.*"code":"([^"]+)".*/\\1/')`,
    `USER_TOKEN=$(curl -s -X POST "$BASE/oauth/2.0/token" \\`,
    `  --data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET" \\`,
    `  --data-urlencode "code=$CODE" --data-urlencode "redirect_uri=$CALLBACK" \\`,
    `  -d grant_type=authorization_code | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `FIN=$(curl -s "$BASE/v2.0/user/me?user_seq_no=$USER_SEQ_NO" -H "Authorization: Bearer $USER_TOKEN" \\`,
    `  | grep -o '"fintech_use_num":"[0-9]*"' | head -1 | cut -d'"' -f4)`,
    `echo "fintech_use_num: $FIN"`,
  ].join('\n');
  const balance = [
    `curl -s -w '\\n' "$BASE/v2.0/account/balance/fin_num?bank_tran_id=${balanceId}&fintech_use_num=$FIN&tran_dtime=${tranDtime}" \\`,
    `  -H "Authorization: Bearer $USER_TOKEN"`,
  ].join('\n');
  const withdrawBody = `{"bank_tran_id":"${withdrawId}","cntr_account_type":"N","cntr_account_num":"${cntr}","dps_print_content":"첫출금","fintech_use_num":"'"$FIN"'","wd_print_content":"첫출금","tran_amt":"${FIRST_WITHDRAWAL_KRW}","tran_dtime":"${tranDtime}","req_client_name":"${person.name}","req_client_fintech_use_num":"'"$FIN"'","req_client_num":"FIRSTCALL1","transfer_purpose":"TR"}`;
  const withdraw = [
    `curl -s -w '\\n' -X POST "$BASE/v2.0/transfer/withdraw/fin_num" \\`,
    `  -H "Authorization: Bearer $USER_TOKEN" -H 'Content-Type: application/json; charset=UTF-8' \\`,
    `  -d '${withdrawBody}'`,
  ].join('\n');

  const node = [
    `// first-call.mjs — node first-call.mjs (Node 18+)`,
    `const BASE = ${JSON.stringify(baseUrl)};`,
    `const CLIENT_ID = ${JSON.stringify(clientId)};`,
    `const CLIENT_SECRET = process.env.CLIENT_SECRET ?? ${JSON.stringify(secret)};`,
    `const CALLBACK = ${JSON.stringify(callback)};`,
    `const USER_SEQ_NO = ${JSON.stringify(person.userSeqNo)};`,
    `const form = (fields) => ({ method: 'POST', body: new URLSearchParams(fields) });`,
    `const id = () => ${JSON.stringify(`${clientUseCode}U`)} + crypto.randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase();`,
    `const tranDtime = new Date(Date.now() + 9 * 3600e3).toISOString().replace(/\\D/g, '').slice(0, 14); // KST`,
    ``,
    `const oob = await (await fetch(\`\${BASE}/oauth/2.0/token\`, form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'oob', grant_type: 'client_credentials' }))).json();`,
    `console.log('oob token:', oob.access_token ? 'ok' : oob);`,
    `const { code } = await (await fetch(\`\${BASE}/testbed/sandbox/authorize\`, form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, user_seq_no: USER_SEQ_NO, scope: 'login inquiry transfer', redirect_uri: CALLBACK }))).json();`,
    `const user = await (await fetch(\`\${BASE}/oauth/2.0/token\`, form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: CALLBACK, grant_type: 'authorization_code' }))).json();`,
    `const auth = { Authorization: \`Bearer \${user.access_token}\` };`,
    `const me = await (await fetch(\`\${BASE}/v2.0/user/me?user_seq_no=\${USER_SEQ_NO}\`, { headers: auth })).json();`,
    `const fin = me.res_list[0].fintech_use_num;`,
    `const balance = await (await fetch(\`\${BASE}/v2.0/account/balance/fin_num?\${new URLSearchParams({ bank_tran_id: id(), fintech_use_num: fin, tran_dtime: tranDtime })}\`, { headers: auth })).json();`,
    `console.log('balance:', balance.rsp_code, balance.balance_amt);`,
    `const withdraw = await (await fetch(\`\${BASE}/v2.0/transfer/withdraw/fin_num\`, {`,
    `  method: 'POST', headers: { ...auth, 'Content-Type': 'application/json; charset=UTF-8' },`,
    `  body: JSON.stringify({ bank_tran_id: id(), cntr_account_type: 'N', cntr_account_num: ${JSON.stringify(cntr)}, dps_print_content: '첫출금', fintech_use_num: fin,`,
    `    wd_print_content: '첫출금', tran_amt: '${FIRST_WITHDRAWAL_KRW}', tran_dtime: tranDtime, req_client_name: ${JSON.stringify(person.name)}, req_client_fintech_use_num: fin,`,
    `    req_client_num: 'FIRSTCALL1', transfer_purpose: 'TR' }),`,
    `})).json();`,
    `console.log('withdraw:', withdraw.rsp_code, withdraw.wd_limit_remain_amt);`,
  ].join('\n');

  let authorizeUrl: string | null = null;
  if (input.state) {
    const authorize = new URL(`${baseUrl}/oauth/2.0/authorize`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', clientId);
    authorize.searchParams.set('redirect_uri', callback);
    authorize.searchParams.set('scope', 'login inquiry transfer');
    authorize.searchParams.set('state', input.state);
    authorize.searchParams.set('auth_type', '0');
    authorizeUrl = authorize.toString();
  }
  return {
    secretFilled: input.clientSecret !== null,
    personFilled: input.person !== null,
    person,
    clientUseCode,
    tranDtime,
    balanceId,
    withdrawId,
    callback,
    shell: { setup, oobToken, userToken, balance, withdraw },
    /** The shell steps in order, as one script (what pasting them into one terminal runs). */
    shellScript: [setup, oobToken, userToken, balance, withdraw].join('\n'),
    node,
    authorizeUrl,
  };
}
