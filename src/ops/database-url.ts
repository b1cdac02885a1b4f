// The database the ops commands act on: DATABASE_URL, or the server's default SQLite file (as src/config.ts).
import path from 'node:path';
import { projectRoot } from '../paths';

export function defaultDatabaseUrl(env: NodeJS.ProcessEnv): string {
  return env.DATABASE_URL ?? `sqlite:${path.join(projectRoot, 'data', 'portal.sqlite')}`;
}
