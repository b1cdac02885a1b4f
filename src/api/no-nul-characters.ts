// Rule: no text reaching the services contains a NUL character (U+0000). PostgreSQL cannot store one in a
// text column and fails the whole statement, so it is refused up front as a field error (422), on both
// databases alike, instead of becoming a 500 on one of them.
import type { FieldError } from '../http/errors';

/** Dotted paths of the string values (and keys) in `value` that contain U+0000. */
export function fieldsWithNul(value: unknown, path: string[] = [], out: FieldError[] = [], depth = 0): FieldError[] {
  if (depth > 32 || out.length >= 20) return out;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ field: path.join('.'), message: 'api.errors.invalid' });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) fieldsWithNul(v, [...path, String(i)], out, depth + 1);
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000'))
        out.push({ field: [...path, k.replaceAll('\u0000', '')].join('.'), message: 'api.errors.invalid' });
      else fieldsWithNul(v, [...path, k], out, depth + 1);
    }
  }
  return out;
}
