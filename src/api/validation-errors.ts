// Schema validation failures as the API's field errors: one {field, message} per problem, the field
// named by its dotted path in the body ("company.legal_name"), the message an i18n key translated by the
// portal error handler. Unknown fields are named, not dropped.
import type { FieldError } from '../http/errors';

interface AjvError {
  keyword: string;
  instancePath: string;
  params?: Record<string, unknown>;
  message?: string;
}

function dotted(instancePath: string, child?: unknown): string {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof child === 'string' && child) parts.push(child);
  return parts.join('.');
}

export function fieldErrorsFromValidation(errors: readonly AjvError[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = e.params ?? {};
    let fe: FieldError;
    switch (e.keyword) {
      case 'additionalProperties':
        fe = { field: dotted(e.instancePath, p.additionalProperty), message: 'api.errors.unknown_field' };
        break;
      case 'required':
        fe = { field: dotted(e.instancePath, p.missingProperty), message: 'api.errors.required' };
        break;
      case 'type':
        fe = { field: dotted(e.instancePath), message: 'api.errors.type', params: { type: String(p.type) } };
        break;
      case 'enum':
        fe = {
          field: dotted(e.instancePath),
          message: 'api.errors.enum',
          params: { allowed: ((p.allowedValues as unknown[] | undefined) ?? []).join(', ') },
        };
        break;
      case 'const':
        fe = { field: dotted(e.instancePath), message: 'api.errors.enum', params: { allowed: String(p.allowedValue) } };
        break;
      case 'maxLength':
        fe = { field: dotted(e.instancePath), message: 'api.errors.max_length', params: { limit: Number(p.limit) } };
        break;
      case 'minLength':
        fe = { field: dotted(e.instancePath), message: 'api.errors.min_length', params: { limit: Number(p.limit) } };
        break;
      case 'maxItems':
        fe = { field: dotted(e.instancePath), message: 'api.errors.max_items', params: { limit: Number(p.limit) } };
        break;
      case 'maxProperties':
        fe = { field: dotted(e.instancePath), message: 'api.errors.max_items', params: { limit: Number(p.limit) } };
        break;
      default:
        fe = { field: dotted(e.instancePath), message: 'api.errors.invalid' };
    }
    const key = `${fe.field}\u0000${fe.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fe);
  }
  // anyOf/oneOf add an "invalid" for the parent after the specific reasons; keep it only if alone.
  return out.filter((f) => f.message !== 'api.errors.invalid' || !out.some((o) => o !== f && o.field === f.field));
}
