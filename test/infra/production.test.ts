// Production fails fast on weak configuration and never contains demo data.
import crypto from 'node:crypto';
import t from 'tap';
import { buildApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { createTestDb } from '../helpers/db';

const strong = () => crypto.randomBytes(32).toString('hex');

/** The error loadConfig threw, or null. */
function configError(fn: () => unknown): ConfigError | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

t.test('NODE_ENV=production refuses to start without a strong SESSION_SECRET', async (t) => {
  const weak: Record<string, string | undefined> = {
    missing: undefined,
    empty: '',
    short: 'Xk29-pQ!z',
    'a well-known word': 'changeme',
    'long but one repeated character': 'a'.repeat(64),
    'long but few distinct characters': 'abcabcabcabcabcabcabcabcabcabcabcabc',
  };
  for (const [why, secret] of Object.entries(weak)) {
    t.match(
      configError(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret } as NodeJS.ProcessEnv))?.message,
      /SESSION_SECRET/,
      why,
    );
  }
  t.match(
    configError(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: strong(), JWT_SECRET: 'secret' } as NodeJS.ProcessEnv),
    )?.message,
    /JWT_SECRET/,
    'a weak JWT_SECRET is refused too',
  );
  const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: strong() } as NodeJS.ProcessEnv);
  t.equal(ok.env, 'production');
  t.ok(ok.jwtSecret.length >= 32, 'JWT_SECRET is derived from SESSION_SECRET when not given');
  const s = strong();
  t.equal(
    loadConfig({ NODE_ENV: 'production', SESSION_SECRET: s } as NodeJS.ProcessEnv).jwtSecret,
    loadConfig({ NODE_ENV: 'production', SESSION_SECRET: s } as NodeJS.ProcessEnv).jwtSecret,
    'instances sharing SESSION_SECRET derive the same JWT_SECRET',
  );
});

t.test('production never loads demo data', async (t) => {
  const env = {
    NODE_ENV: 'production',
    SESSION_SECRET: strong(),
    DEMO_DATA: 'on',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv;
  const config = loadConfig(env);
  t.equal(config.loadDemoData, false, 'DEMO_DATA=on is ignored in production');
  t.ok(
    configError(() => loadConfig(env, { loadDemoData: true })),
    'asking for demo data in production is a configuration error',
  );

  const { db, dispose } = await createTestDb();
  const app = await buildApp({ config, db });
  t.teardown(async () => {
    await app.close();
    await dispose();
  });
  await app.ready();
  t.equal(Number((await db('users').count({ n: '*' }).first())?.n), 0, 'a fresh production database has no users');
  t.equal(Number((await db('organizations').count({ n: '*' }).first())?.n), 0, 'and no organizations');
  const login = await app.inject({ method: 'GET', url: '/login' });
  t.equal(login.statusCode, 200);
  t.notMatch(login.body, 'demo-password-1', 'the sign-in page does not advertise demo accounts');
});
