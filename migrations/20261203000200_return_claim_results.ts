// Return claims keep their outcome for return/result (자금반환결과조회): the claim's own KST date (a claim
// is looked up by claim_bank_tran_date + claim_bank_tran_id), why a return failed, and when it was
// returned. status gains 'partial' beside 'returned' | 'refused' (a string column: no enum to change).
import type { Knex } from 'knex';

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('return_claims', (t) => {
    t.string('tran_date', 8).nullable();
    t.string('return_fail_code', 10).nullable();
    t.string('return_fail_message', 100).nullable();
    t.string('return_date', 8).nullable();
    t.index(['organization_id', 'tran_date', 'bank_tran_id']);
  });
  // Claims made before: their KST date from created_at (computed here, portable), returned on that day.
  const rows = await knex('return_claims').whereNull('tran_date').select('id', 'created_at', 'status');
  for (const r of rows as { id: string; created_at: string; status: string }[]) {
    const date = new Date(new Date(r.created_at).getTime() + KST_OFFSET_MS)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    await knex('return_claims')
      .where({ id: r.id })
      .update({ tran_date: date, return_date: r.status === 'refused' ? null : date });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('return_claims', (t) => {
    t.dropIndex(['organization_id', 'tran_date', 'bank_tran_id']);
    t.dropColumn('tran_date');
    t.dropColumn('return_fail_code');
    t.dropColumn('return_fail_message');
    t.dropColumn('return_date');
  });
}
