// The sandbox page's copy-paste quick start: real commands against this deployment's base URL, filled
// with the organization's own identifiers (never a secret: the secret appears as a placeholder).
export function quickStart(opts: { baseUrl: string; clientId: string; clientUseCode: string; callbackUrl: string | null; exampleFintechUseNum: string | null }) {
  const { baseUrl, clientId, clientUseCode } = opts;
  const callback = opts.callbackUrl ?? 'https://your.app/callback';
  const tokenCurl = [
    `curl -X POST '${baseUrl}/oauth/2.0/token' \\`,
    `  -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8' \\`,
    `  --data-urlencode 'client_id=${clientId}' \\`,
    `  --data-urlencode 'client_secret=YOUR_CLIENT_SECRET' \\`,
    `  --data-urlencode 'scope=oob' \\`,
    `  --data-urlencode 'grant_type=client_credentials'`,
  ].join('\n');
  const authorize = new URL(`${baseUrl}/oauth/2.0/authorize`);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('client_id', clientId);
  authorize.searchParams.set('redirect_uri', callback);
  authorize.searchParams.set('scope', 'login inquiry transfer');
  authorize.searchParams.set('state', '12345678901234567890123456789012');
  authorize.searchParams.set('auth_type', '0');
  const codeCurl = [
    `curl -X POST '${baseUrl}/oauth/2.0/token' \\`,
    `  -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8' \\`,
    `  --data-urlencode 'code=CODE_FROM_CALLBACK' \\`,
    `  --data-urlencode 'client_id=${clientId}' \\`,
    `  --data-urlencode 'client_secret=YOUR_CLIENT_SECRET' \\`,
    `  --data-urlencode 'redirect_uri=${callback}' \\`,
    `  --data-urlencode 'grant_type=authorization_code'`,
  ].join('\n');
  const balanceCurl = [
    `curl '${baseUrl}/v2.0/account/balance/fin_num?bank_tran_id=${clientUseCode}U000000001&fintech_use_num=${opts.exampleFintechUseNum ?? 'FINTECH_USE_NUM'}&tran_dtime=20261126120000' \\`,
    `  -H 'Authorization: Bearer USER_ACCESS_TOKEN'`,
  ].join('\n');
  const accountListCurl = [
    `curl '${baseUrl}/v2.0/account/list?user_seq_no=USER_SEQ_NO&include_cancel_yn=N&sort_order=D' \\`,
    `  -H 'Authorization: Bearer USER_ACCESS_TOKEN'`,
  ].join('\n');
  return { tokenCurl, authorizeUrl: authorize.toString(), codeCurl, balanceCurl, accountListCurl };
}
