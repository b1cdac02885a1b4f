// Request/reply decorations shared by every module.
import type { CurrentUser } from '../accounts/types';
import type { Locale } from '../i18n';

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    locale: Locale;
  }
  interface FastifyReply {
    /** Renders views/<template>.hbs inside the layout with the common context (user, locale, CSRF token…). */
    page(template: string, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
    /** The layout around a body rendered earlier by app.renderBody (a page cached by its route). */
    pageFromBody(body: Buffer, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
    /** Translates a key in the request's locale. */
    t(key: string, params?: Record<string, unknown>): string;
  }
  interface FastifyInstance {
    /** Renders views/<template>.hbs without the layout (src/http/views.ts). */
    renderBody(template: string, data: Record<string, unknown> & { locale: Locale }): string;
  }
  interface FastifyContextConfig {
    /** false exempts a state-changing route from the session CSRF check (bearer/OAuth/emulator APIs only). */
    csrf?: boolean;
  }
}

declare module '@fastify/session' {
  interface FastifySessionObject {
    userId?: string;
    locale?: Locale;
    flash?: { kind: 'success' | 'info'; message: string } | null;
    /** When the session's expiry last slid forward (ms since the epoch; src/http/security.ts). */
    refreshedAt?: number;
    [key: string]: unknown;
  }
}
