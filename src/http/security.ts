// Security infrastructure: database sessions, CSRF on every state-changing form, security headers,
// form bodies, locale negotiation and the current user. Registered in the portal context only (see
// src/app.ts): the KFTC emulator's machine-to-machine routes sit in a sibling context without these hooks.
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import securityHeadersPlugin from './security-headers';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { type CachedSessionRow, KnexSessionStore, READ_WITH_SESSION } from './session-store';
import { SESSION_RECHECK_MS, SessionRowCache } from './session-row-cache';
import { rememberingSigner } from './session-signer';
import { installCheapSessionChangeCheck } from './session-change-check';
import { isLocale, negotiateLocale } from '../i18n';
import type { CurrentUser } from '../accounts/types';
import { AppError, notFound } from './errors';
import { assertJsonDepth } from './json-depth-limit';
import qs from 'node:querystring';

const SESSION_COOKIE = 'obp_sid';
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/**
 * A signed-in session's expiry slides forward at most this often. A page view that changes nothing in the
 * session therefore writes nothing (SQLite has one writer, which the emulator's batches also need); an
 * idle session still ends SESSION_TTL_MS after its last refresh, so at most this much earlier than with a
 * write on every request.
 */
export const SESSION_REFRESH_MS = 5 * 60 * 1000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * How the signed-in user is read. Rule: a signed-in request reads the database at most ONCE before its handler:
 * the session read carries the user's columns (`joinToSession`, a left join from `sessions.user_id`), so the user
 * is as fresh as the session itself. That row may be served from memory for SESSION_RECHECK_MS
 * (src/http/session-row-cache.ts): a change to any of `tables` made through this instance empties that cache at
 * once, one made by another instance is seen within the bound. `load` (a query of its own) is the fallback for a
 * session whose read did not bring its user (a session stored before `sessions.user_id` existed, one regenerated
 * during this request).
 */
export interface UserLoader {
  /** Every table `joinToSession` reads besides `sessions`: a write to any of them empties the session-row cache. */
  tables: readonly string[];
  load(userId: string, req: FastifyRequest): Promise<CurrentUser | null>;
  /** Adds the user's columns to the session read (`sessions as s`), `id` null when there is no such user. */
  joinToSession(read: Knex.QueryBuilder): Knex.QueryBuilder;
  /** The user from that row (null: deactivated); may keep more of the row on the request (the unread count). */
  fromSessionRow(row: Record<string, unknown>, req: FastifyRequest): CurrentUser | null;
}

interface SecurityOptions {
  db: Knex;
  sessionSecret: string;
  cookieSecure: boolean;
  /**
   * Loads the signed-in user (null: unknown or deactivated, which signs the session out); the app's loader
   * also counts unread notifications for pages (src/notifications/unread-count.ts).
   */
  loadUser: UserLoader;
  /** Clock for the session refresh rule (the app's clock; tests move it). */
  now?: () => number;
  /** How long a session row may be served from memory (default SESSION_RECHECK_MS; 0: read on every request). */
  sessionRecheckMs?: number;
}

