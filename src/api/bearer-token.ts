// Rule: the API authenticates only with `Authorization: Bearer <personal access token>` — never with the
// session cookie — so a cross-site request riding on a browser session cannot act through the API.
import { newSecretToken } from '../secret-tokens';

const TOKEN_PREFIX = 'obp_';
/** obp_ + 43 base64url characters (32 random bytes). */
const TOKEN_RE = /^obp_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): string {
  return `${TOKEN_PREFIX}${newSecretToken(32)}`;
}

/** The token from an Authorization header, or null when there is none or it is not one of ours. */
export function bearerTokenFrom(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header.length > 200) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!m || !TOKEN_RE.test(m[1]!)) return null;
  return m[1]!;
}

/** What the account page shows to tell tokens apart (never enough to use one). */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 4);
}
