// Handlebars views: layout, partials from views/partials, helpers (t, eq, formatting), reply.page().
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { formatDate, formatDateTime } from '../i18n/date-format';
import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import Handlebars from 'handlebars';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { viewsDir } from '../paths';
import { KOREAN_FONT_CSS } from './korean-font';
import { acceptsGzip, gzipAround } from './gzip-splice';
import { translate, type Locale } from '../i18n';
import type { AssetManifest } from './static-assets';

function registerPartials(hbs: typeof Handlebars, dir: string, options: CompileOptions, prefix = ''): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) registerPartials(hbs, full, options, `${prefix}${entry.name}/`);
    // Registered compiled, not as source: handlebars compiles a source partial where it is used and keeps the
    // result in the partials object of that render, and an `{{#*inline}}` block (views/staff/application.hbs)
    // gives every render its own copy of that object, so each of its partials was compiled again on every
    // request (a fifth of that page's CPU time). hbs.compile() compiles once, on first use, and keeps it.
    else if (entry.name.endsWith('.hbs'))
      hbs.registerPartial(`${prefix}${entry.name.slice(0, -4)}`, hbs.compile(fs.readFileSync(full, 'utf8'), options));
  }
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/**
 * How every template and partial is compiled: with the helpers all named up front (every one is registered
 * before anything compiles), so a plain `{{reference}}` compiles to a property read instead of a check, at
 * every render, of whether `reference` is a helper; the staff queue prints a dozen per row. A template that
 * calls a helper nobody registered fails when it is compiled: test/views/templates-compile.test.ts compiles
 * every template this way.
 */
export function templateCompileOptions(hbs: typeof Handlebars): CompileOptions {
  return {
    knownHelpers: Object.fromEntries(Object.keys(hbs.helpers).map((name) => [name, true])),
    knownHelpersOnly: true,
  };
}

const KRW = new Intl.NumberFormat('ko-KR');

/** `assetUrl`: the URL of a file under public/ (content-hashed in production: ./static-assets.ts). */
export function createHandlebars(assetUrl: (name: string) => string): typeof Handlebars {
  const hbs = Handlebars.create();
  /** `{{asset 'app.css'}}` → /public/app.<hash>.css in production, /public/app.css in development. */
  hbs.registerHelper('asset', (name: unknown) => assetUrl(String(name)));
  hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    const locale = (options.data?.root?.locale ?? 'ko') as Locale;
    return translate(locale, String(key), options.hash);
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v, null, 2));
  hbs.registerHelper('krw', (v: unknown) => (v === null || v === undefined || v === '' ? '' : KRW.format(Number(v))));
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  /** The Korean web font's stylesheet (./korean-font.ts), linked by the layout. */
  hbs.registerHelper('koreanFontCss', () => KOREAN_FONT_CSS);
  hbs.registerHelper('lookupKey', (obj: Record<string, unknown> | undefined, key: string) => obj?.[key]);
  /** The errors for a field from the `errors` list in the root context. */
  hbs.registerHelper('fieldError', (field: string, options: Handlebars.HelperOptions) => {
    // Every message for the field, one per line (a multi-line field reports each bad line).
    const texts = ((options.data?.root?.errors ?? []) as { field: string; text: string }[])
      .filter((e) => e.field === field)
      .map((e) => e.text);
    if (texts.length === 0) return '';
    return new hbs.SafeString(texts.map((x) => hbs.escapeExpression(x)).join('<br>'));
  });
  /** "2026-11-26T06:00:00.000Z" → Korean time: "2026년 11월 26일 오후 3:00" / "26 Nov 2026, 15:00" (src/i18n/date-format.ts). */
  hbs.registerHelper('datetime', (iso: unknown, options: Handlebars.HelperOptions) =>
    formatDateTime((options.data?.root?.locale ?? 'ko') as Locale, iso),
  );
  hbs.registerHelper('date', (iso: unknown, options: Handlebars.HelperOptions) =>
    formatDate((options.data?.root?.locale ?? 'ko') as Locale, iso),
  );
  registerPartials(hbs, path.join(viewsDir, 'partials'), templateCompileOptions(hbs));
  return hbs;
}

/** Translated error list for forms: [{field, text}] from service FieldErrors. */
export function translateErrors(
  locale: Locale,
  errors: { field: string; message: string; params?: Record<string, unknown> }[],
) {
  return errors.map((e) => ({ field: e.field, text: translate(locale, e.message, e.params) }));
}

/** A path of plain segments (no query, no dot segments, nothing URL parsing would encode or normalize). */
const PLAIN_PATH = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;

/** The page's own address with ?lang= set to the other language (the header's language switch). */
function languageSwitchUrl(requestUrl: string, otherLocale: string): string {
  // Most pages are a plain path: no URL object needed (a parse per page view otherwise).
  if (PLAIN_PATH.test(requestUrl)) return `${requestUrl}?lang=${otherLocale}`;
  const url = new URL(requestUrl, 'http://x');
  url.searchParams.set('lang', otherLocale);
  return url.pathname + url.search;
}

