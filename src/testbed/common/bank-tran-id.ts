// Rule: bank_tran_id is 20 characters = the caller's 이용기관코드 (10) + 'U' + 9 alphanumerics (else A0004),
// and is unique per institution per KST day (else A0326). The claim is written inside the caller's
// transaction, so a request refused later changes nothing (its claim rolls back with it).
import type { Runner } from '../../db/knex';
import { KftcError, messages } from './kftc-error';
import { formatError } from './request-fields';
import { kstDate } from './envelope';

const TAIL = /^U[0-9A-Za-z]{9}$/;

/** Throws A0004 unless `bankTranId` is `<clientUseCode>U` + 9 alphanumerics. */
export function checkBankTranId(bankTranId: unknown, clientUseCode: string): string {
  if (typeof bankTranId !== 'string' || bankTranId === '') throw formatError('bank_tran_id', '필수 항목 누락');
  if (bankTranId.length !== 20) throw formatError('bank_tran_id', '20자리 (이용기관코드 10자리 + U + 9자리)');
  if (!bankTranId.startsWith(clientUseCode)) throw formatError('bank_tran_id', `이용기관코드(${clientUseCode})로 시작해야 함`);
  if (!TAIL.test(bankTranId.slice(10))) throw formatError('bank_tran_id', '11번째 자리 U + 영숫자 9자리');
  return bankTranId;
}

export async function claimBankTranId(
  trx: Runner,
  input: { organizationId: string; clientUseCode: string; bankTranId: unknown; date: Date | string },
): Promise<void> {
  const bankTranId = checkBankTranId(input.bankTranId, input.clientUseCode);
  const tranDate = typeof input.date === 'string' ? input.date : kstDate(input.date);
  // One statement: the insert either claims the id or does nothing (never a constraint error, which
  // would abort the caller's PostgreSQL transaction); a concurrent claim of the same id waits for ours.
  const claimed = await trx('testbed_bank_tran_ids')
    .insert({ organization_id: input.organizationId, tran_date: tranDate, bank_tran_id: bankTranId, created_at: new Date().toISOString() })
    .onConflict(['organization_id', 'tran_date', 'bank_tran_id']).ignore()
    .returning('bank_tran_id');
  if (!Array.isArray(claimed) || claimed.length === 0) throw new KftcError('A0326', messages.A0326!);
}
