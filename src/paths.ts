// Where the project's own files live, whether we run from src/ (tsx) or from a compiled dist/ tree.
import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'views'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`project root not found above ${start}`);
    dir = parent;
  }
}

export const projectRoot = findRoot(__dirname);
export const viewsDir = path.join(projectRoot, 'views');
export const publicDir = path.join(projectRoot, 'public');
/** Compiled runs keep migrations/seeds next to the compiled src/; tsx runs use the sources. */
const codeRoot = path.resolve(__dirname, '..');
export const migrationsDir = path.join(codeRoot, 'migrations');
export const seedsDir = path.join(codeRoot, 'seeds');
