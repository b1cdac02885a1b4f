// Rule: every portal response (pages, static files, the health check) carries helmet's security headers for the
// app's policy (`securityHeaders()` in ./security.ts). They are the same on every request, so helmet computes them
// once, at start-up, on a throwaway instance, and each request gets that fixed list. @fastify/helmet itself built
// helmet's middleware again on every request (parsing the CSP directives each time): about 2 % of a page's CPU.
// No route here asks for its own helmet options or nonces (`reply.helmet`, `reply.cspNonce`); a route that needs
// another header value sets it on its reply (an uploaded file's sandbox CSP, the authorize page's form-action).
import Fastify, { type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';

/** What fastify itself sets on a plain answer: not a security header. */
const NOT_HELMETS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/** The headers helmet sets for `options`, as helmet sets them on a plain answer. */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  try {
    await probe.register(fastifyHelmet, options);
    probe.get('/', async () => '');
    const res = await probe.inject({ url: '/' });
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers))
      if (!NOT_HELMETS.has(name) && typeof value === 'string') out[name] = value;
    return out;
  } finally {
    await probe.close();
  }
}

const securityHeadersPlugin: FastifyPluginAsync<FastifyHelmetOptions> = async (app, options) => {
  const headers = Object.entries(await helmetHeaders(options));
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
};

export default fp(securityHeadersPlugin, { name: 'security-headers' });
