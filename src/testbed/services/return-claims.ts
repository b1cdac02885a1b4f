// 자금반환 return/claim and return/result: claiming a mistaken deposit back, and the claim's outcome.
import type { Knex } from 'knex';
import type { TestbedCaller } from '../common/token-guard';
import { checkBankTranId, claimBankTranId } from '../common/bank-tran-id';
import { bankLeg, kstDate } from '../common/envelope';
import { bankRspMessage } from '../common/kftc-error';
import { AlreadyReturned, TransferNotFound } from '../common/kftc-refusals';
import { formatError } from '../common/request-fields';
import { bankCodeSub, bankName, maskAccountNum } from '../ledger/banks';
import { LedgerRefusal } from '../ledger/service';
import { returnOutcome } from '../scenarios/scenario-triggers';
import { bankRspCodeFor } from './bank-answers';
import { type Parsed, textField as s } from './field-specs';
import type { ServicesContext } from './services-context';

/**
 * 자금반환청구: claims a mistaken deposit back from its recipient into the organization's paying account.
 * The recipient is named by org_dps_bank_code_std + org_dps_account_num or by org_dps_fintech_use_num
 * alone (the bank is then the registered account's). The claim is accepted at once (A0000, bank 000) and
 * settles at once [inferred: the real one takes days]: returned in full, partly (#RTN_PARTIAL in
 * claim_message: half), refused by the recipient (#RTN_REFUSED) or refused for lack of funds (the
 * recipient's balance is below the amount). return/result reports the outcome. A deposit already
 * returned (in full or partly) cannot be claimed again (A0008); a refused one can.
 */
