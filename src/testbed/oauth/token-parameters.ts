// Rule: token-endpoint parameters come from the form body and, for clients that put them there, the
// query string of the POST; a parameter given twice (in one place, or in both with different values)
// is refused with O0001 [3000103], as is a missing required one. A redirect_uri is taken exactly as sent
// (`requiredExact`, no trimming): it must equal the registered URI character for character.
import { authParamError } from '../common/kftc-error';

export type Params = Record<string, string>;

function addFrom(out: Params, source: unknown): void {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return;
  for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(v)) throw authParamError('3000103');
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' && typeof v !== 'number') throw authParamError('3000103');
    const s = String(v);
    if (Object.hasOwn(out, k) && out[k] !== s) throw authParamError('3000103');
    out[k] = s;
  }
}

export function tokenParameters(body: unknown, query: unknown): Params {
  const out: Params = Object.create(null) as Params;
  addFrom(out, body);
  addFrom(out, query);
  return out;
}

export function required(p: Params, name: string, max = 500): string {
  const v = p[name];
  if (v === undefined || v.trim() === '' || v.length > max) throw authParamError('3000103');
  return v.trim();
}

/** A required parameter taken exactly as sent (redirect_uri): no trimming, so " uri" is not "uri". */
export function requiredExact(p: Params, name: string, max = 500): string {
  const v = p[name];
  if (v === undefined || v.trim() === '' || v.length > max) throw authParamError('3000103');
  return v;
}
