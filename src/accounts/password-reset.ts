// Rule: a password reset never tells whether an address has an account. Every valid request gets the same
// answer ("check your e-mail"); only an active account's address is sent a link. The link carries a one-time
// token stored only as its SHA-256 (looked up by hash, compared in constant time), valid
// PASSWORD_RESET_TTL_MS; using it sets a new password (the sign-up rules), ends every session of the user,
// revokes their API tokens (the `endAccess` step) and uses up every other open link of theirs. A deactivated
// account is sent nothing and its links stop working. Requests are counted per address and per client IP
// over the sign-in throttle's window (sign-in-throttle.ts): past the limit the answer is the same, and no
// e-mail is sent, so nobody can flood an inbox through the form.
import { THROTTLE_WINDOW_MS, MAX_FAILURES_PER_IP } from './sign-in-throttle';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
export const RESET_REQUEST_WINDOW_MS = THROTTLE_WINDOW_MS;
export const MAX_RESET_REQUESTS_PER_ADDRESS = 3;
const MAX_RESET_REQUESTS_PER_IP = MAX_FAILURES_PER_IP;

/** Whether one more reset e-mail may be sent, given the requests already counted within the window. */
export function resetRequestAllowed(c: { address: number; ip: number }): boolean {
  return c.address < MAX_RESET_REQUESTS_PER_ADDRESS && c.ip < MAX_RESET_REQUESTS_PER_IP;
}
