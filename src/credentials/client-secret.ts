// Rule: client secrets are random (UUID form, like the developer site's), shown once, stored only as a
// SHA-256 hash, and compared in constant time; a set holds at most two active secrets (rotation).
import crypto from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../secret-tokens';

export const MAX_ACTIVE_SECRETS = 2;

export function newClientSecret(): string {
  return crypto.randomUUID();
}

export function hashClientSecret(secret: string): string {
  return sha256Hex(secret);
}

/** The last characters, shown to tell secrets apart. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

/** The index of the stored hash `presented` matches, or -1 (every hash is compared, in constant time). */
export function matchingSecretIndex(presented: string, storedHashes: readonly string[]): number {
  const presentedHash = hashClientSecret(presented);
  let match = -1;
  storedHashes.forEach((h, i) => {
    if (constantTimeEqual(presentedHash, h)) match = i;
  });
  return match;
}
