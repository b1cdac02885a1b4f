// Rule: a session is saved when, and only when, what the store would write for it changed during the request.
//
// @fastify/session decides "changed" by hashing the session twice per request (when it is loaded and before the
// answer is sent): a key-sorted serialization (safe-stable-stringify) fed to SHA-256, about a tenth of the main
// thread's time on a signed-in page that writes nothing. This replaces that fingerprint with the session's own
// JSON text, without `cookie` (as before) and compared as text: JSON.stringify is what KnexSessionStore writes,
// so two equal texts mean nothing to write, and any change of a stored value changes the text. Key order is
// insertion order, not sorted; a key deleted and added again may read as a change: one extra save, never a
// missed one.
//
// It relies on @fastify/session's Session class keeping its fingerprint in a prototype method under a private
// symbol named `hash` (verified against the version in VERIFIED_AGAINST; src/library-patches.ts lists every
// such patch, and test/architecture/library-patches.test.ts fails on any other installed version until this is
// re-verified); installing fails loudly if that method is not found, and test/http/session-writes.test.ts checks
// both directions (no write when unchanged, a change is saved).
export const VERIFIED_AGAINST = { '@fastify/session': '11.1.3' } as const;

const Session = require('@fastify/session/lib/session') as { prototype: Record<symbol, unknown> };

let installed = false;

export function installCheapSessionChangeCheck(): void {
  if (installed) return;
  const proto = Session.prototype;
  const hash = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'hash');
  if (!hash || typeof proto[hash] !== 'function')
    throw new Error(
      '@fastify/session changed: its Session has no hash method to replace (src/http/session-change-check.ts)',
    );
  proto[hash] = sessionText;
  installed = true;
}

/** The session's fields as JSON text, `cookie` left out (its expiry is stored and sent on its own). */
function sessionText(this: Record<string, unknown>): string {
  let text = '';
  for (const key in this) {
    if (key === 'cookie') continue;
    const value = JSON.stringify(this[key]);
    // undefined (and functions) are left out, as JSON.stringify of the whole session leaves them out.
    if (value !== undefined) text += `${JSON.stringify(key)}:${value},`;
  }
  return text;
}