/** A template inside the layout, with the common context (user, locale, CSRF token, flash, language switch). */
function renderPage(
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  status: number,
): Promise<string> {
  const req: FastifyRequest = reply.request;
  const session = (req as FastifyRequest & { session?: { flash?: unknown; set?: (k: string, v: unknown) => void } })
    .session;
  let flash: unknown = null;
  if (session?.flash) {
    flash = session.flash;
    session.flash = null;
  }
  const otherLocale = req.locale === 'ko' ? 'en' : 'ko';
  const csrfToken = typeof reply.generateCsrf === 'function' && session ? reply.generateCsrf() : '';
  const errors = Array.isArray(data.errors) ? data.errors : [];
  const titleKey = typeof data.titleKey === 'string' ? data.titleKey : null;
  reply.code(status).header('Cache-Control', 'no-store');
  return reply.viewAsync(template, {
    ...data,
    errors,
    hasErrors: errors.length > 0,
    pageTitle:
      data.pageTitle ??
      (titleKey ? translate(req.locale, titleKey, data.titleParams as Record<string, unknown>) : null),
    locale: req.locale,
    htmlLang: req.locale,
    user: req.user,
    isStaff: Boolean(req.user?.staffRole),
    isAdmin: req.user?.staffRole === 'admin',
    csrfToken,
    flash,
    currentPath: req.url,
    langSwitchUrl: languageSwitchUrl(req.url, otherLocale),
    otherLocale,
  });
}

interface ViewsOptions {
  /** Templates compiled once and kept (production); otherwise read and compiled again on every render. */
  production: boolean;
  assets: Pick<AssetManifest, 'url'>;
}

export default fp(
  async (app, opts: ViewsOptions) => {
    const hbs = createHandlebars((name) => opts.assets.url(name));
    const compileOptions = templateCompileOptions(hbs);
    await app.register(fastifyView, {
      options: { compileOptions },
      engine: { handlebars: hbs },
      root: viewsDir,
      layout: 'layouts/main.hbs',
      viewExt: 'hbs',
      production: opts.production,
      // The compiled templates live in an LRU of this size (default 100, a few entries per page): room for
      // every template we have, so none is ever evicted and compiled again.
      maxCache: 1000,
    });

    // A template rendered without the layout, for a page body that is the same for every visitor and cached
    // by its route (GET /docs); `data.locale` picks the language. Each template is compiled once.
    const fragments = new Map<string, Handlebars.TemplateDelegate>();
    app.decorate('renderBody', (template: string, data: Record<string, unknown> & { locale: Locale }) => {
      let compiled = fragments.get(template);
      if (!compiled) {
        compiled = hbs.compile(fs.readFileSync(path.join(viewsDir, `${template}.hbs`), 'utf8'), compileOptions);
        fragments.set(template, compiled);
      }
      return compiled(data);
    });
    // The layout (this visitor's header, CSRF token, language switch) around a body rendered earlier, kept
    // as bytes: the layout is rendered around a marker and the body spliced in, so a large cached body is
    // neither copied into a new string nor encoded to UTF-8 again on every request. The three parts go out
    // as they are (a stream of three chunks with the total length declared), not joined: joining copied the
    // whole body into a fresh buffer on every request (/docs: 270 kB, a sixth of its CPU time). A client that takes
    // gzip gets the body's deflate blocks made once, spliced between the head and tail (gzip-splice.ts).
    const marker = `<!--body-${crypto.randomUUID()}-->`;
    app.decorateReply(
      'pageFromBody',
      function (this: FastifyReply, body: Buffer, data: Record<string, unknown> = {}, status = 200) {
        return renderPage(this, 'layouts/prerendered', { ...data, prerenderedBody: marker }, status).then((html) => {
          const at = html.indexOf(marker);
          const head = Buffer.from(html.slice(0, at));
          const tail = Buffer.from(html.slice(at + marker.length));
          this.type('text/html; charset=utf-8').header('vary', 'accept-encoding');
          if (acceptsGzip(this.request.headers['accept-encoding'])) {
            // Compressed, the page is small enough (/docs: 39 kB) that one buffer costs less than a stream.
            const packed = Buffer.concat(gzipAround(head, body, tail));
            return this.header('content-encoding', 'gzip').send(packed);
          }
          return this.header('content-length', head.length + body.length + tail.length).send(
            Readable.from([head, body, tail]),
          );
        });
      },
    );

    app.decorateReply('t', function (this: FastifyReply, key: string, params?: Record<string, unknown>) {
      return translate(this.request.locale, key, params);
    });

    app.decorateReply(
      'page',
      function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200) {
        return renderPage(this, template, data, status).then((html) =>
          this.type('text/html; charset=utf-8').send(html),
        );
      },
    );
  },
  { name: 'views' },
);
