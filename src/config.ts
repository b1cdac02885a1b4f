// Environment → one typed, validated configuration object. Fails fast; no default secrets in production.
import crypto from 'node:crypto';
import path from 'node:path';
import { projectRoot } from './paths';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  baseUrl: string;
  databaseUrl: string; // "sqlite:<file>" , "sqlite::memory:" or "postgres://…"
  sessionSecret: string;
  /** HS256 key for test-bed tokens; must be shared by every instance. */
  jwtSecret: string;
  /** Load demo data into an empty database (never in production). */
  loadDemoData: boolean;
  cookieSecure: boolean;
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

const WEAK = new Set(['secret', 'changeme', 'password', 'development', 'dev-secret']);

function isStrongSecret(s: string | undefined): s is string {
  if (!s || s.length < 32) return false;
  if (WEAK.has(s.toLowerCase())) return false;
  return new Set(s).size >= 10;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const host = env.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1');
  const baseUrl = (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`BASE_URL must be an absolute URL, got "${env.BASE_URL}"`);
  }
  const databaseUrl = env.DATABASE_URL ?? `sqlite:${path.join(projectRoot, 'data', 'portal.sqlite')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with sqlite: or postgres://');
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
  const reviewTargetDays = Number(env.REVIEW_TARGET_DAYS ?? 5);
  if (!Number.isInteger(reviewTargetDays) || reviewTargetDays < 1)
    throw new ConfigError('REVIEW_TARGET_DAYS must be a positive whole number');
  const requestLogRetentionDays = Number(env.REQUEST_LOG_RETENTION_DAYS ?? 30);
  if (!Number.isInteger(requestLogRetentionDays) || requestLogRetentionDays < 0)
    throw new ConfigError('REQUEST_LOG_RETENTION_DAYS must be a whole number of days (0 keeps the log forever)');
  const cfg: AppConfig = {
    env: nodeEnv,
    host,
    port,
    baseUrl,
    databaseUrl,
    sessionSecret: sessionSecret!,
    jwtSecret: jwtSecret!,
    loadDemoData: nodeEnv !== 'production' && env.DEMO_DATA !== 'off',
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : baseUrl.startsWith('https://'),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    reviewTargetDays,
    smtpUrl: env.SMTP_URL ?? null,
    bodyLimit: 1024 * 1024,
    requestLogRetentionDays,
    staffMayDecideSeveralStages: env.STAFF_MAY_DECIDE_SEVERAL_STAGES === 'true',
    metricsToken: env.METRICS_TOKEN ? env.METRICS_TOKEN : null,
    ...overrides,
  };
  if (cfg.env === 'production' && cfg.loadDemoData) throw new ConfigError('demo data is never loaded in production');
  if (cfg.metricsToken !== null && cfg.metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN, when set, must be at least 16 characters');
  return cfg;
}
