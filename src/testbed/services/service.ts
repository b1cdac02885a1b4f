// The test-bed service APIs (§4 of the reference) as one service: createTestbedApiService(deps) binds the
// shared context to each API function. Routes call `call(key, caller, fields)`.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { IdGenerator } from '../../db/ids';
import type { LedgerService } from '../ledger/service';
import type { TestbedCaller } from '../common/token-guard';
import { createServicesContext } from './services-context';
import type { ApiKey } from './api-catalogue';
import type { Parsed } from './field-specs';
import { balance, realName, receive, remitList, transactionList } from './inquiries';
import { bankStatus, count, fee, userRemainAmt, wdLimit } from './management';
import { SANDBOX_LIMITS, type TransferLimits } from './transfer-limits';
import { deposit } from './deposit';
import { returnClaim, returnResult } from './return-claims';
import { transferResult } from './transfer-result';
import { withdraw } from './withdrawal';
import { fdsDetect } from './fds-detect';
import { ensureScenarioAccounts } from '../scenarios/scenario-accounts';

export function createTestbedApiService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerService;
  limits?: TransferLimits;
}) {
  const ctx = createServicesContext({ ...deps, limits: deps.limits ?? SANDBOX_LIMITS });
  const handlers: Record<
    ApiKey,
    (caller: TestbedCaller, p: Parsed) => Promise<Record<string, unknown>> | Record<string, unknown>
  > = {
    balance: (c, p) => balance(ctx, c, p),
    transaction_list: (c, p) => transactionList(ctx, c, p),
    real_name: (c, p) => realName(ctx, c, p),
    remit_list: (c, p) => remitList(ctx, c, p),
    receive: (c, p) => receive(ctx, c, p),
    withdraw: (c, p) => withdraw(ctx, c, p),
    deposit_fin_num: (c, p) => deposit(ctx, c, p, 'fin_num'),
    deposit_acnt_num: (c, p) => deposit(ctx, c, p, 'acnt_num'),
    transfer_result: (c, p) => transferResult(ctx, c, p),
    return_claim: (c, p) => returnClaim(ctx, c, p),
    return_result: (c, p) => returnResult(ctx, c, p),
    fds_detect: (c, p) => fdsDetect(ctx, c, p),
    bank_status: () => bankStatus(),
    wd_limit: (c) => wdLimit(ctx, c),
    fee: (c, p) => fee(ctx, c, p),
    count: (c, p) => count(ctx, c, p),
    user_remain_amt: (c, p) => userRemainAmt(ctx, c, p),
  };
  return {
    limits: ctx.limits,
    async call(key: ApiKey, caller: TestbedCaller, p: Parsed): Promise<Record<string, unknown>> {
      // The caller's sandbox world (../ledger/sandbox-worlds.ts): a Map lookup once it is known complete.
      if (!ctx.ledger.worlds.isReady(caller.organizationId)) await ctx.ledger.worlds.ensure(caller.organizationId);
      return handlers[key](caller, p);
    },
    /** Writes buffered call counts (manage/count reads them). */
    flushCounts: () => ctx.counter.flush(),
    /** Creates the scenario catalogue's accounts that are missing (at start-up: with or without demo data). */
    ensureScenarioAccounts: () => ensureScenarioAccounts(deps.db, deps.ledger),
  };
}
export type TestbedApiService = ReturnType<typeof createTestbedApiService>;
