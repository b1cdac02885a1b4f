// The emulator's writes that concurrent calls share (src/db/batcher.ts): checked withdrawals, and the
// bank_tran_id claims of inquiries. A batch with withdrawals is ONE transaction that also carries the
// inquiries' claims, each withdrawal decided in arrival order against the limits and balances the earlier
// ones left (what one-at-a-time processing answers); a batch of claims only is one insert.
// Rule (idempotency): a bank_tran_id moves money at most once — a retry is refused with A0326 before
// anything happens, and transfer/result reports the original outcome (refusals are recorded too).
import type { Knex } from 'knex';
import type { TestbedCaller } from '../common/token-guard';
import { claimBankTranIds, type BankTranIdClaim } from '../common/bank-tran-id';
import { rspMessage } from '../common/kftc-error';
import { LedgerRefusal, type BankAccount, type TransferInput } from '../ledger/service';
import { createBatcher, together, type Batcher, type ItemOutcome } from '../../db/batcher';
import { amountOutcome, isBankUnderMaintenance, type ForcedOutcome } from '../scenarios/scenario-triggers';
import { MAINTENANCE_REFUSAL, bankAnswer, ledgerRefusalOutcome } from './bank-answers';
import type { Parsed } from './field-specs';
import type { RegisteredFintechAccount } from './repository';
import type { ServicesContext } from './services-context';
import { withdrawLimitRefusal } from './transfer-limits';

/** A withdrawal request as read and format-checked by the handler, before any lookup. */
export interface WithdrawRequest {
  caller: TestbedCaller;
  p: Parsed;
  bankTranId: string;
  amount: number;
  fintechUseNum: string;
  echo: Record<string, unknown>;
  marker: ForcedOutcome | null;
  now: Date;
  date: string;
}

export interface WithdrawJob {
  req: WithdrawRequest;
  acc: RegisteredFintechAccount;
  collecting: BankAccount;
  keys: [string, string][];
  transfer: TransferInput;
}

export type WithdrawOutcome =
  | { kind: 'moved'; job: WithdrawJob; remain: number }
  | { kind: 'refused'; job: WithdrawJob; forced: ForcedOutcome }
  | { kind: 'duplicate' };

/**
 * Decides and writes a batch of checked withdrawals in ONE transaction, in arrival order, with a handful
 * of multi-row statements whatever the batch size: claim every bank_tran_id (the inquiries' of this batch
 * too), lock the usage rows and the accounts involved, decide each withdrawal against the limits and
 * balances the earlier ones left, then write all transactions, postings, balances and usage. The outcome
 * of each is what one-at-a-time processing gives.
 */
