// Which content coding a client takes (RFC 9110 Accept-Encoding, with q-values), through @fastify/accept-negotiator.
// Its answers are remembered for the first MAX_REMEMBERED distinct headers only: browsers send a handful of
// different values, and a client inventing a new header per request must not grow this process's memory.
import { Negotiator } from '@fastify/accept-negotiator';

const MAX_REMEMBERED = 64;
/** A header longer than any browser sends is answered with identity, without parsing it. */
const MAX_HEADER_LENGTH = 200;

class BoundedMemo {
  private readonly answers = new Map<string, string>();
  has(key: string): boolean {
    return this.answers.has(key);
  }
  get(key: string): string | undefined {
    return this.answers.get(key);
  }
  set(key: string, value: string): this {
    if (this.answers.size < MAX_REMEMBERED) this.answers.set(key, value);
    return this;
  }
}

/**
 * A function answering, for a request's Accept-Encoding, the first of `supported` the client prefers, or null when
 * it takes none of them (no header at all means identity; list 'identity' last to let a client ask for it).
 */
export function encodingNegotiator<K extends string>(
  supported: K[],
): (header: string | string[] | undefined) => K | null {
  const negotiator = new Negotiator<K>({ supportedValues: supported, cache: new BoundedMemo() });
  return (header) => {
    const value = Array.isArray(header) ? header.join(', ') : header;
    if (!value || value.length > MAX_HEADER_LENGTH) return null;
    return negotiator.negotiate(value);
  };
}
