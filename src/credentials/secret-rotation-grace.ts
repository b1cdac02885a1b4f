// Rule: creating a client secret while others are active rotates them out: each older active secret keeps
// working for ROTATION_GRACE_DAYS more (or until its own earlier expiry) and then stops, together with every
// access token minted with it (the token guard checks the minting secret). Deleting a secret ends it and its
// tokens at once.
export const ROTATION_GRACE_DAYS = 7;
const DAY_MS = 86_400_000;

/** The expiry a rotated-out secret gets: now + the grace period, unless it already expires sooner. */
export function rotatedOutExpiry(currentExpiry: string | null, now: Date): string {
  const graceEnd = new Date(now.getTime() + ROTATION_GRACE_DAYS * DAY_MS).toISOString();
  return currentExpiry !== null && currentExpiry < graceEnd ? currentExpiry : graceEnd;
}
