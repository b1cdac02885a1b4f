// Demo data, part 4: the scenario accounts of the test-bed catalogue (src/testbed/scenarios/catalogue.ts):
// closed, accident-reported and suspended accounts and a plain recipient, all at the test bank 097.
// Loaded only into an empty database outside production. Deterministic account numbers and balances.
import type { Knex } from 'knex';
import { createLedgerService } from '../src/testbed/ledger/service';
import { SCENARIO_ACCOUNTS } from '../src/testbed/scenarios/catalogue';
import { systemClock } from '../src/clock';
import { randomId } from '../src/db/ids';

export async function seed(knex: Knex): Promise<void> {
  const ledger = createLedgerService({ db: knex, clock: systemClock, ids: randomId });
  await knex.transaction(async (trx) => {
    for (const a of Object.values(SCENARIO_ACCOUNTS)) {
      if (await ledger.findAccountByNumber(a.bankCode, a.accountNum, trx)) continue;
      await ledger.openAccount({
        bankCode: a.bankCode, accountNum: a.accountNum, holderName: a.holderName, purpose: 'personal', status: a.status,
        openingBalance: 100_000, productName: '시나리오 계좌', withHistory: false,
      }, trx);
    }
  });
}
