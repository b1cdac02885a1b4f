// Identifiers that appear in URLs are random (UUID v4), never sequential.
// Ledger rows (transactions, postings) that are only ever found through other keys use time-ordered
// UUID v7 ids instead (timeOrderedId): each new row goes at the right-hand end of its primary-key index
// rather than on a random page of it, so a write batch dirties a few index pages instead of one per row
// (on SQLite every dirty page is written to the WAL at commit). Services take an IdGenerator, so tests can
// inject their own.
import crypto from 'node:crypto';
import { v7 } from 'uuid';

export type IdGenerator = () => string;
export const randomId: IdGenerator = () => crypto.randomUUID();
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
}

/**
 * UUID v7 (RFC 9562) from the `uuid` package: 48-bit Unix milliseconds, then a 31-bit counter that starts
 * at a random value each millisecond and counts up within it (method 1 of §6.2; the millisecond field
 * moves on if it ever wraps, and stays put when the clock steps back), then 42 random bits. Ids made later
 * in this process compare greater, as strings too (lowercase hex in byte order).
 */
export const timeOrderedId: IdGenerator = () => v7();