export async function returnClaim(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const bankTranId = checkBankTranId(p.bank_tran_id, caller.clientUseCode);
  const byFintech = s(p, 'org_dps_fintech_use_num');
  if (!byFintech) {
    if (!p.org_dps_bank_code_std)
      throw formatError(
        'org_dps_bank_code_std',
        'org_dps_bank_code_std + org_dps_account_num 또는 org_dps_fintech_use_num 필수',
      );
    if (!p.org_dps_account_num)
      throw formatError(
        'org_dps_account_num',
        'org_dps_bank_code_std + org_dps_account_num 또는 org_dps_fintech_use_num 필수',
      );
  }
  const echo = {
    bank_tran_id: bankTranId,
    org_bank_tran_id: s(p, 'org_bank_tran_id'),
    org_bank_tran_date: s(p, 'org_bank_tran_date'),
  };
  const original = await ctx.repo.findOriginal(
    ctx.db,
    caller.organizationId,
    s(p, 'org_bank_tran_date'),
    s(p, 'org_bank_tran_id'),
  );
  if (
    original?.kind !== 'deposit' ||
    original.rsp_code !== 'A0000' ||
    !original.dps_account_id ||
    !original.wd_account_id
  )
    throw new TransferNotFound(echo);
  const recipient = await ctx.ledger.findAccount(original.dps_account_id);
  const paying = await ctx.ledger.findAccount(original.wd_account_id);
  if (!recipient || !paying) throw new TransferNotFound(echo);
  if (p.org_dps_bank_code_std && recipient.bankCode !== s(p, 'org_dps_bank_code_std'))
    throw new TransferNotFound(echo, 'org_dps_bank_code_std');
  if (p.org_dps_account_num && recipient.accountNum !== s(p, 'org_dps_account_num'))
    throw new TransferNotFound(echo, 'org_dps_account_num');
  if (byFintech && original.dps_fintech_use_num !== byFintech)
    throw new TransferNotFound(echo, 'org_dps_fintech_use_num');
  if (Number(original.amount) !== p.org_tran_amt) throw formatError('org_tran_amt', '원거래 금액과 다름', echo);
  const orgAmount = Number(original.amount);
  const forced = returnOutcome(s(p, 'claim_message'));
  const now = ctx.clock();
  const date = kstDate(now);
  await ctx.db.transaction(async (trx: Knex.Transaction) => {
    await claimBankTranId(trx, {
      organizationId: caller.organizationId,
      clientUseCode: caller.clientUseCode,
      bankTranId,
      date,
    });
    if ((await ctx.repo.returnedAmount(trx, original.id)) > 0) throw new AlreadyReturned(echo);
    const claim = {
      id: ctx.ids(),
      organization_id: caller.organizationId,
      bank_tran_id: bankTranId,
      tran_date: date,
      org_transaction_id: original.id,
      claim_code: s(p, 'claim_code'),
      claim_message: s(p, 'claim_message') || null,
      created_at: now.toISOString(),
    };
    if (forced?.kind === 'refused') {
      await ctx.repo.insertReturnClaim(trx, {
        ...claim,
        return_transaction_id: null,
        amount: 0,
        status: 'refused',
        return_fail_code: forced.failCode,
        return_fail_message: forced.failMessage,
        return_date: null,
      });
      return;
    }
    const amount = forced?.kind === 'partial' ? Math.floor(orgAmount / 2) : orgAmount;
    try {
      const r = await ctx.ledger.transfer(
        {
          kind: 'return',
          fromAccountId: recipient.id,
          toAccountId: paying.id,
          amount,
          organizationId: caller.organizationId,
          bankTranId,
          bankTranDate: date,
          wdPrintContent: '자금반환',
          dpsPrintContent: '자금반환',
          reversesTransactionId: original.id,
          responseSummary: { bank_code_tran: recipient.bankCode, tran_amt: String(amount) },
        },
        trx,
      );
      await ctx.repo.insertReturnClaim(trx, {
        ...claim,
        return_transaction_id: r.transactionId,
        amount,
        status: amount === orgAmount ? 'returned' : 'partial',
        return_fail_code: null,
        return_fail_message: null,
        return_date: date,
      });
    } catch (err) {
      if (!(err instanceof LedgerRefusal)) throw err;
      const code = bankRspCodeFor(err.reason);
      await ctx.repo.insertReturnClaim(trx, {
        ...claim,
        return_transaction_id: null,
        amount: 0,
        status: 'refused',
        return_fail_code: code,
        return_fail_message: bankRspMessage(code),
        return_date: null,
      });
    }
  });
  const recipientFin = original.dps_fintech_use_num ?? '';
  return Object.assign(
    { dps_bank_code_std: recipient.bankCode },
    bankLeg({ bankTranId, bankCode: recipient.bankCode, date: now }),
    {
      wd_bank_code_std: paying.bankCode,
      wd_bank_code_sub: bankCodeSub(paying.bankCode),
      wd_bank_name: bankName(paying.bankCode),
      org_bank_tran_date: s(p, 'org_bank_tran_date'),
      org_bank_tran_id: s(p, 'org_bank_tran_id'),
      org_dps_bank_code_std: recipient.bankCode,
      // As sent; derived from the fintech number it is masked like every other account of a user [inferred].
      org_dps_account_num: s(p, 'org_dps_account_num') || maskAccountNum(recipient.accountNum),
      org_dps_fintech_use_num: byFintech || recipientFin,
      org_tran_amt: String(orgAmount),
      return_account_num: s(p, 'return_account_num') || paying.accountNum,
    },
  );
}

/**
 * 자금반환결과조회: the outcome of a return claim, by the claim's own bank_tran_date + bank_tran_id.
 * An unknown claim → A0310 [inferred].
 */
export async function returnResult(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const claimDate = s(p, 'claim_bank_tran_date');
  const claimId = s(p, 'claim_bank_tran_id');
  const claim = await ctx.repo.findReturnClaim(ctx.db, caller.organizationId, claimDate, claimId);
  if (!claim) throw new TransferNotFound({ claim_bank_tran_date: claimDate, claim_bank_tran_id: claimId });
  const returned = claim.status !== 'refused';
  return {
    claim_bank_tran_date: claimDate,
    claim_bank_tran_id: claimId,
    claim_normal_yn: 'Y',
    claim_bank_rsp_code: '000',
    claim_bank_rsp_message: '',
    return_yn: returned ? 'Y' : 'N',
    return_fail_code: claim.return_fail_code ?? '',
    return_fail_message: claim.return_fail_message ?? '',
    total_return_yn: claim.status === 'returned' ? 'Y' : 'N',
    return_amt: String(Number(claim.amount)),
    return_date: claim.return_date ?? '',
    org_tran_amt: String(Number(claim.org_amount)),
  };
}
