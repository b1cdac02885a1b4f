// Shared JSON schemas for /api/v1. Request bodies are closed (additionalProperties: false, and the app's
// Ajv runs with removeAdditional: false), so an unknown or misspelled field is a 422, never dropped.
import { Type, type TSchema, type TProperties, type ObjectOptions, type TUnsafe } from '@sinclair/typebox';
import { UUID_PATTERN } from '../db/ids';

/** A request body/query object that refuses unknown fields. */
export function Closed<T extends TProperties>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/**
 * One of `values` (a constant tuple), as `{type: 'string', enum}` (Ajv's one message: "must be equal to one of the
 * allowed values"), typed as their union in handlers. The route type provider reads a schema's type from its JSON
 * shape (`typebox` 1.x), so the return type spells that shape out; nothing changes at run time.
 */
export function OneOf<const V extends readonly string[]>(
  values: V,
  description?: string,
): TUnsafe<V[number]> & { type: 'string'; enum: [...V] } {
  const schema = Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
  return schema as TUnsafe<V[number]> & { type: 'string'; enum: [...V] };
}

export const Id = Type.String({ pattern: UUID_PATTERN, description: 'UUID' });
/** Path ids are not pattern-checked: an id that matches nothing is simply a 404, like another organization's. */
export const PathId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
export const IdParams = Closed({ id: PathId });
export const Timestamp = Type.String({ description: 'ISO-8601 UTC' });
export const NullableTimestamp = Type.Union([Type.String(), Type.Null()], { description: 'ISO-8601 UTC or null' });

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({
          description:
            'unauthenticated | forbidden | not_found | conflict | validation | bad_request | rate_limited | …',
        }),
        message: Type.String(),
        request_id: Type.Optional(Type.String()),
        current_state: Type.Optional(
          Type.String({ description: 'On 409: the state the application is in, e.g. suitability:submitted' }),
        ),
        errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'ApiError', description: 'The error envelope of every non-2xx answer' },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (e.g. invalid JSON)',
  401: 'No valid bearer token',
  403: 'Your role may not do this',
  404: 'Not found (or belongs to another organization)',
  409: 'Not allowed from the current state (current_state names it)',
  415: 'Unsupported content type (send application/json)',
  422: 'Validation failed (errors lists {field, message})',
  429: 'Too many failed sign-ins',
};

/** Response schemas for the error statuses a route can answer, all with the one error envelope. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of statuses) out[s] = Type.Ref('ApiError', { description: ERROR_DESCRIPTIONS[s] ?? 'Error' });
  return out;
}

/** Every authenticated route can answer 401, and (bad bodies/params) 400/422. */
export const AUTHED_ERRORS = [400, 401, 415, 422] as const;
