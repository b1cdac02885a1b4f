// Rule: the request log never stores a secret in full. client_secret, access and refresh tokens,
// authorization codes, passwords, wd_pass_phrase and the Authorization header are kept as their first
// 6 characters plus "…" (enough to tell two apart, never enough to use). Masking walks request data
// iteratively with a depth and size bound: no recursion over what a client sent.

/** Field names (lower case) whose values are secrets wherever they appear in a body. */
const SECRET_KEYS = new Set([
  'client_secret',
  'access_token',
  'refresh_token',
  'code',
  'password',
  'passwd',
  'cert_password',
  'wd_pass_phrase',
  'authorization',
  'id_token',
  'kftc-bfop-accesstoken',
  'secret',
  'token',
]);
/** Field names whose values are URLs that may carry a secret in their query (a redirect with `code`). */
const URL_KEYS = new Set(['location', 'redirect', 'url']);
/** Deeper structures are cut (the emulator's bodies nest two levels: res_list / req_list items). */
const MASK_MAX_DEPTH = 8;
/** More entries than this in one object or array are cut (a body is at most 256 kB anyway). */
const MASK_MAX_ENTRIES = 200;
const KEEP = 6;

function maskSecret(value: string): string {
  return value.length <= KEEP ? '…' : `${value.slice(0, KEEP)}…`;
}

/** Does a value hold, at any depth up to MASK_MAX_DEPTH, a key whose value must be masked? Iterative. */
export function hasSecretKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const work: [unknown, number][] = [[value, 1]];
  while (work.length) {
    const [v, depth] = work.pop()!;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && i < MASK_MAX_ENTRIES; i++) {
        const x = v[i];
        if (x !== null && typeof x === 'object') {
          if (depth >= MASK_MAX_DEPTH) return true;
          work.push([x, depth + 1]);
        }
      }
      if (v.length > MASK_MAX_ENTRIES) return true; // the masked copy cuts it
      continue;
    }
    let n = 0;
    for (const k in v as Record<string, unknown>) {
      if (++n > MASK_MAX_ENTRIES) return true;
      const lower = k.toLowerCase();
      if (SECRET_KEYS.has(lower) || URL_KEYS.has(lower)) return true;
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') {
        if (depth >= MASK_MAX_DEPTH) return true;
        work.push([x, depth + 1]);
      }
    }
  }
  return false;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** "Bearer eyJhbGc…": the scheme stays, the credential is masked. */
export function maskAuthorization(header: string): string {
  const m = /^(\S+)\s+(\S.*)$/.exec(header);
  return m ? `${m[1]} ${maskSecret(m[2]!)}` : maskSecret(header);
}

/** Masks every secret in a URL's query string (e.g. a redirect carrying `code`). */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const [k, v] of [...params]) if (isSecretKey(k)) params.set(k, maskSecret(v));
  return `${url.slice(0, q + 1)}${params.toString()}`;
}

/**
 * A copy of `value` that is safe to store: secret fields masked (strings, numbers and arrays of them),
 * depth and breadth bounded. Plain data only comes out (objects, arrays, strings, numbers, booleans, null).
 */
export function maskSecrets(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return plain(value);
  const root: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  // Work list of (source, target, depth): iterative, so a deeply nested body cannot overflow the stack.
  const work: [unknown, Record<string, unknown> | unknown[], number][] = [[value, root, 1]];
  while (work.length) {
    const [src, dst, depth] = work.pop()!;
    const entries: [string, unknown][] = Array.isArray(src)
      ? src.map((v, i) => [String(i), v])
      : Object.entries(src as Record<string, unknown>);
    let n = 0;
    for (const [k, v] of entries) {
      if (n++ >= MASK_MAX_ENTRIES) {
        put(dst, '…', `(${entries.length - MASK_MAX_ENTRIES} more)`);
        break;
      }
      const secret = !Array.isArray(src) && isSecretKey(k);
      if (secret) put(dst, k, maskValue(v));
      else if (typeof v === 'string' && URL_KEYS.has(k.toLowerCase())) put(dst, k, maskUrl(v));
      else if (v !== null && typeof v === 'object') {
        if (depth >= MASK_MAX_DEPTH) {
          put(dst, k, '(nested too deep)');
          continue;
        }
        const child: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
        put(dst, k, child);
        work.push([v, child, depth + 1]);
      } else put(dst, k, plain(v));
    }
  }
  return root;
}

function put(dst: Record<string, unknown> | unknown[], k: string, v: unknown) {
  if (Array.isArray(dst)) dst.push(v);
  else dst[k] = v;
}

function maskValue(v: unknown): unknown {
  if (typeof v === 'string') return maskSecret(v);
  if (typeof v === 'number' || typeof v === 'bigint') return maskSecret(String(v));
  if (Array.isArray(v)) return v.slice(0, 5).map((x) => (typeof x === 'string' ? maskSecret(x) : '…'));
  return v === null || v === undefined ? (v ?? null) : '…';
}

function plain(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return String(v);
    case 'undefined':
      return null;
    default:
      return v === null ? null : String(v);
  }
}
