// Rule: failed sign-ins slow down only the client that makes them. Failures are counted per (account,
// client IP): the first FREE_FAILURES cost nothing, then each further attempt from that pair must wait a
// delay that doubles (1 s, 2 s, 4 s … up to 15 minutes). One client IP failing for any accounts more than
// MAX_FAILURES_PER_IP times in the window is refused altogether. Nothing counts against the account as a
// whole, so the right password from a client that has not itself been failing is never refused: an
// anonymous client cannot lock the reviewer or the contract officer out.
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
const FREE_FAILURES = 3;
const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_IP = 20;

/** How long the pair must wait after its `failures`-th failure within the window. */
export function delayAfterFailures(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const exponent = Math.min(failures - FREE_FAILURES, 30);
  return Math.min(FIRST_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
}

export interface FailureCounts {
  /** Failures of this (account, IP) pair within the window, and the time of the last one (ms). */
  pairFailures: number;
  pairLastAt: number | null;
  /** Failures from this IP, for any account, within the window, and the time of the last one (ms). */
  ipFailures: number;
  ipLastAt: number | null;
}

export type ThrottleVerdict = { throttled: false } | { throttled: true; scope: 'account_ip' | 'ip'; until: number };

export function throttleVerdict(c: FailureCounts, now: number): ThrottleVerdict {
  if (c.ipFailures >= MAX_FAILURES_PER_IP && c.ipLastAt !== null) {
    const until = c.ipLastAt + THROTTLE_WINDOW_MS;
    if (now < until) return { throttled: true, scope: 'ip', until };
  }
  if (c.pairLastAt !== null) {
    const until = c.pairLastAt + delayAfterFailures(c.pairFailures);
    if (now < until) return { throttled: true, scope: 'account_ip', until };
  }
  return { throttled: false };
}
