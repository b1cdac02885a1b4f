// npm run restore -- FILE — restores a backup made by `npm run backup` into the EMPTY database at
// DATABASE_URL (refuses a non-empty one). Start the server on it afterwards. See src/ops/backup.ts.
import { restoreDatabase, BackupError } from '../src/ops/backup';
import { defaultDatabaseUrl } from '../src/ops/database-url';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error('usage: npm run restore -- <backup file>   (restores into the empty database at DATABASE_URL)');
    process.exit(2);
  }
  const databaseUrl = defaultDatabaseUrl(process.env);
  const { tables } = await restoreDatabase(file, databaseUrl);
  const rows = Object.values(tables).reduce((a, b) => a + b, 0);
  console.log(
    `restored ${file} into ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}: ${Object.keys(tables).length} tables, ${rows} rows`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof BackupError ? `restore refused: ${err.message}` : err);
  process.exit(1);
});
