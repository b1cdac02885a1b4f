// Rule: an authorization code is ~30 random alphanumerics, stored only as a SHA-256 hash, bound to the
// client, redirect_uri, user and scope, valid for 10 minutes and usable once; presenting it a second
// time fails and revokes every token issued from it (RFC 6749 §4.1.2).
import crypto from 'node:crypto';

export const AUTH_CODE_TTL_MS = 10 * 60 * 1000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newAuthCode(length = 30): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.randomBytes(length)) {
      if (b < 248) out += ALPHABET[b % 62]; // 248 = 4 × 62: no modulo bias
      if (out.length === length) break;
    }
  }
  return out;
}
