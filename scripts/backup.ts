// npm run backup — a consistent online snapshot of DATABASE_URL into BACKUP_DIR (default ./backups),
// named with a UTC timestamp, with a manifest (SHA-256, rows per table) beside it. See src/ops/backup.ts.
import path from 'node:path';
import { backupDatabase, BackupError } from '../src/ops/backup';
import { defaultDatabaseUrl } from '../src/ops/database-url';
import { projectRoot } from '../src/paths';

async function main(): Promise<void> {
  const databaseUrl = defaultDatabaseUrl(process.env);
  const outDir = process.env.BACKUP_DIR ?? path.join(projectRoot, 'backups');
  const result = await backupDatabase(databaseUrl, outDir);
  const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
  console.log(`backup written: ${result.file}`);
  console.log(
    `sha256 ${result.sha256}${Object.keys(result.tables).length ? `; ${Object.keys(result.tables).length} tables, ${rows} rows` : ''}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof BackupError ? `backup failed: ${err.message}` : err);
  process.exit(1);
});
