// Rule: a session cookie is accepted only with a valid HMAC-SHA256 signature of its session id under the
// session secret (@fastify/cookie's Signer, the same format @fastify/session uses on its own); the HMAC is
// computed once per cookie value and remembered, not on every request.
//
// Why remembering is safe: a signature is a pure function of the value and the secret, so a value that
// verified once verifies forever under the same secret (the signer is built per app, per secret). Only values
// that verified, or that this signer signed, are remembered; a forged or tampered cookie is never a hit and
// always goes through the HMAC and its constant-time compare. Both maps are bounded (the oldest entry goes
// first), so a flood of new sessions costs memory only up to the bound.
import { Signer } from '@fastify/cookie';

type UnsignResult = ReturnType<Signer['unsign']>;

/** How many session ids (and their signed cookie values) are remembered. */
const REMEMBERED = 10_000;

function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= REMEMBERED) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

export function rememberingSigner(secret: string): {
  sign(value: string): string;
  unsign(input: string): UnsignResult;
} {
  if (secret.length < 32) throw new Error('the session secret must have length 32 or greater');
  const signer = new Signer(secret, 'sha256');
  const signedById = new Map<string, string>();
  const idBySigned = new Map<string, string>();
  return {
    sign(value) {
      const known = signedById.get(value);
      if (known !== undefined) return known;
      const signed = signer.sign(value);
      remember(signedById, value, signed);
      remember(idBySigned, signed, value);
      return signed;
    },
    unsign(input) {
      const known = idBySigned.get(input);
      if (known !== undefined) return { valid: true, renew: false, value: known };
      const result = signer.unsign(input);
      if (result.valid) {
        remember(idBySigned, input, result.value);
        remember(signedById, result.value, input);
      }
      return result;
    },
  };
}
