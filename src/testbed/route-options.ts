// What the emulator's route plugins receive (src/app.ts registers plugin.ts with it, plugin.ts passes it on),
// and the per-route config flags its error handling reads. A file of its own so that route files need not
// import plugin.ts, which imports them.
import type { Services } from '../services';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A browser page of the authorize flow (registered in the portal context: HTML error pages, helmet). */
    testbedHtml?: boolean;
    /** The token endpoint: parse errors answer O0001 [3000103] instead of A0004. */
    testbedToken?: boolean;
  }
}

export interface TestbedPluginOptions {
  services: Services;
  clock: Clock;
  config: AppConfig;
}
export interface TestbedRouteOptions extends TestbedPluginOptions {}
