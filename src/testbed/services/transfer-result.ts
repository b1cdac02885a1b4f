// 이체결과조회 transfer/result: the recorded outcome of earlier withdrawals (check_type 1) or deposits (2),
// by org_bank_tran_date + org_bank_tran_id + org_tran_amt — the original answer, "처리중" until a timed-out
// transfer settles, or not found (A0310 when no item is found).
import type { TestbedCaller } from '../common/token-guard';
import { rspMessage } from '../common/kftc-error';
import { TransferNotFound } from '../common/kftc-refusals';
import { formatError } from '../common/request-fields';
import { bankCodeSub } from '../ledger/banks';
import type { TransactionRow } from '../ledger/service';
import { type Parsed, textField as s } from './field-specs';
import type { ServicesContext } from './services-context';

const PROCESSING = { code: '', message: '처리중' };

/** The item fields after the bank leg, in the public order (reference §8), from a recorded summary. */
function resultParties(summary: Record<string, string>, tranAmt: string): Record<string, string> {
  const wdBank = summary.wd_bank_code_std ?? '';
  const dpsBank = summary.dps_bank_code_std ?? '';
  return {
    wd_bank_code_std: wdBank,
    wd_bank_code_sub: wdBank ? bankCodeSub(wdBank) : '',
    wd_bank_name: summary.wd_bank_name ?? '',
    wd_savings_bank_name: '',
    wd_fintech_use_num: summary.wd_fintech_use_num ?? '',
    wd_account_num_masked: summary.wd_account_num_masked ?? '',
    wd_print_content: summary.wd_print_content ?? '',
    wd_account_holder_name: summary.wd_account_holder_name ?? '',
    dps_bank_code_std: dpsBank,
    dps_bank_code_sub: dpsBank ? bankCodeSub(dpsBank) : '',
    dps_bank_name: summary.dps_bank_name ?? '',
    dps_savings_bank_name: '',
    dps_fintech_use_num: summary.dps_fintech_use_num ?? '',
    dps_account_num_masked: summary.dps_account_num_masked ?? '',
    dps_print_content: summary.dps_print_content ?? '',
    dps_account_holder_name: summary.dps_account_holder_name ?? '',
    tran_amt: summary.tran_amt ?? tranAmt,
  };
}

/** One transfer/result item: the original outcome, or "processing" until it settles, or not found. */
function resultItem(
  tranNo: string,
  orgId: string,
  orgDate: string,
  row: TransactionRow | undefined,
  now: Date,
  checkType: string,
  orgAmount: number,
) {
  const kind = checkType === '1' ? 'withdraw' : 'deposit';
  if (!row || row.kind !== kind || Number(row.amount) !== orgAmount) {
    return {
      found: false,
      processing: false,
      item: Object.assign(
        {
          tran_no: tranNo,
          bank_tran_id: orgId,
          bank_tran_date: orgDate,
          bank_code_tran: '',
          bank_rsp_code: '',
          bank_rsp_message: rspMessage('A0310'),
        },
        resultParties({}, String(orgAmount)),
      ),
    };
  }
  const summary = row.response_summary ? (JSON.parse(row.response_summary) as Record<string, string>) : {};
  const processing = row.status === 'processing' && !!row.settles_at && now.toISOString() < row.settles_at;
  const ok = !processing && row.rsp_code === 'A0000';
  const bankRspCode = processing ? PROCESSING.code : (row.bank_rsp_code ?? '');
  return {
    found: true,
    processing,
    ok,
    item: Object.assign(
      {
        tran_no: tranNo,
        bank_tran_id: row.bank_tran_id ?? orgId,
        bank_tran_date: row.bank_tran_date ?? orgDate,
        bank_code_tran: summary.bank_code_tran ?? '',
        bank_rsp_code: bankRspCode,
        // "" on success as in every other answer (rows recorded before this rule say "정상").
        bank_rsp_message: processing ? PROCESSING.message : bankRspCode === '000' ? '' : (row.bank_rsp_message ?? ''),
      },
      resultParties(summary, String(orgAmount)),
    ),
  };
}

export async function transferResult(ctx: ServicesContext, caller: TestbedCaller, p: Parsed) {
  const items = p.req_list as Parsed[];
  if (Number(p.req_cnt) !== items.length) throw formatError('req_cnt', `req_list 건수(${items.length})와 같아야 함`);
  const now = ctx.clock();
  const results = [];
  for (const item of items) {
    const row = await ctx.repo.findOriginal(
      ctx.db,
      caller.organizationId,
      s(item, 'org_bank_tran_date'),
      s(item, 'org_bank_tran_id'),
    );
    results.push(
      resultItem(
        s(item, 'tran_no'),
        s(item, 'org_bank_tran_id'),
        s(item, 'org_bank_tran_date'),
        row,
        now,
        s(p, 'check_type'),
        item.org_tran_amt as number,
      ),
    );
  }
  if (results.every((r) => !r.found)) throw new TransferNotFound({ check_type: s(p, 'check_type') });
  const allOk = results.every((r) => r.found && r.ok);
  const onlyProcessing = results.every((r) => r.found && (r.ok || r.processing));
  const rsp = allOk
    ? {}
    : onlyProcessing
      ? { rsp_code: 'A0001', rsp_message: rspMessage('A0001') }
      : { rsp_code: 'A0009', rsp_message: rspMessage('A0009') };
  return { ...rsp, res_cnt: String(results.length), res_list: results.map((r) => r.item) };
}
