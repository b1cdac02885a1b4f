// Environment → one typed, validated configuration object. Fails fast; no default secrets in production.
// Every variable is described once in SETTINGS (a JSON schema written with TypeBox, and the message shown
// when its value is wrong); env-schema checks and converts them (numbers, booleans, defaults). The rules
// that span variables (secrets by environment, demo data never in production) are written below it.
// (BACKUP_DIR belongs to `npm run backup` alone: scripts/backup.ts.)
import crypto from 'node:crypto';
import path from 'node:path';
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import envSchema from 'env-schema';
import { projectRoot } from './paths';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  baseUrl: string;
  databaseUrl: string; // "sqlite:<file>" , "sqlite::memory:" or "postgres://…"
  /** SQLite page cache per connection, in MiB (SQLITE_CACHE_MIB; the writer and the reader have one each). */
  sqliteCacheMiB: number;
  /** PostgreSQL connections per instance (DB_POOL_MAX; at least two are opened whatever it says). */
  dbPoolMax: number;
  sessionSecret: string;
  /** HS256 key for test-bed tokens; must be shared by every instance. */
  jwtSecret: string;
  /** Load demo data into an empty database (never in production). */
  loadDemoData: boolean;
  cookieSecure: boolean;
  /** TRUST_PROXY=true behind a load balancer: client IPs (for throttling) come from X-Forwarded-For. */
  trustProxy: boolean;
  logLevel: string;
  /** Working days a stage may wait before it is highlighted in staff queues. */
  reviewTargetDays: number;
  smtpUrl: string | null;
  /** Upper bound of any request body, bytes. */
  bodyLimit: number;
  /** Days the emulator's request log keeps a call (older rows are pruned in the background); 0 keeps them forever. */
  requestLogRetentionDays: number;
  /**
   * Lets one person decide several stages of the same application (STAFF_MAY_DECIDE_SEVERAL_STAGES=true), for
   * deployments with a single reviewer. Off by default; nobody who acted for the applicant ever decides.
   */
  staffMayDecideSeveralStages: boolean;
  /** METRICS_TOKEN: when set, /metrics answers requests bearing it (src/ops/metrics.ts); unset, there is no /metrics. */
  metricsToken: string | null;
}

export class ConfigError extends Error {}

/** One environment variable: its schema (with its meaning as description) and what a wrong value is told. */
interface Setting {
  schema: TSchema;
  wrong: string;
  /** Never repeat the value in the message (secrets, URLs that may hold passwords). */
  secret?: true;
}
const setting = <S extends TSchema>(schema: S, wrong: string, secret?: true) => ({ schema, wrong, secret });
const flag = (description: string) => Type.Optional(Type.Boolean({ description }));

const SETTINGS = {
  NODE_ENV: setting(
    Type.Optional(Type.String({ description: '`production` refuses weak secrets and never loads demo data' })),
    'NODE_ENV must be text',
  ),
  PORT: setting(
    Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'port to listen on' }),
    'PORT must be a port number',
  ),
  HOST: setting(
    Type.Optional(Type.String({ pattern: '^\\S+$', description: 'interface to bind (0.0.0.0 in production)' })),
    'HOST must be an interface name or address',
  ),
  BASE_URL: setting(
    Type.Optional(Type.String({ description: 'public URL, used in links, invite URLs and the emulator docs' })),
    'BASE_URL must be an absolute URL',
  ),
  DATABASE_URL: setting(
    Type.Optional(
      Type.String({ pattern: '^(sqlite:|postgres(ql)?://)', description: 'sqlite:<file> or postgres://…' }),
    ),
    'DATABASE_URL must start with sqlite: or postgres://',
    true,
  ),
  DB_POOL_MAX: setting(
    Type.Integer({ minimum: 1, default: 10, description: 'PostgreSQL connections per instance' }),
    'DB_POOL_MAX must be a positive whole number',
  ),
  SQLITE_CACHE_MIB: setting(
    Type.Integer({
      minimum: 1,
      maximum: 4096,
      default: 16,
      description: 'SQLite page cache per connection in MiB (two connections: writer and reader)',
    }),
    'SQLITE_CACHE_MIB must be a whole number of MiB between 1 and 4096',
  ),
  SESSION_SECRET: setting(
    Type.Optional(Type.String({ description: 'signs the session cookie; required in production (≥ 32 characters)' })),
    'SESSION_SECRET must be text',
    true,
  ),
  JWT_SECRET: setting(
    Type.Optional(Type.String({ description: 'key for test-bed tokens (derived from SESSION_SECRET when unset)' })),
    'JWT_SECRET must be text',
    true,
  ),
  DEMO_DATA: setting(
    Type.Optional(
      Type.Union([Type.Literal('on'), Type.Literal('off')], { description: '`off` starts with an empty database' }),
    ),
    'DEMO_DATA must be on or off',
  ),
  COOKIE_SECURE: setting(
    flag('secure flag on cookies (true when BASE_URL is https)'),
    'COOKIE_SECURE must be true or false',
  ),
  TRUST_PROXY: setting(
    flag('true behind a load balancer (client IPs for throttling)'),
    'TRUST_PROXY must be true or false',
  ),
  REVIEW_TARGET_DAYS: setting(
    Type.Integer({
      minimum: 1,
      default: 5,
      description:
        'working days (Mon–Fri, Korean public holidays excluded) a stage may wait before staff queues highlight it',
    }),
    'REVIEW_TARGET_DAYS must be a positive whole number',
  ),
  LOG_LEVEL: setting(
    Type.Optional(
      Type.Union(
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
        { description: 'pino log level (silent under NODE_ENV=test, else info)' },
      ),
    ),
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  ),
  SMTP_URL: setting(
    Type.Optional(
      Type.String({
        pattern: '^smtps?://',
        description: 'smtp://[user:pass@]host[:port][?from=addr] or smtps://…; unset keeps e-mails in the outbox',
      }),
    ),
    'SMTP_URL must start with smtp:// or smtps://',
    true,
  ),
  METRICS_TOKEN: setting(
    Type.Optional(Type.String({ minLength: 16, description: 'turns on /metrics for requests bearing it' })),
    'METRICS_TOKEN, when set, must be at least 16 characters',
    true,
  ),
  STAFF_MAY_DECIDE_SEVERAL_STAGES: setting(
    flag('true lets one person decide several stages of one application (tiny deployments only)'),
    'STAFF_MAY_DECIDE_SEVERAL_STAGES must be true or false',
  ),
  REQUEST_LOG_RETENTION_DAYS: setting(
    Type.Integer({ minimum: 0, default: 30, description: "days the emulator's request log keeps a call; 0 keeps all" }),
    'REQUEST_LOG_RETENTION_DAYS must be a whole number of days (0 keeps the log forever)',
  ),
} satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
/** The JSON schema of the environment (every variable above; unknown variables are ignored). */
export const EnvSchema: TObject<{ [K in keyof Settings]: Settings[K]['schema'] }> = Type.Object(
  Object.fromEntries(Object.entries(SETTINGS).map(([k, s]) => [k, s.schema])) as {
    [K in keyof Settings]: Settings[K]['schema'];
  },
);
type Env = Static<typeof EnvSchema>;

