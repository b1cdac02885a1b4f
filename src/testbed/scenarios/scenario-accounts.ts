// The catalogue's scenario accounts (closed, accident-reported, suspended, a plain recipient) exist in
// every deployment, demo data or not: created once at start-up in the template world if missing
// (idempotent; a concurrent instance creating the same account is fine). Every organization's sandbox
// world gets its own copy (../ledger/sandbox-worlds.ts), so deposits into them stay in that world.
import type { Knex } from 'knex';
import type { LedgerService } from '../ledger/service';
import { SCENARIO_ACCOUNTS } from './catalogue';
import { TEMPLATE_WORLD } from '../ledger/sandbox-worlds';

const SCENARIO_OPENING_BALANCE = 100_000;

export async function ensureScenarioAccounts(db: Knex, ledger: LedgerService): Promise<number> {
  let created = 0;
  const inTemplate = async (bankCode: string, accountNum: string) =>
    (await ledger.repo.findAccountInWorlds(db, TEMPLATE_WORLD, bankCode, accountNum)).template;
  for (const a of Object.values(SCENARIO_ACCOUNTS)) {
    if (await inTemplate(a.bankCode, a.accountNum)) continue;
    try {
      await db.transaction((trx) =>
        ledger.openAccount(
          {
            bankCode: a.bankCode,
            accountNum: a.accountNum,
            holderName: a.holderName,
            purpose: 'personal',
            status: a.status,
            openingBalance: SCENARIO_OPENING_BALANCE,
            productName: '시나리오 계좌',
            withHistory: false,
          },
          trx,
        ),
      );
      created++;
    } catch (err) {
      if (!(await inTemplate(a.bankCode, a.accountNum))) throw err; // not a lost race: a real failure
    }
  }
  return created;
}