async function executeWithdrawals(
  ctx: ServicesContext,
  trx: Knex.Transaction,
  jobs: WithdrawJob[],
  inquiryClaims: BankTranIdClaim[],
): Promise<{ outcomes: WithdrawOutcome[]; claimsWon: boolean[] }> {
  // The claims and the reads go out together (see together()): on SQLite the transaction took the write
  // lock at BEGIN (BEGIN IMMEDIATE, src/db/sqlite-statement-cache.ts), so nothing can change between them
  // whatever order SQLite runs them in; on PostgreSQL they run in the order sent, the claim first. The
  // usage rows and accounts of a withdrawal whose id turns out to be taken are read (and on PostgreSQL
  // locked) for nothing: cheaper than another round trip for every batch.
  const [allWon, usage, batch] = await together([
    claimBankTranIds(trx, [
      ...jobs.map((j) => ({
        organizationId: j.req.caller.organizationId,
        tranDate: j.req.date,
        bankTranId: j.req.bankTranId,
      })),
      ...inquiryClaims,
    ]),
    ctx.repo.lockUsage(
      trx,
      jobs.flatMap((j) => j.keys),
    ),
    ctx.ledger.openBatch(
      trx,
      jobs.flatMap((j) => [j.transfer.fromAccountId, j.transfer.toAccountId]),
    ),
  ]);
  const won = allWon.slice(0, jobs.length);
  const changed = new Set<string>();
  const decide = (job: WithdrawJob): WithdrawOutcome => {
    const rows = job.keys.map(([subject, date]) => usage.get(`${subject}|${date}`)!);
    const used = { dailyUser: rows[0]!.wdAmt, dailyOrg: rows[1]!.wdAmt, monthlyOrg: rows[2]!.wdAmt };
    const amount = job.req.amount;
    let forced: ForcedOutcome | null =
      job.req.marker ??
      (isBankUnderMaintenance(job.acc.bankCode) ? MAINTENANCE_REFUSAL : null) ??
      withdrawLimitRefusal(ctx.limits, used, amount) ??
      amountOutcome(amount);
    if (!forced) {
      try {
        batch.apply(job.transfer);
        rows.forEach((row, k) => {
          row.wdAmt += amount;
          row.wdCnt += 1;
          changed.add(`${job.keys[k]![0]}|${job.keys[k]![1]}`);
        });
        return { kind: 'moved', job, remain: Math.max(0, ctx.limits.userDaily - used.dailyUser - amount) };
      } catch (err) {
        if (!(err instanceof LedgerRefusal)) throw err;
        forced = ledgerRefusalOutcome(err);
      }
    }
    batch.refuse({
      ...job.transfer,
      rspCode: forced.rspCode,
      rspMessage: rspMessage(forced.rspCode),
      ...bankAnswer(forced),
    });
    return { kind: 'refused', job, forced };
  };
  const outcomes = jobs.map((job, i): WithdrawOutcome => (won[i] ? decide(job) : { kind: 'duplicate' }));
  await batch.writeAndCommit(ctx.repo.writeUsageStatements([...changed].map((key) => ({ key, ...usage.get(key)! }))));
  return { outcomes, claimsWon: allWon.slice(jobs.length) };
}

// Under load the database commits once per batch, not once per call. If a batch fails for an unexpected
// reason, each of its items is retried alone, so one bad request never fails the others.
type WriterItem = { kind: 'withdraw'; job: WithdrawJob } | { kind: 'claim'; claim: BankTranIdClaim };
type WriterResult = WithdrawOutcome | boolean;

async function executeWrites(ctx: ServicesContext, items: WriterItem[]): Promise<WriterResult[]> {
  const jobs = items.flatMap((i) => (i.kind === 'withdraw' ? [i.job] : []));
  const claims = items.flatMap((i) => (i.kind === 'claim' ? [i.claim] : []));
  const { outcomes, claimsWon } =
    jobs.length === 0
      ? { outcomes: [], claimsWon: await claimBankTranIds(ctx.db, claims) }
      : await ctx.db.transaction((trx) => executeWithdrawals(ctx, trx, jobs, claims));
  let w = 0;
  let c = 0;
  return items.map((i) => (i.kind === 'withdraw' ? outcomes[w++]! : claimsWon[c++]!));
}

const writers = new WeakMap<ServicesContext, Batcher<WriterItem, WriterResult>>();
function writer(ctx: ServicesContext): Batcher<WriterItem, WriterResult> {
  let b = writers.get(ctx);
  if (!b) {
    b = createBatcher<WriterItem, WriterResult>(async (items) => {
      try {
        return (await executeWrites(ctx, items)).map((value) => ({ ok: true as const, value }));
      } catch (err) {
        if (items.length === 1) return [{ ok: false as const, error: err }];
        const alone: ItemOutcome<WriterResult>[] = [];
        for (const item of items) {
          try {
            alone.push({ ok: true, value: (await executeWrites(ctx, [item]))[0]! });
          } catch (e) {
            alone.push({ ok: false, error: e });
          }
        }
        return alone;
      }
    });
    writers.set(ctx, b);
  }
  return b;
}

/** Claims an inquiry's bank_tran_id, sharing the next write batch; false when already used that KST day. */
export async function claimInquiryBankTranId(ctx: ServicesContext, claim: BankTranIdClaim): Promise<boolean> {
  return (await writer(ctx).submit({ kind: 'claim', claim })) as boolean;
}

/** Decides and writes a checked withdrawal in the next write batch. */
export function submitWithdrawal(ctx: ServicesContext, job: WithdrawJob): Promise<WithdrawOutcome> {
  return writer(ctx).submit({ kind: 'withdraw', job }) as Promise<WithdrawOutcome>;
}
