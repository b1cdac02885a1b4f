// Demo data, part 3: the demo fintech's sandbox (credentials M202600001, callback URL, contract accounts)
// and the global test people (홍길동, 허균, …) with their bank accounts and back-dated history (the
// template of every organization's sandbox world), and the demo fintech's own world.
// Runs after 02_applications.ts. Deterministic identifiers (balances and history depend on the date).
import type { Knex } from 'knex';
import { systemClock } from '../src/clock';
import { randomId } from '../src/db/ids';
import { createAuditService } from '../src/audit/service';
import { createLedgerService } from '../src/testbed/ledger/service';
import { createTestbedUsersService } from '../src/testbed/users/service';
import { hashClientSecret, secretHint } from '../src/credentials/client-secret';
import { DEMO_PEOPLE, DEMO_SANDBOX, TEST_PERSON_PASSWORD } from '../src/testbed/users/demo-fixtures';

export async function seed(knex: Knex): Promise<void> {
  const deps = { db: knex, clock: systemClock, ids: randomId };
  const audit = createAuditService(deps);
  const ledger = createLedgerService(deps);
  const users = createTestbedUsersService({ ...deps, audit, ledger });
  const now = new Date().toISOString();
  const s = DEMO_SANDBOX;
  await knex.transaction(async (trx) => {
    if (await trx('credential_sets').where({ client_use_code: s.clientUseCode }).first('id')) return;
    const org = await trx('organizations').where({ id: s.organizationId }).first('name');
    if (!org) return;
    const app = await trx('applications')
      .where({ organization_id: s.organizationId })
      .orderBy('created_at', 'asc')
      .first('id');
    await trx('credential_sets').insert({
      id: s.credentialSetId,
      organization_id: s.organizationId,
      application_id: app?.id ?? null,
      environment: 'sandbox',
      client_use_code: s.clientUseCode,
      client_id: s.clientId,
      allow_sa: false,
      status: 'active',
      active_key: `${s.organizationId}:sandbox`,
      created_at: now,
      revoked_at: null,
    });
    await trx('client_secrets').insert({
      id: randomId(),
      credential_set_id: s.credentialSetId,
      secret_hash: hashClientSecret(s.clientSecret),
      hint: secretHint(s.clientSecret),
      expires_at: null,
      created_at: now,
      created_by: null,
      revoked_at: null,
    });
    await trx('client_use_code_counters').insert({ year: 2026, last_value: 1 });
    await trx('callback_urls').insert({
      id: randomId(),
      organization_id: s.organizationId,
      url: s.callbackUrl,
      created_at: now,
    });
    // The portal's callback catcher, as for every new credential set (src/sandbox-console): BASE_URL/sandbox/callback.
    const baseUrl = (process.env.BASE_URL ?? `http://localhost:${process.env.PORT ?? '3000'}`).replace(/\/+$/, '');
    await trx('callback_urls').insert({
      id: randomId(),
      organization_id: s.organizationId,
      url: `${baseUrl}/sandbox/callback`,
      created_at: now,
    });
    const contract = [
      { purpose: 'withdraw_collecting' as const, ...s.contractAccounts.withdrawCollecting },
      { purpose: 'deposit_paying' as const, ...s.contractAccounts.depositPaying },
      { purpose: 'fee' as const, ...s.contractAccounts.fee },
    ];
    for (const c of contract) {
      await ledger.openAccount(
        {
          bankCode: c.bankCode,
          accountNum: c.accountNum,
          holderName: org.name as string,
          organizationId: s.organizationId,
          purpose: c.purpose,
          openingBalance: c.openingBalance,
        },
        trx,
      );
    }
    for (const p of Object.values(DEMO_PEOPLE)) {
      await users.seedPerson(
        null,
        {
          userSeqNo: p.userSeqNo,
          loginId: p.loginId,
          password: TEST_PERSON_PASSWORD,
          name: p.name,
          birthDate: p.birthDate,
          phone: p.phone,
        },
        p.accounts.map((a) => ({ ...a, withHistory: true })),
        trx,
      );
    }
    // The demo fintech's own sandbox world: its copies of the global people's accounts (the people above
    // stay the template every organization's world copies; see src/testbed/ledger/sandbox-worlds.ts).
    await ledger.worlds.ensure(s.organizationId, { trx });
  });
}
