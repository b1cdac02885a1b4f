// The request log's write side on SQLite becomes two appends per write batch: the bodies document (as
// before) and the batch's rows as ONE JSON document in testbed_request_log_pending. Turning that document
// into indexed testbed_request_log rows costs SQLite about 13 µs a row (unpacking 16 fields per row and
// six index inserts; see bench/request-log-writes.ts), so it is done off the answers' path: when the
// emulator has been idle for a moment, when a reader asks (every reader flushes first), at start-up and
// at shutdown, or when the backlog passes its bound. `seq` keeps the order batches were written in, so
// the log's own seq still follows the order calls were recorded.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('testbed_request_log_pending', (t) => {
    t.increments('seq').primary();
    t.text('rows').notNullable(); // JSON array of rows, each in the writer's scalar column order
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('testbed_request_log_pending');
}
