// What the console and the first-call panel pre-fill from the organization's own sandbox: its contract
// accounts, a test person it may use, and a registered fintech_use_num (of the console token's user when
// there is one). Read-only queries over the test bed's tables, handed to the pages as a function (no page
// holds the database).
import type { Knex } from 'knex';

interface SandboxDefaults {
  collectionAccountNum: string | null;
  payingAccountNum: string | null;
  fintechUseNum: string | null;
}

export type SandboxDefaultsQuery = (organizationId: string, userSeqNo: string | null) => Promise<SandboxDefaults>;

export function createSandboxDefaults(db: Knex): SandboxDefaultsQuery {
  return (organizationId, userSeqNo) => sandboxDefaults(db, organizationId, userSeqNo);
}

async function sandboxDefaults(db: Knex, organizationId: string, userSeqNo: string | null): Promise<SandboxDefaults> {
  const contract = await db('bank_accounts')
    .where({ organization_id: organizationId })
    .whereIn('purpose', ['withdraw_collecting', 'deposit_paying'])
    .select('purpose', 'account_num');
  const fin = db('testbed_fintech_accounts').where({ organization_id: organizationId, state: '01' });
  if (userSeqNo) fin.andWhere({ user_seq_no: userSeqNo });
  const first = await fin.orderBy('created_at', 'asc').first('fintech_use_num');
  const num = (purpose: string) =>
    (contract.find((c: { purpose: string }) => c.purpose === purpose)?.account_num as string | undefined) ?? null;
  return {
    collectionAccountNum: num('withdraw_collecting'),
    payingAccountNum: num('deposit_paying'),
    fintechUseNum: (first?.fintech_use_num as string | undefined) ?? null,
  };
}
