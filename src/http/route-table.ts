// Records every route as it is registered (method + URL), so tests (the authorization matrix) and docs
// can walk the real route table. Registered first in app.ts: an onRoute hook sees only later routes.
import fp from 'fastify-plugin';

interface RouteTableEntry {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteTableEntry[];
  }
}

export default fp(
  async function routeTable(app) {
    const entries: RouteTableEntry[] = [];
    app.decorate('routeTable', entries as readonly RouteTableEntry[]);
    app.addHook('onRoute', (route) => {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        if (method === 'HEAD' || method === 'OPTIONS') continue; // fastify's automatic HEAD twin of every GET
        if (!entries.some((e) => e.method === method && e.url === route.url))
          entries.push(Object.freeze({ method, url: route.url }));
      }
    });
  },
  { name: 'route-table' },
);
