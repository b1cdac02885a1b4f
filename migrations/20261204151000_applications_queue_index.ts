// The staff queue's index (src/workflow/queue-query.ts): each (stage, status) branch of a queue page is one
// range of it in the queue's order — waiting since (submission, else the stage's start), then id — so a page
// reads its rows and stops, instead of reading and sorting every application waiting in those stages.
// An expression index: SQLite and PostgreSQL both match it to the query's COALESCE(submitted_at, stage_entered_at).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX applications_queue ON applications (stage, status, (COALESCE(submitted_at, stage_entered_at)), id)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX applications_queue');
}
