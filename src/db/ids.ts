// Identifiers that appear in URLs are random (UUID v4), never sequential.
import crypto from 'node:crypto';

export type IdGenerator = () => string;
export const randomId: IdGenerator = () => crypto.randomUUID();
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
}
