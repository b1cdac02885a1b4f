// Knex factory: SQLite file (default) or PostgreSQL through DATABASE_URL. Same migrations run on both.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import type { Database } from 'sqlite3';
import { cacheStatements } from './sqlite-statement-cache';

export type Db = Knex;
export type Trx = Knex.Transaction;
/** A query runner: the database itself or a transaction. Repositories take one of these. */
export type Runner = Knex | Knex.Transaction;

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

export function createDb(databaseUrl: string): Knex {
  if (databaseUrl.startsWith('postgres')) {
    return knexFactory({
      client: 'pg',
      connection: databaseUrl,
      // At least two: start-up holds an advisory lock on one connection while migrating on another.
      pool: { min: 0, max: Math.max(2, Number(process.env.DB_POOL_MAX ?? 10) || 10) },
    });
  }
  const file = databaseUrl.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and a single connection makes every
    // transaction exclusive, which the ledger relies on for "no overdraft under races".
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { run: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) {
        conn.run('PRAGMA foreign_keys = ON', (e1) => {
          if (e1) return done(e1, conn);
          conn.run('PRAGMA journal_mode = WAL', () => {
            // WAL + synchronous=NORMAL: no fsync per commit (only at checkpoints); still never corrupts,
            // at worst the last commits before a power cut are lost. Halves test-bed write latency.
            conn.run('PRAGMA synchronous = NORMAL', () => {
              // A 64 MiB page cache: the hot tables stay in memory instead of being re-read through system
              // calls (SQLite's default cache is 2 MiB).
              conn.run('PRAGMA cache_size = -65536', () => conn.run('PRAGMA busy_timeout = 5000', (e3) => {
                if (!e3) cacheStatements(conn as unknown as Database);
                done(e3, conn);
              }));
            });
          });
        });
      },
    },
  });
}
