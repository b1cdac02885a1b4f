// Route validators and serializers compiled once per test process and shared by every app it builds. Compiling
// them (Ajv + fast-json-stringify, hundreds of routes) was most of the CPU an app build costs, and a test file
// builds many apps. The compilers are fastify's own defaults with the app's options; a schema compiled for one
// app is the same function another app would compile from the same schema, options and shared schemas.
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { BuildOptions } from '../../src/app';

type Factories = NonNullable<BuildOptions['schemaCompilers']>;
type Compile = (route: { schema: unknown }) => unknown;

const ajvPool = AjvCompiler();
const fjsFactory = SerializerSelector();
const compiled = new Map<string, unknown>();

function memoized(scope: string, compile: Compile): Compile {
  return (route) => {
    const key = `${scope}\u0000${JSON.stringify(route.schema)}`;
    let fn = compiled.get(key);
    if (fn === undefined) {
      fn = compile(route);
      compiled.set(key, fn);
    }
    return fn;
  };
}

export const sharedSchemaCompilers: Factories = {
  buildValidator: ((externalSchemas: unknown, options: unknown) =>
    memoized(
      `validator\u0000${JSON.stringify(externalSchemas)}\u0000${JSON.stringify(options)}`,
      (ajvPool as unknown as (e: unknown, o: unknown) => Compile)(externalSchemas, options),
    )) as unknown as Factories['buildValidator'],
  buildSerializer: ((externalSchemas: unknown, options: unknown) =>
    memoized(
      `serializer\u0000${JSON.stringify(externalSchemas)}\u0000${JSON.stringify(options)}`,
      (fjsFactory as unknown as (e: unknown, o: unknown) => Compile)(externalSchemas, options),
    )) as unknown as Factories['buildSerializer'],
};
