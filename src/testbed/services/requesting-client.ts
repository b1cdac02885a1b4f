// Rule: the requesting customer of a transfer (req_client_*) is named by bank + account number or by
// fintech number, never both; bank code and account number come together. Withdrawals and deposits (each
// item, `req_list[i].`) check it before anything else.
import { formatError } from '../common/request-fields';
import type { Parsed } from './field-specs';

export function checkRequestingClient(p: Parsed, prefix = ''): void {
  const hasAccount = Boolean(p.req_client_bank_code || p.req_client_account_num);
  if (hasAccount && p.req_client_fintech_use_num)
    throw formatError(
      `${prefix}req_client_fintech_use_num`,
      'req_client_bank_code+req_client_account_num 과 함께 보낼 수 없음',
    );
  if (Boolean(p.req_client_bank_code) !== Boolean(p.req_client_account_num)) {
    throw formatError(
      `${prefix}${p.req_client_bank_code ? 'req_client_account_num' : 'req_client_bank_code'}`,
      'req_client_bank_code 와 req_client_account_num 은 함께 보내야 함',
    );
  }
}
