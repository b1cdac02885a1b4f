// Demo data, part 1: staff accounts and the two demo organizations with their owners.
// Loaded only into an empty database outside production. Deterministic.
import type { Knex } from 'knex';
import { hashPassword } from '../src/accounts/password-hashing';
import { DEMO_IDS, DEMO_ORGS, DEMO_PASSWORD, DEMO_STAFF } from '../src/demo-accounts';
import { randomId } from '../src/db/ids';

export async function seed(knex: Knex): Promise<void> {
  const now = new Date().toISOString();
  const hash = await hashPassword(DEMO_PASSWORD);
  await knex.transaction(async (trx) => {
    for (const s of DEMO_STAFF) {
      await trx('users').insert({
        id: randomId(),
        email: s.email,
        name: s.name,
        password_hash: hash,
        staff_role: s.role,
        disabled: false,
        created_at: now,
        password_changed_at: now,
      });
    }
    const orgs = [
      { orgId: DEMO_IDS.demoFintechOrg, userId: DEMO_IDS.demoFintechOwner, ...DEMO_ORGS.demoFintech },
      { orgId: DEMO_IDS.samplePayOrg, userId: DEMO_IDS.samplePayOwner, ...DEMO_ORGS.samplePay },
    ];
    for (const o of orgs) {
      await trx('organizations').insert({ id: o.orgId, name: o.name, created_at: now });
      await trx('users').insert({
        id: o.userId,
        email: o.owner,
        name: o.ownerName,
        password_hash: hash,
        staff_role: null,
        disabled: false,
        created_at: now,
        password_changed_at: now,
      });
      await trx('memberships').insert({ user_id: o.userId, organization_id: o.orgId, role: 'owner', created_at: now });
    }
  });
}
