// Environment validation (src/config.ts): every variable is described once in a JSON schema that the README's
// configuration table matches; a wrong value stops start-up with a message naming the variable.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ConfigError, EnvSchema, loadConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv);

function errorOf(env: Record<string, string>): string | null {
  try {
    load(env);
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
}

t.test("the schema describes every variable of the README's configuration table, and no other", async (t) => {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'));
  const documented = [...table.slice(0, table.indexOf('\n#')).matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
  const inSchema = Object.keys(EnvSchema.properties);
  t.same(
    documented.filter((v) => v !== 'BACKUP_DIR').sort(),
    [...inSchema].sort(),
    'the same variables (BACKUP_DIR belongs to npm run backup alone)',
  );
  for (const [name, schema] of Object.entries(EnvSchema.properties))
    t.ok((schema as { description?: string }).description, `${name} says what it is for`);
});

t.test('defaults and conversions: numbers, booleans, and an empty variable counts as unset', async (t) => {
  const c = load({});
  t.same(
    [
      c.port,
      c.reviewTargetDays,
      c.requestLogRetentionDays,
      c.dbPoolMax,
      c.sqliteCacheMiB,
      c.logLevel,
      c.smtpUrl,
      c.metricsToken,
    ],
    [3000, 5, 30, 10, 16, 'silent', null, null],
  );
  t.same([c.cookieSecure, c.trustProxy, c.staffMayDecideSeveralStages, c.loadDemoData], [false, false, false, true]);
  const d = load({
    PORT: '8080',
    BASE_URL: 'https://portal.example/',
    DB_POOL_MAX: '4',
    SQLITE_CACHE_MIB: '48',
    TRUST_PROXY: 'true',
    STAFF_MAY_DECIDE_SEVERAL_STAGES: 'true',
    DEMO_DATA: 'off',
    REQUEST_LOG_RETENTION_DAYS: '0',
  });
  t.same(
    [d.port, d.baseUrl, d.dbPoolMax, d.sqliteCacheMiB, d.trustProxy, d.staffMayDecideSeveralStages, d.loadDemoData],
    [8080, 'https://portal.example', 4, 48, true, true, false],
  );
  t.equal(d.cookieSecure, true, 'COOKIE_SECURE follows an https BASE_URL');
  t.equal(load({ BASE_URL: 'https://p.example', COOKIE_SECURE: 'false' }).cookieSecure, false, 'unless set');
  t.same(load({ PORT: '', SMTP_URL: '', METRICS_TOKEN: '' }).port, 3000, 'PORT= is the default port');
});

t.test('a wrong value stops start-up with a message naming the variable', async (t) => {
  const wrong: Record<string, string> = {
    PORT: 'abc',
    HOST: ' ',
    DB_POOL_MAX: '0',
    SQLITE_CACHE_MIB: '0',
    DEMO_DATA: 'no',
    COOKIE_SECURE: 'yes',
    TRUST_PROXY: '1',
    REVIEW_TARGET_DAYS: '0',
    LOG_LEVEL: 'loud',
    STAFF_MAY_DECIDE_SEVERAL_STAGES: 'maybe',
    REQUEST_LOG_RETENTION_DAYS: '-1',
    BASE_URL: 'portal.example',
  };
  for (const [name, value] of Object.entries(wrong))
    t.match(errorOf({ [name]: value }), new RegExp(`^${name} must .*, got "${value}"$`), `${name}=${value}`);
  t.equal(errorOf({ PORT: '70000' }), 'PORT must be a port number, got "70000"');
  t.equal(
    errorOf({ PORT: 'x', LOG_LEVEL: 'loud' }),
    'PORT must be a port number, got "x"; LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    'every wrong variable at once',
  );
});

t.test('a wrong secret or URL that may hold a password is named but never repeated', async (t) => {
  const secrets: Record<string, string> = {
    DATABASE_URL: 'mysql://user:hunter2-password@db',
    SMTP_URL: 'http://user:hunter2-password@relay',
    METRICS_TOKEN: 'hunter2-short',
  };
  for (const [name, value] of Object.entries(secrets)) {
    const message = errorOf({ [name]: value });
    t.match(message, new RegExp(`^${name}`), name);
    t.notMatch(message, 'hunter2', `${name}'s value is not in the message`);
  }
});

t.test('npm start with a wrong variable exits at once with the message', async (t) => {
  const env: Record<string, string | undefined> = { ...process.env, PORT: 'abc', NODE_ENV: 'development' };
  delete env.NODE_OPTIONS; // tap's loaders are not the server's business
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(run.status, 1, 'exit status 1');
  t.match(run.stderr, 'Configuration error: PORT must be a port number, got "abc"');
});
