// Rule: passwords are stored only as salted scrypt hashes and compared in constant time.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  keylen: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;
const R = 8,
  P = 1,
  KEYLEN = 32;
const PRODUCTION_N = 16384;
let N = PRODUCTION_N;

/**
 * Test suites only: new hashes use a cheaper scrypt cost (verification always reads the cost from the
 * stored hash, so both kinds verify). Refused in production. Called by test/helpers/build.ts; `false` goes back
 * to the production cost (for the test of that cost, which shares its process with other test files).
 */
export function useCheapPasswordHashesForTests(cheap = true): void {
  if (cheap && process.env.NODE_ENV === 'production') {
    throw new Error('cheap password hashes are for test suites only');
  }
  N = cheap ? 1024 : PRODUCTION_N;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64url');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(saltB64, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash for a password nobody knows: verifying against it costs the same as a real one. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummy;
}