/** Validates and converts `env`; the error names every variable that is wrong (and its value, unless secret). */
function readEnv(env: NodeJS.ProcessEnv): Env {
  try {
    // An empty variable counts as unset (VAR= in a unit file or compose file).
    const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
    return envSchema<Env>({ schema: EnvSchema, data: set, env: false, dotenv: false });
  } catch (err) {
    const names = [
      ...new Set(((err as { errors?: { instancePath: string }[] }).errors ?? []).map((e) => e.instancePath.slice(1))),
    ];
    const wrong = names.map((name) => {
      const s: Setting | undefined = SETTINGS[name as keyof Settings];
      if (!s) return null;
      return s.secret ? s.wrong : `${s.wrong}, got "${env[name]}"`;
    });
    if (wrong.length === 0 || wrong.includes(null)) throw err;
    throw new ConfigError(wrong.join('; '));
  }
}

const WEAK = new Set(['secret', 'changeme', 'password', 'development', 'dev-secret']);

function isStrongSecret(s: string | undefined): s is string {
  if (!s || s.length < 32) return false;
  if (WEAK.has(s.toLowerCase())) return false;
  return new Set(s).size >= 10;
}

export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const env = readEnv(rawEnv);
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const baseUrl = (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`${SETTINGS.BASE_URL.wrong}, got "${env.BASE_URL}"`);
  }
  let sessionSecret = env.SESSION_SECRET;
  let jwtSecret = env.JWT_SECRET;
  if (nodeEnv === 'production') {
    if (!isStrongSecret(sessionSecret)) {
      throw new ConfigError('SESSION_SECRET must be set to a random string of at least 32 characters in production');
    }
    if (jwtSecret !== undefined && !isStrongSecret(jwtSecret)) {
      throw new ConfigError('JWT_SECRET, when set, must be a random string of at least 32 characters');
    }
    jwtSecret ??= crypto.createHmac('sha256', sessionSecret).update('testbed-jwt').digest('hex');
  } else {
    // Development: a per-process secret unless one is given (sessions end on restart, which is fine locally).
    sessionSecret = isStrongSecret(sessionSecret) ? sessionSecret : crypto.randomBytes(32).toString('hex');
    jwtSecret = isStrongSecret(jwtSecret)
      ? jwtSecret
      : crypto.createHmac('sha256', sessionSecret).update('testbed-jwt').digest('hex');
  }
  const cfg: AppConfig = {
    env: nodeEnv,
    host: env.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: env.PORT,
    baseUrl,
    databaseUrl: env.DATABASE_URL ?? `sqlite:${path.join(projectRoot, 'data', 'portal.sqlite')}`,
    dbPoolMax: env.DB_POOL_MAX,
    sqliteCacheMiB: env.SQLITE_CACHE_MIB,
    sessionSecret: sessionSecret!,
    jwtSecret: jwtSecret!,
    loadDemoData: nodeEnv !== 'production' && env.DEMO_DATA !== 'off',
    cookieSecure: env.COOKIE_SECURE ?? baseUrl.startsWith('https://'),
    trustProxy: env.TRUST_PROXY ?? false,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    reviewTargetDays: env.REVIEW_TARGET_DAYS,
    smtpUrl: env.SMTP_URL ?? null,
    bodyLimit: 1024 * 1024,
    requestLogRetentionDays: env.REQUEST_LOG_RETENTION_DAYS,
    staffMayDecideSeveralStages: env.STAFF_MAY_DECIDE_SEVERAL_STAGES ?? false,
    metricsToken: env.METRICS_TOKEN ? env.METRICS_TOKEN : null,
    ...overrides,
  };
  if (cfg.env === 'production' && cfg.loadDemoData) throw new ConfigError('demo data is never loaded in production');
  if (cfg.metricsToken !== null && cfg.metricsToken.length < 16) throw new ConfigError(SETTINGS.METRICS_TOKEN.wrong);
  return cfg;
}
