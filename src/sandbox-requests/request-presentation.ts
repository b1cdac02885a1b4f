// How a logged call is explained to a person: the rsp_code and bank_rsp_code read from KFTC's code
// catalogue (the messages the emulator itself answers with), the API keys a filter can name, and the
// docs anchor of each service API.
import { bankMessages, messages } from '../testbed/common/kftc-error';
import { APIS } from '../testbed/services/api-catalogue';

const MANAGEMENT_KEYS = [
  'user_me',
  'account_list',
  'account_update_info',
  'account_cancel',
  'user_unlink',
  'user_close',
];
const SERVICE_KEYS = new Set<string>(APIS.map((a) => a.key));

/** Every key the request log records, for the filter's choices (OAuth steps first). */
export const REQUEST_API_KEYS: readonly string[] = [
  'oauth_token',
  'authorize',
  'sandbox_authorize',
  ...APIS.map((a) => a.key),
  ...MANAGEMENT_KEYS,
];

export function docsLinkFor(api: string | null): string {
  return api && SERVICE_KEYS.has(api) ? `/docs#api-${api}` : '/docs';
}

export interface CodeExplanation {
  code: string;
  kind: 'rsp' | 'bank';
  message: string;
}

export function codeExplanation(rspCode: string | null, bankRspCode: string | null): CodeExplanation[] {
  const out: CodeExplanation[] = [];
  if (rspCode)
    out.push({ code: rspCode, kind: 'rsp', message: messages[rspCode] || (rspCode === 'A0000' ? '정상처리' : '') });
  if (bankRspCode) out.push({ code: bankRspCode, kind: 'bank', message: bankMessages[bankRspCode] ?? '' });
  return out;
}
