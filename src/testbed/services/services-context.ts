// What every service API handler shares: its collaborators (database, clock, ids, ledger, limits), the
// services repository, the per-API call counter, and the batched lookups of registered and contract accounts.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { IdGenerator } from '../../db/ids';
import type { BankAccount, LedgerService } from '../ledger/service';
import type { AccountPurpose } from '../ledger/repository';
import { createServicesRepository, type RegisteredFintechAccount } from './repository';
import type { TransferLimits } from './transfer-limits';
import { createCallCounter } from './call-counter';
import { createBatcher } from '../../db/batcher';
import { readerOf } from '../../db/knex';

export interface ServicesDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerService;
  limits: TransferLimits;
}

export function createServicesContext(deps: ServicesDeps) {
  const repo = createServicesRepository();
  const counter = createCallCounter({ db: deps.db, repo });
  // Concurrent calls share round trips (see src/db/batcher.ts): account lookups outside a transaction here;
  // writes (withdrawals, inquiries' bank_tran_id claims) in write-batch.ts.
  // Reads that need no transaction go to the SQLite reader connection when there is one (src/db/knex.ts).
  const reads = readerOf(deps.db);
  const registeredAccounts = createBatcher<
    { fintechUseNum: string; withLastTranDate: boolean },
    RegisteredFintechAccount | undefined
  >(async (items) => {
    const found = await repo.findRegisteredAccounts(
      reads,
      items.map((i) => i.fintechUseNum),
      { withLastTranDate: items.some((i) => i.withLastTranDate) },
    );
    return items.map((i) => ({ ok: true as const, value: found.get(i.fintechUseNum) }));
  });
  const contractAccounts = createBatcher<
    { organizationId: string; purpose: AccountPurpose; accountNum: string },
    BankAccount | undefined
  >(async (items) => {
    const byPurpose = new Map<AccountPurpose, Map<string, BankAccount>>();
    for (const purpose of new Set(items.map((i) => i.purpose))) {
      byPurpose.set(
        purpose,
        await deps.ledger.repo.findOrgAccounts(
          reads,
          purpose,
          items.filter((i) => i.purpose === purpose).map((i): [string, string] => [i.organizationId, i.accountNum]),
        ),
      );
    }
    return items.map((i) => ({
      ok: true as const,
      value: byPurpose.get(i.purpose)!.get(`${i.organizationId}|${i.accountNum}`),
    }));
  });
  return { ...deps, repo, counter, registeredAccounts, contractAccounts, reads };
}
export type ServicesContext = ReturnType<typeof createServicesContext>;
