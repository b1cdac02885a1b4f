// Identifiers that appear in URLs are random (UUID v4), never sequential.
// Ledger rows (transactions, postings) that are only ever found through other keys use time-ordered
// UUID v7 ids instead (timeOrderedId): each new row goes at the right-hand end of its primary-key index
// rather than on a random page of it, so a write batch dirties a few index pages instead of one per row
// (on SQLite every dirty page is written to the WAL at commit). v7 still carries 74 random bits.
import crypto from 'node:crypto';

export type IdGenerator = () => string;
export const randomId: IdGenerator = () => crypto.randomUUID();
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
}

const pool = Buffer.alloc(16 * 256);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

/**
 * UUID v7 (RFC 9562): 48-bit Unix milliseconds, version 7, a 12-bit counter (rand_a, method 1 of §6.2:
 * a random start each millisecond, +1 for each further id in it), variant 10, 62 random bits. Ids made
 * later in this process compare greater, as strings too (lowercase hex in byte order).
 */
export const timeOrderedId: IdGenerator = () => {
  if (poolAt === pool.length) {
    crypto.randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = ((b[6]! << 8) | b[7]!) & 0x7ff; // start in the lower half: room for 2,048 more in this ms
  } else if (++counter > 0xfff) {
    lastMs += 1; // counter exhausted (or the clock went back): borrow the next millisecond
    counter = 0;
  }
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
