import t from 'tap';
import Fastify from 'fastify';
import Ajv from 'ajv';
import { build } from '../helpers/build';
import applicationsRoutes from '../../src/api/applications-routes';
import securityRoutes from '../../src/api/security-routes';
import contractRoutes from '../../src/api/contract-routes';
import credentialsRoutes from '../../src/api/credentials-routes';
import tokensRoutes from '../../src/api/tokens-routes';
import { ErrorBody } from '../../src/api/schemas';

t.test('every /api/v1 request schema compiles under Ajv strict mode without a warning', async (t) => {
  const app = await build(t);
  // The API's route plugins on a bare instance, to collect each route's request schemas as written.
  const probe = Fastify();
  t.teardown(() => probe.close());
  const schemas: { route: string; schema: object }[] = [];
  probe.addHook('onRoute', (r) => {
    for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
      const s = (r.schema as Record<string, unknown> | undefined)?.[part];
      if (s) schemas.push({ route: `${String(r.method)} ${r.url} ${part}`, schema: s as object });
    }
  });
  probe.decorate('db', app.db);
  probe.decorate('config', app.config);
  probe.addSchema(ErrorBody);
  for (const plugin of [tokensRoutes, applicationsRoutes, securityRoutes, contractRoutes, credentialsRoutes]) {
    await probe.register(plugin as never, { services: app.services });
  }
  await probe.ready();
  t.ok(schemas.length > 20, `collected ${schemas.length} schemas`);

  const warnings: string[] = [];
  for (const { route, schema } of schemas) {
    // The options of src/app.ts (strict mode is Ajv's default: "log").
    const ajv = new Ajv({
      removeAdditional: false,
      coerceTypes: 'array',
      allErrors: true,
      useDefaults: true,
      logger: {
        log: () => undefined,
        warn: (...args: unknown[]) => warnings.push(`${route}: ${args.join(' ')}`),
        error: (...args: unknown[]) => warnings.push(`${route}: ${args.join(' ')}`),
      },
    });
    ajv.addSchema(ErrorBody);
    try {
      ajv.compile(schema);
    } catch (err) {
      warnings.push(`${route}: ${(err as Error).message}`);
    }
  }
  t.same(warnings, [], 'no strict-mode warnings (e.g. "use allowUnionTypes")');

  // The rule can fail: a union of types written as a type array is exactly what Ajv warns about.
  const seen: string[] = [];
  new Ajv({ logger: { log: () => undefined, warn: (m: string) => seen.push(m), error: () => undefined } }).compile({
    type: 'object',
    properties: { apis: { type: ['string', 'array'] } },
  });
  t.match(seen.join('\n'), /allowUnionTypes/, 'the check sees that warning when it happens');
});
