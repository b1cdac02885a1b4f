// Rule: every emulator route (/oauth/2.0/*, /v2.0/* and the sandbox shortcut /testbed/sandbox/*) in the fastify
// route table has an entry in the endpoint registry (src/testbed/docs/endpoints.ts), itself or as a page step
// it covers, and every registry entry serves a route: /docs and the OpenAPI document cannot miss or invent one.
import t from 'tap';
import { build } from '../../helpers/build';
import { ENDPOINTS } from '../../../src/testbed/docs/endpoints';

const EMULATOR = /^\/(oauth\/2\.0|v2\.0|testbed\/sandbox)\//;

function documentedRoutes(): Set<string> {
  const out = new Set<string>();
  for (const e of ENDPOINTS) {
    out.add(`${e.method} ${e.path}`);
    for (const c of e.covers ?? []) out.add(`${c.method} ${c.path}`);
  }
  return out;
}

t.test('every emulator route in the route table has a registry entry', async (t) => {
  const app = await build(t);
  const served = app.routeTable.filter((r) => EMULATOR.test(r.url)).map((r) => `${r.method} ${r.url}`);
  t.ok(served.length >= ENDPOINTS.length - 2, `the route table lists the emulator (${served.length} routes)`);
  const documented = documentedRoutes();
  t.same(
    served.filter((r) => !documented.has(r)),
    [],
    'undocumented emulator routes (add them to src/testbed/docs/endpoints.ts)',
  );
});

t.test('every registry entry (and every page step it covers) serves a route', async (t) => {
  const app = await build(t);
  const served = new Set(app.routeTable.map((r) => `${r.method} ${r.url}`));
  t.same(
    [...documentedRoutes()].filter((r) => !served.has(r)),
    [],
    'registry entries without a route',
  );
});

t.test(
  'registry keys are unique, and entries sharing a method and path say which one they are a variant of',
  async (t) => {
    const keys = ENDPOINTS.map((e) => e.key);
    t.equal(new Set(keys).size, keys.length, 'unique keys');
    const byRoute = new Map<string, string[]>();
    for (const e of ENDPOINTS)
      byRoute.set(`${e.method} ${e.path}`, [...(byRoute.get(`${e.method} ${e.path}`) ?? []), e.key]);
    for (const [route, shared] of byRoute) {
      if (shared.length < 2) continue;
      const [first, ...rest] = shared;
      for (const key of rest)
        t.equal(ENDPOINTS.find((e) => e.key === key)!.variantOf, first, `${route}: ${key} is a variant of ${first}`);
    }
  },
);
