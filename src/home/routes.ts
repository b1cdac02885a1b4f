// The front page: a short explanation of the five steps for visitors; signed-in users go to their home.
import type { FastifyPluginAsync } from 'fastify';

/** No service: who is signed in (req.user) decides where the visitor goes. */
const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async (req, reply) => {
    if (req.user?.staffRole) return reply.redirect(req.user.staffRole === 'admin' ? '/admin' : '/staff', 303);
    if (req.user?.organizationId) return reply.redirect('/applications', 303);
    return reply.page('home/index', { titleKey: 'common.app_name' });
  });
  // Browsers and tools that ignore <link rel="icon"> still ask for /favicon.ico: send them the SVG icon.
  app.get('/favicon.ico', async (_req, reply) => reply.redirect('/public/favicon.svg', 301));
};
export default homeRoutes;
