// Stage 4 (보안점검): uploaded files (every version kept, bytes in the database so that several instances
// share them), inspector findings, and the applicant's remediations.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('security_files', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    // What the file is for: a document kind (self_assessment | vulnerability_scan | penetration_test)
    // or "remediation:<finding id>". Versions count per slot; uploading again adds a version.
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
  await knex.schema.createTable('security_findings', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.string('organization_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('severity', 10).notNullable(); // critical | high | medium | low
    t.string('title', 200).notNullable();
    t.text('description').notNullable();
    t.string('status', 20).notNullable(); // open | remediated | closed
    t.string('created_by', 36).notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('closed_by', 36).nullable().references('users.id');
    t.string('closed_at', 30).nullable();
    t.index(['application_id', 'status']);
  });
  await knex.schema.createTable('security_remediations', (t) => {
    t.string('id', 36).primary();
    t.string('finding_id', 36).notNullable().references('security_findings.id').onDelete('CASCADE');
    t.string('application_id', 36).notNullable().references('applications.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.string('file_id', 36).nullable().references('security_files.id');
    t.string('submitted_by', 36).notNullable().references('users.id');
    t.string('submitted_at', 30).notNullable();
    t.index(['finding_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['security_remediations', 'security_findings', 'security_files']) {
    await knex.schema.dropTableIfExists(t);
  }
}
