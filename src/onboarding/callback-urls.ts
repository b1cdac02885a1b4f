// Rule: an OAuth callback URL is absolute, https (plain http only for localhost/127.0.0.1 during
// development), has no fragment and no user info; at most MAX_CALLBACK_URLS per application.
export const MAX_CALLBACK_URLS = 5;
const MAX_URL_LENGTH = 500;

export type CallbackUrlProblem = 'invalid' | 'scheme' | 'fragment' | 'userinfo' | 'too_long';

export function checkCallbackUrl(raw: string): { ok: true; value: string } | { ok: false; reason: CallbackUrlProblem } {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: 'too_long' };
  if (raw.includes('#')) return { ok: false, reason: 'fragment' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!url.hostname) return { ok: false, reason: 'invalid' };
  if (url.username || url.password) return { ok: false, reason: 'userinfo' };
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return { ok: false, reason: 'scheme' };
  // Kept as typed (apart from surrounding spaces): the token endpoint compares redirect URIs exactly.
  return { ok: true, value: raw };
}

/** One URL per line; blank lines and exact duplicates are dropped. */
export function splitLines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const v = line.trim();
    if (v && !seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}