export default fp(
  async (app, opts: SecurityOptions) => {
    // Form bodies: duplicate keys become arrays (services reject them where a single value is expected).
    await app.register(fastifyFormbody, { parser: (body: string) => qs.parse(body), bodyLimit: 256 * 1024 });
    // JSON bodies: fastify's own parser (prototype-poisoning checks kept), behind a nesting-depth limit.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      try {
        assertJsonDepth(body as string);
      } catch (err) {
        done(err as Error, undefined);
        return;
      }
      parseJson(req, body as string, done);
    });
    await app.register(fastifyCookie);
    installCheapSessionChangeCheck(); // "did the session change?" as JSON text, not two SHA-256 hashes
    const recheckMs = opts.sessionRecheckMs ?? SESSION_RECHECK_MS;
    const cache =
      recheckMs > 0
        ? new SessionRowCache<CachedSessionRow>(opts.db, ['sessions', ...opts.loadUser.tables], recheckMs)
        : undefined;
    if (cache) app.addHook('onClose', async () => cache.close());
    const store = new KnexSessionStore(opts.db, Date.now, (read) => opts.loadUser.joinToSession(read), cache);
    await app.register(fastifySession, {
      // The cookie's HMAC is checked once per cookie value, not on every request (src/http/session-signer.ts).
      secret: rememberingSigner(opts.sessionSecret),
      cookieName: SESSION_COOKIE,
      store,
      saveUninitialized: false,
      // Saved (and its cookie re-sent) only when it changed: see SESSION_REFRESH_MS below.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: opts.cookieSecure, path: '/', maxAge: SESSION_TTL_MS },
    });
    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/session',
      getToken: (req: FastifyRequest) => {
        const body = req.body as Record<string, unknown> | undefined;
        const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
        if (typeof fromBody === 'string') return fromBody;
        const header = req.headers['x-csrf-token'];
        return typeof header === 'string' ? header : undefined;
      },
    });
    await app.register(securityHeadersPlugin, securityHeaders(opts.cookieSecure));

    const pruneTimer = setInterval(
      () => {
        store.prune().catch(() => undefined);
      },
      10 * 60 * 1000,
    );
    pruneTimer.unref();
    app.addHook('onClose', async () => clearInterval(pruneTimer));

    // Text with a NUL character is refused as bad input: PostgreSQL cannot store it (a 500 there), SQLite
    // would silently keep it. Checked before any handler sees the request. A NUL in the path names no
    // record (404); in the query or the body it is a 422 naming the field.
    app.addHook('preValidation', async (req) => {
      if (findNul(req.params) !== null) throw notFound();
      const field = findNul(req.query) ?? findNul(req.body);
      if (field !== null)
        throw new AppError('validation', 'NUL character', {
          fieldErrors: [{ field, message: 'common.errors.bad_request_body' }],
        });
    });

    app.decorateRequest('user', null);
    app.decorateRequest('locale', 'ko');

    // Locale: ?lang= (remembered in the session or a cookie), then Accept-Language, then Korean.
    app.addHook('preHandler', async (req, reply) => {
      const query = req.query as Record<string, unknown> | undefined;
      const lang = query?.lang;
      const requested = lang === 'eng' ? 'en' : lang === 'kor' ? 'ko' : lang;
      if (isLocale(requested)) {
        reply.setCookie('lang', requested, {
          path: '/',
          sameSite: 'lax',
          httpOnly: true,
          secure: opts.cookieSecure,
          maxAge: 365 * 24 * 3600,
        });
      }
      const remembered = req.cookies?.lang;
      req.locale = negotiateLocale(isLocale(requested) ? requested : remembered, req.headers['accept-language']);
      const userId = req.session?.userId;
      if (typeof userId === 'string') {
        const row = req.session[READ_WITH_SESSION] as Record<string, unknown> | undefined;
        req.user =
          row && row.id === userId ? opts.loadUser.fromSessionRow(row, req) : await opts.loadUser.load(userId, req);
        if (!req.user) req.session.userId = undefined;
        else {
          // Sliding expiry, at most once per SESSION_REFRESH_MS: the change makes @fastify/session save the
          // session and re-send its cookie with the new expiry.
          const now = (opts.now ?? Date.now)();
          const last = typeof req.session.refreshedAt === 'number' ? req.session.refreshedAt : 0;
          if (now - last >= SESSION_REFRESH_MS) {
            req.session.refreshedAt = now;
            req.session.touch();
          }
        }
      }
    });

    // CSRF: every state-changing route checks the session token unless it opts out (bearer APIs, OAuth token endpoint).
    app.addHook('preHandler', (req, reply, done) => {
      if (!UNSAFE.has(req.method) || req.routeOptions.config?.csrf === false) return done();
      app.csrfProtection(req, reply, done);
    });
  },
  { name: 'security' },
);

/**
 * The security headers every response of ours carries (CSP without inline code, no framing, nosniff, a
 * same-origin referrer, HSTS on https). Shared by the portal and the static-asset context (src/app.ts).
 */
export function securityHeaders(cookieSecure: boolean): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: cookieSecure ? { maxAge: 15552000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  };
}

/**
 * The name of the first field whose text contains a NUL character, or null. Buffers (uploads) are skipped.
 * Walks with an explicit stack, never by recursion: request data must not be able to overflow the call stack.
 */
function findNul(root: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path || 'body';
      continue;
    }
    if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    const entries = Object.entries(value as Record<string, unknown>);
    // Pushed in reverse so that the first field in document order is reported first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!;
      stack.push({ value: v, path: path ? `${path}.${k}` : k });
    }
  }
  return null;
}
