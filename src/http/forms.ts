// Post/redirect/get forms: a validation failure re-renders the same page (422) with the user's values and
// an error summary linking to each field; success is a 303 redirect.
import type { FastifyReply } from 'fastify';
import { AppError } from './errors';
import { translateErrors } from './views';

/** Values to put back into a form: strings only, secrets dropped. */
export function keepValues(body: unknown, drop: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf' || drop.includes(k) || /password|secret/.test(k)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Runs a form action. On validation failure re-renders `template` with status 422; other errors propagate.
 * `data` is merged into the re-rendered page (the GET handler's context).
 */
export async function handleForm(
  reply: FastifyReply,
  template: string,
  body: unknown,
  action: () => Promise<string>,
  data: Record<string, unknown> | (() => Promise<Record<string, unknown>>) = {},
): Promise<FastifyReply> {
  try {
    const location = await action();
    return reply.redirect(location, 303);
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation') {
      const ctx = typeof data === 'function' ? await data() : data;
      return reply.page(
        template,
        {
          ...ctx,
          values: { ...(ctx.values as object | undefined), ...keepValues(body) },
          errors: translateErrors(reply.request.locale, err.details.fieldErrors ?? []),
        },
        422,
      );
    }
    throw err;
  }
}

/** A single string from a form field; arrays (duplicate fields) and non-strings become ''. */
export function str(v: unknown, max = 10_000): string {
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}
