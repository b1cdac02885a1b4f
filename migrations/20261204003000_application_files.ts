// Stage 1 (이용신청) documents: 사업자등록증, 법인 등기사항전부증명서, 재무제표, 개인정보 처리방침, 보증 증빙.
// Same shape as security_files (src/uploads/stored-files.ts): every upload is a new version, bytes in the
// database so that several instances share them, nothing overwritten or deleted.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('application_files', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    // The document kind (src/onboarding/application-documents.ts); versions count per kind.
    t.string('slot', 80).notNullable();
    t.integer('version').notNullable();
    t.string('filename', 255).notNullable(); // cleaned original name, for display and downloads
    t.string('content_type', 40).notNullable(); // detected from the bytes, never the declared type
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable(); // BLOB on SQLite, bytea on PostgreSQL
    t.string('uploaded_by', 36).notNullable().references('users.id');
    t.string('uploaded_at', 30).notNullable();
    t.unique(['application_id', 'slot', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('application_files');
}
