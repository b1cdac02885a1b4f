// Fresh planner statistics for the tables of this connection's own schema. A bare ANALYZE on PostgreSQL walks every
// table in the database, including other schemas that may be dropped mid-walk (parallel test files share one
// database, a schema each: "relation with OID … does not exist", CI stops 23 and 24). SQLite has one schema per file.
import type { Knex } from 'knex';
import { isPostgres } from './knex';

export async function analyzeOwnTables(db: Knex): Promise<void> {
  if (!isPostgres(db)) {
    await db.raw('ANALYZE');
    return;
  }
  const res = await db.raw(
    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema()",
  );
  const names = (res.rows as { name: string }[]).map((r) => r.name);
  if (names.length > 0) await db.raw(`ANALYZE ${names.join(', ')}`);
}
