// Online backups and restores of the portal's database (`npm run backup`, `npm run restore -- FILE`).
// Rules: a backup is a consistent snapshot taken while the server runs — SQLite's `VACUUM INTO` (one read
// transaction on its own connection: writers go on, the copy is what was committed when it began),
// `pg_dump` on PostgreSQL (one repeatable-read transaction); a restore goes only into an EMPTY database and
// refuses anything else. Uploaded documents live in the database (security_files.content), so a snapshot
// carries them; nothing of the portal lives on an instance's disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import sqlite3 from 'sqlite3';
import knexFactory from 'knex';

export class BackupError extends Error {}

export interface BackupResult {
  file: string;
  /** Rows per table in the snapshot (also written next to it as `<file>.manifest.json`). */
  tables: Record<string, number>;
  sha256: string;
}

/** `portal-20261203T084000123Z`: sortable, unique per millisecond, no characters that need quoting. */
function backupBaseName(at: Date): string {
  return `portal-${at.toISOString().replace(/[-:.]/g, '')}`;
}

function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === ':memory:' || file === '')
    throw new BackupError(
      'An in-memory SQLite database cannot be backed up or restored: set DATABASE_URL=sqlite:<file>.',
    );
  return path.resolve(file);
}

function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

// ---------------------------------------------------------------- SQLite

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}
function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) =>
    db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
  );
}
function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}
function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

async function sqliteTables(db: sqlite3.Database): Promise<string[]> {
  const rows = await all<{ name: string }>(
    db,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  return rows.map((r) => r.name);
}

async function sqliteRowCounts(file: string): Promise<Record<string, number>> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    const integrity = await all<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    if (integrity[0]?.integrity_check !== 'ok')
      throw new BackupError(`${file} fails SQLite's integrity check: ${JSON.stringify(integrity.slice(0, 3))}`);
    const counts: Record<string, number> = {};
    for (const table of await sqliteTables(db)) {
      const [row] = await all<{ n: number }>(db, `SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`);
      counts[table] = Number(row?.n ?? 0);
    }
    return counts;
  } finally {
    await close(db);
  }
}

async function backupSqlite(source: string, outFile: string): Promise<void> {
  if (!fs.existsSync(source)) throw new BackupError(`No database at ${source}.`);
  // Read-write without CREATE: a WAL database's readers need its -shm file; VACUUM INTO itself only reads.
  const db = await open(source, sqlite3.OPEN_READWRITE);
  try {
    await run(db, 'PRAGMA busy_timeout = 10000');
    await run(db, 'VACUUM INTO ?', [outFile]);
  } finally {
    await close(db);
  }
}

async function restoreSqlite(snapshot: string, target: string): Promise<void> {
  if (fs.existsSync(target)) {
    const db = await open(target, sqlite3.OPEN_READONLY);
    let tables: string[];
    try {
      tables = await sqliteTables(db);
    } finally {
      await close(db);
    }
    if (tables.length > 0) {
      throw new BackupError(
        `Refusing to restore: the target database ${target} is not empty (${tables.length} tables). ` +
          'Restore only into an empty database: point DATABASE_URL at a new file, or stop the server and move the old file away first.',
      );
    }
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Copy beside the target, then rename: the target appears complete or not at all. Stale WAL files of
  // the empty target must not be replayed into the restored one.
  const temp = `${target}.restoring-${process.pid}`;
  fs.copyFileSync(snapshot, temp);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(temp, target);
}

// ---------------------------------------------------------------- PostgreSQL

function runTool(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new BackupError(
              `${command} was not found: install the PostgreSQL client tools (e.g. apt-get install postgresql-client) matching your server's version.`,
            )
          : err,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError(`${command} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`)),
    );
  });
}

async function postgresTableCounts(databaseUrl: string): Promise<Record<string, number>> {
  const db = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
  try {
    const tables = await db.raw(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    const counts: Record<string, number> = {};
    for (const { table_name: name } of tables.rows as { table_name: string }[]) {
      const row = await db(name).count<{ n: string }[]>({ n: '*' }).first();
      counts[name] = Number(row?.n ?? 0);
    }
    return counts;
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------- both

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Takes a consistent snapshot of the database at `databaseUrl` into `outDir`, with a manifest beside it. */
export async function backupDatabase(
  databaseUrl: string,
  outDir: string,
  at: Date = new Date(),
): Promise<BackupResult> {
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(path.resolve(outDir), backupBaseName(at));
  const sqliteFile = sqliteFileOf(databaseUrl);
  let file: string;
  let tables: Record<string, number>;
  if (sqliteFile) {
    file = `${base}.sqlite`;
    await backupSqlite(sqliteFile, file);
    tables = await sqliteRowCounts(file);
  } else if (isPostgresUrl(databaseUrl)) {
    file = `${base}.pgdump`;
    // Custom format: compressed, restored table by table by pg_restore; --no-owner so any role can restore it.
    await runTool('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--file=${file}`,
      `--dbname=${databaseUrl}`,
    ]);
    tables = {}; // pg_dump's snapshot is its own transaction: counts taken now would not describe it
  } else {
    throw new BackupError('DATABASE_URL must start with sqlite: or postgres://');
  }
  const sha256 = sha256File(file);
  fs.writeFileSync(
    `${file}.manifest.json`,
    `${JSON.stringify({ file: path.basename(file), created_at: at.toISOString(), sha256, tables }, null, 2)}\n`,
  );
  return { file, tables, sha256 };
}

/** Restores `snapshot` into the (empty) database at `databaseUrl`; refuses a non-empty target. */
export async function restoreDatabase(
  snapshot: string,
  databaseUrl: string,
): Promise<{ tables: Record<string, number> }> {
  const file = path.resolve(snapshot);
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const manifestFile = `${file}.manifest.json`;
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { sha256?: string };
    if (manifest.sha256 && manifest.sha256 !== sha256File(file))
      throw new BackupError(`${file} does not match its manifest's SHA-256: the backup is damaged.`);
  }
  const sqliteFile = sqliteFileOf(databaseUrl);
  if (sqliteFile) {
    if (!file.endsWith('.sqlite'))
      throw new BackupError(`${file} is not a SQLite backup (.sqlite); DATABASE_URL is a SQLite database.`);
    await sqliteRowCounts(file); // integrity check before anything is touched
    await restoreSqlite(file, sqliteFile);
    return { tables: await sqliteRowCounts(sqliteFile) };
  }
  if (isPostgresUrl(databaseUrl)) {
    if (!file.endsWith('.pgdump'))
      throw new BackupError(`${file} is not a PostgreSQL backup (.pgdump); DATABASE_URL is a PostgreSQL database.`);
    const existing = await postgresTableCounts(databaseUrl);
    if (Object.keys(existing).length > 0) {
      throw new BackupError(
        `Refusing to restore: the target database is not empty (${Object.keys(existing).length} tables in its schema). ` +
          'Restore only into an empty database: create a new database (createdb) and point DATABASE_URL at it.',
      );
    }
    await runTool('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${databaseUrl}`,
      file,
    ]);
    return { tables: await postgresTableCounts(databaseUrl) };
  }
  throw new BackupError('DATABASE_URL must start with sqlite: or postgres://');
}
