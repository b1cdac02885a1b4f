// A fresh database per test app: in-memory SQLite by default; with DATABASE_URL=postgres://… a new
// PostgreSQL schema per app, dropped afterwards, so test files can run in parallel.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { createDb } from '../../src/db/knex';

export async function createTestDb(): Promise<{ db: Knex; dispose: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url && url.startsWith('postgres')) {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE SCHEMA ${schema}`);
    const db = knexFactory({ client: 'pg', connection: url, searchPath: [schema], pool: { min: 0, max: 5 } });
    return {
      db,
      dispose: async () => {
        await db.destroy();
        await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
        await admin.destroy();
      },
    };
  }
  const db = createDb('sqlite::memory:');
  return { db, dispose: () => db.destroy() };
}
