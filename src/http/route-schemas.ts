// TypeBox schemas for the portal's pages, so handlers receive typed params, queries and bodies.
// Rule: refusals keep the portal's order — CSRF, then the route's guard (who may do this), then its schema
// (what was sent): `checkSchemasAfterGuards` defers fastify's schema check (which would run before every
// preHandler) to the end of the route's preHandlers, so a visitor without the right learns nothing from it.
// Rule: a page's schema refuses only what no page of ours can send; whatever a person can get wrong is
// checked by the service and answered by re-rendering the form (422, a message per field), as it was
// before schemas. Hence:
// - path ids (`IdParams`, `UuidParam`): a malformed id names no record, so the error handler answers the
//   portal's 404 page (a failure in `params`), never a 400;
// - form bodies (`FormBody`): the page's fields allow-listed (an unknown field is a 400 page: our
//   templates never send one), each optional, a string or (a repeated name) several strings;
// - query strings (`PageQuery`): the named parameters typed the same way, others let through (a link from
//   elsewhere may carry tracking parameters; `lang` is read by the locale hook in security.ts).
import type { FastifyInstance, preHandlerAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import { Type, type ObjectOptions, type TOptional, type TProperties, type TSchema } from '@sinclair/typebox';
import { UUID_PATTERN } from '../db/ids';

/** A form or query field as a urlencoded body carries it: a string, or several when the name repeats. */
const FormField = Type.Union([Type.String(), Type.Array(Type.String())]);

/** A path id the database can look up (the pattern of `isUuid`). */
export const UuidParam = Type.String({ pattern: UUID_PATTERN });
export const IdParams = Type.Object({ id: UuidParam });

/** A path token (sign-up, invite, password-reset links): any text the router accepts; an unknown one is the service's 404. */
export const TokenParams = Type.Object({ token: Type.String() });

type Fields<K extends string> = { [P in K]: TOptional<typeof FormField> };

function optionalFields<K extends string>(names: readonly K[]): Fields<K> {
  const props = {} as Record<string, TSchema>;
  for (const n of names) props[n] = Type.Optional(FormField);
  return props as Fields<K>;
}

/**
 * The body of a page's form: `_csrf` and the named fields, all optional; `extra` adds fields of another
 * shape (an uploaded file). Nothing else is accepted.
 */
export function FormBody<K extends string, E extends TProperties = Record<never, TSchema>>(
  names: readonly K[],
  extra?: E,
) {
  return Type.Object(
    { ...optionalFields(['_csrf', ...names] as const), ...(extra ?? ({} as E)) },
    { additionalProperties: false },
  );
}

/** A form whose field names are data (the API console's per-API fields): the named ones typed, any other a form value. */
export function OpenFormBody<K extends string>(names: readonly K[]) {
  return Type.Object(optionalFields(['_csrf', ...names] as const), { additionalProperties: FormField });
}

/** A page's query string: the named parameters typed, any other let through. */
export function PageQuery<K extends string>(names: readonly K[], options: ObjectOptions = {}) {
  return Type.Object(optionalFields(names), { additionalProperties: true, ...options });
}

/** A form posted without a body (the CSRF token in a header) is an empty form, as handlers took it before schemas. */
const emptyFormWhenNoBody: preValidationAsyncHookHandler = async (req) => {
  if (req.body === undefined || req.body === null) req.body = {};
};

const refuseInvalidInput: preHandlerAsyncHookHandler = async (req) => {
  if (req.validationError) throw req.validationError; // the error handler: params → 404 page, else 400 page
};

/**
 * For every route registered after this call in `app` (the calling plugin): the schema is checked as usual,
 * but its failure is raised after the route's own preHandlers (its guard), not before them.
 */
export function checkSchemasAfterGuards(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.schema) return;
    route.attachValidation = true;
    const own = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [...own, refuseInvalidInput];
    if (route.schema.body) {
      const before = route.preValidation ? [route.preValidation].flat() : [];
      route.preValidation = [...before, emptyFormWhenNoBody];
    }
  });
}
