// Rule: every organization has its own sandbox world. The template world ('') holds the shared fixtures as
// seeded — the global test people's bank accounts (홍길동 …) and the scenario accounts — and is never
// moved by any API; an organization's world holds its copies of them (same numbers, holders, user_seq_no,
// opening balances and statuses, with their own back-dated history; organization_id stays null as on the
// template: the people are still the global ones), its own test people's accounts and its contract
// accounts (organization_id = the organization). Every balance, posting, registration and reset of one organization happens in
// its world only.
//
// Materialisation is lazy and idempotent: the first time an organization's world is touched (an API call,
// a registration, the sandbox pages), the template accounts it lacks are opened in its world through the
// ledger (a documented mint against the system account, so the ledger still balances), registrations
// made before worlds existed are moved to the copies, and a `sandbox_worlds` row records how many
// template accounts the world has copied — all in ONE transaction. Concurrent first touches: one at a
// time per process (`running`), and across instances the unique (world, bank_code, account_num) index
// refuses a second copy; the loser retries and finds the world complete.
//
// Cache: a world once complete stays complete, so this process remembers it (`ready`) and the hot path
// pays a Map lookup. A new template account opened by this process invalidates the cache
// (templateChanged); one opened by another instance is copied on demand when a lookup by number misses
// (LedgerService.findAccountInWorld) or when a registration names it.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { Runner } from '../../db/knex';
import {
  accountFromRow,
  type AccountRow,
  type BankAccount,
  type LedgerRepository,
  type OpenAccountInput,
} from './repository';

/** The world of the shared fixtures as seeded. */
export const TEMPLATE_WORLD = '';

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return Boolean(
    e &&
      (e.code === '23505' ||
        e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
        e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
        /UNIQUE constraint failed|duplicate key value/.test(e.message ?? '')),
  );
}

export function createSandboxWorlds(deps: {
  db: Knex;
  clock: Clock;
  repo: LedgerRepository;
  openAccount: (input: OpenAccountInput, trx: Knex.Transaction) => Promise<{ id: string }>;
}) {
  const { db, clock } = deps;
  let generation = 0;
  const ready = new Map<string, number>();
  const running = new Map<string, Promise<void>>();

  async function templateAccounts(run: Runner): Promise<BankAccount[]> {
    const rows = await run<AccountRow>('bank_accounts')
      .where({ world: TEMPLATE_WORLD, purpose: 'personal' })
      .orderBy('created_at')
      .orderBy('id');
    return rows.map(accountFromRow);
  }

  /** Copies the template accounts the world lacks, moves older registrations to the copies, records the world. */
  async function materialise(trx: Knex.Transaction, organizationId: string): Promise<void> {
    const world = await trx('sandbox_worlds').where({ organization_id: organizationId }).first('template_count');
    const count = await trx('bank_accounts')
      .where({ world: TEMPLATE_WORLD, purpose: 'personal' })
      .count<{ n: number | string }[]>({ n: '*' })
      .first();
    const templateCount = Number(count?.n ?? 0);
    if (world && Number(world.template_count) === templateCount) return;
    const templates = await templateAccounts(trx);
    const have = new Map(
      (await trx('bank_accounts').where({ world: organizationId }).select('id', 'bank_code', 'account_num')).map(
        (r: { id: string; bank_code: string; account_num: string }) => [`${r.bank_code}|${r.account_num}`, r.id],
      ),
    );
    const historyRows =
      templates.length === 0
        ? []
        : await trx('transactions')
            .where({ kind: 'history' })
            .whereIn(
              'dps_account_id',
              templates.map((a) => a.id),
            )
            .select('dps_account_id');
    const withHistory = new Set(historyRows.map((r: { dps_account_id: string }) => r.dps_account_id));
    for (const t of templates) {
      let copyId = have.get(`${t.bankCode}|${t.accountNum}`);
      if (!copyId) {
        ({ id: copyId } = await deps.openAccount(
          {
            bankCode: t.bankCode,
            accountNum: t.accountNum,
            holderName: t.holderName,
            holderInfo: t.holderInfo,
            userSeqNo: t.userSeqNo,
            world: organizationId,
            purpose: 'personal',
            productName: t.productName,
            status: t.openingStatus,
            openingBalance: t.openingBalance,
            withHistory: withHistory.has(t.id),
          },
          trx,
        ));
      }
      // Registrations made before sandbox worlds pointed at the shared account: they move to the copy.
      if (!world)
        await trx('testbed_fintech_accounts')
          .where({ organization_id: organizationId, bank_account_id: t.id })
          .update({ bank_account_id: copyId });
    }
    const now = clock().toISOString();
    await trx('sandbox_worlds')
      .insert({ organization_id: organizationId, template_count: templateCount, created_at: now, updated_at: now })
      .onConflict('organization_id')
      .merge({ template_count: templateCount, updated_at: now });
  }

  /** Runs `step`, and once more if a concurrent instance copied the same account first (unique violation). */
  async function onceMoreIfRaced(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await step();
    }
  }

  /** materialise() in a savepoint of `trx`, once more if raced. */
  function materialiseWithin(trx: Knex.Transaction, organizationId: string): Promise<void> {
    return onceMoreIfRaced(() => trx.transaction((sp) => materialise(sp, organizationId)));
  }

  const worlds = {
    /** True when this process knows the organization's world is complete (no query). */
    isReady(organizationId: string): boolean {
      return ready.get(organizationId) === generation;
    },

    /**
     * Makes sure the organization's world holds a copy of every template account. Inside `trx` (the
     * caller's transaction) it works in a savepoint and does not cache (the caller may still roll back);
     * otherwise in its own transaction, one at a time per organization, and remembered.
     */
    async ensure(organizationId: string, opts: { trx?: Knex.Transaction; refresh?: boolean } = {}): Promise<void> {
      if (!opts.refresh && worlds.isReady(organizationId)) return;
      if (opts.trx) {
        await materialiseWithin(opts.trx, organizationId);
        return;
      }
      let run = running.get(organizationId);
      if (!run) {
        const gen = generation;
        run = (async () => {
          await onceMoreIfRaced(() => db.transaction((trx) => materialise(trx, organizationId)));
          if (gen === generation) ready.set(organizationId, gen);
        })().finally(() => running.delete(organizationId));
        running.set(organizationId, run);
      }
      await run;
    },

    /** A template account was opened: every world must check again. */
    templateChanged(): void {
      generation += 1;
    },

    /**
     * The organization's copy of an account given by id: the account itself when it is already in the
     * organization's world, its copy when it is a template account (copied now if need be), else undefined.
     */
    async accountInWorld(
      trx: Knex.Transaction,
      organizationId: string,
      accountId: string,
    ): Promise<BankAccount | undefined> {
      const account = await deps.repo.findAccount(trx, accountId);
      if (!account) return undefined;
      if (account.world === organizationId) return account;
      if (account.world !== TEMPLATE_WORLD || account.purpose !== 'personal') return undefined;
      let copy = (await deps.repo.findAccountInWorlds(trx, organizationId, account.bankCode, account.accountNum)).own;
      if (!copy) {
        await materialiseWithin(trx, organizationId);
        copy = (await deps.repo.findAccountInWorlds(trx, organizationId, account.bankCode, account.accountNum)).own;
      }
      return copy;
    },
  };
  return worlds;
}
