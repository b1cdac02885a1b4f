// Rule: the callback catcher accepts only a `state` the portal generated for THIS session (the "make your
// first call" panel's authorize link): 32 random alphanumerics, at most MAX_PENDING_STATES kept per
// session (the oldest dropped), each valid for STATE_TTL_MS and consumed by the code exchange. A state
// the session never saw is refused (a forged or replayed redirect, or a link opened in another browser).
import crypto from 'node:crypto';

const STATE_LENGTH = 32;
const MAX_PENDING_STATES = 5;
const STATE_TTL_MS = 30 * 60 * 1000;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface PendingState {
  state: string;
  at: number;
}
interface SessionLike {
  sandboxStates?: unknown;
  [key: string]: unknown;
}

function newState(): string {
  let s = '';
  for (let i = 0; i < STATE_LENGTH; i++) s += ALNUM[crypto.randomInt(ALNUM.length)];
  return s;
}

function pending(session: SessionLike, nowMs: number): PendingState[] {
  const raw = Array.isArray(session.sandboxStates) ? (session.sandboxStates as PendingState[]) : [];
  return raw.filter((p) => p && typeof p.state === 'string' && typeof p.at === 'number' && nowMs - p.at < STATE_TTL_MS);
}

/**
 * The state for the authorize link on the page being rendered: the newest one still pending (so reloading
 * the page keeps the link the developer may already have opened), or a fresh one remembered in the session.
 */
export function stateForLink(session: SessionLike, nowMs: number): string {
  const have = pending(session, nowMs);
  if (have.length) return have[have.length - 1]!.state;
  const state = newState();
  session.sandboxStates = [...pending(session, nowMs), { state, at: nowMs }].slice(-MAX_PENDING_STATES);
  return state;
}

/** True when the session generated this state and it has not expired or been used. */
export function isKnownState(session: SessionLike, state: unknown, nowMs: number): boolean {
  if (typeof state !== 'string' || state.length !== STATE_LENGTH) return false;
  const given = Buffer.from(state);
  return pending(session, nowMs).some(
    (p) => p.state.length === state.length && crypto.timingSafeEqual(Buffer.from(p.state), given),
  );
}

/** Uses the state up (the code exchange): it is never accepted again. */
export function consumeState(session: SessionLike, state: string, nowMs: number): void {
  session.sandboxStates = pending(session, nowMs).filter((p) => p.state !== state);
}
