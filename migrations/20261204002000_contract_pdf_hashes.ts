// The signed contract's PDF (src/contract/contract-pdf.ts) is rendered deterministically from the row; the
// SHA-256 of the Korean and the English PDF is recorded once per contract state (signed, then countersigned)
// so the pages show it without rendering and the audit trail keeps it. `pdf_recorded_for` is the status the
// hashes were rendered for: when it differs from `status`, they are rendered and recorded again.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.string('pdf_sha256_ko', 64).nullable();
    t.string('pdf_sha256_en', 64).nullable();
    t.string('pdf_recorded_for', 20).nullable(); // signed | countersigned
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.dropColumn('pdf_sha256_ko');
    t.dropColumn('pdf_sha256_en');
    t.dropColumn('pdf_recorded_for');
  });
}
