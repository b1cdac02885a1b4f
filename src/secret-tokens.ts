// Rule: random secrets (invite links, API tokens, client secrets) are shown once and stored only as SHA-256
// hashes; lookups go by hash, and any direct comparison is constant-time.
import crypto from 'node:crypto';

export function newSecretToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(sha256Hex(a), 'hex');
  const bb = Buffer.from(sha256Hex(b), 'hex');
  return crypto.timingSafeEqual(ba, bb) && a.length === b.length;
}
