// Route validators and serializers compiled once per test process and shared by every app it builds, and each
// compiled only when a request first needs it. Compiling them all (Ajv + fast-json-stringify, hundreds of routes)
// was most of the CPU an app build costs (about 0.9 s for a process's first app), while a test file exercises a
// handful of routes. The compilers are fastify's own defaults with the app's options; a schema compiled for one
// app is the same function another app would compile from the same schema, options and shared schemas, and a
// route's validator is the one fastify would have compiled at start-up, built on its first use instead. The
// real server (test/helpers/child-server.ts, test/infra/server.test.ts) still compiles every schema at start-up,
// so a schema that does not compile fails there.
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { BuildOptions } from '../../src/app';

type Factories = NonNullable<BuildOptions['schemaCompilers']>;
type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown };
type Compile = (route: { schema: unknown }) => Compiled;

const ajvPool = AjvCompiler();
const fjsFactory = SerializerSelector();
const compiled = new Map<string, Compiled>();

function memoized(scope: () => string, compile: Compile): Compile {
  return (route) => {
    let fn: Compiled | undefined;
    const real = (): Compiled => {
      if (fn) return fn;
      const key = `${scope()}\u0000${JSON.stringify(route.schema)}`;
      fn = compiled.get(key);
      if (fn === undefined) {
        fn = compile(route);
        compiled.set(key, fn);
      }
      return fn;
    };
    const lazy: Compiled = (...args) => real()(...args);
    // fastify passes Ajv validators ({ schemaEnv }) the parent object so coercion can replace a root value, and
    // reads `errors` from the function after a failed validation.
    Object.defineProperty(lazy, 'schemaEnv', { get: () => (real() as { schemaEnv?: unknown }).schemaEnv });
    Object.defineProperty(lazy, 'errors', { get: () => real().errors });
    return lazy;
  };
}

const once = (f: () => string) => {
  let s: string | undefined;
  return () => (s ??= f());
};

/**
 * One of fastify's compiler factories, shared: the pool (fastify's own factory with this app's options) is made on
 * the first compile, and each route's function is memoized under `kind` + shared schemas + options + its schema.
 */
function shared(kind: string, factory: unknown) {
  return (externalSchemas: unknown, options: unknown) => {
    let pool: Compile | undefined;
    return memoized(
      once(() => `${kind}\u0000${JSON.stringify(externalSchemas)}\u0000${JSON.stringify(options)}`),
      (route) => {
        pool ??= (factory as (e: unknown, o: unknown) => Compile)(externalSchemas, options);
        return pool(route);
      },
    );
  };
}

export const sharedSchemaCompilers: Factories = {
  buildValidator: shared('validator', ajvPool) as unknown as Factories['buildValidator'],
  buildSerializer: shared('serializer', fjsFactory) as unknown as Factories['buildSerializer'],
};
