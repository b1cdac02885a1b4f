// Rule: a token shown back on a portal page (the console's "exact request", the kept-token line) is its
// first 12 characters and "…": enough to tell tokens apart, not enough to use one.
export function maskToken(token: string): string {
  return token.length <= 12 ? '…' : `${token.slice(0, 12)}…`;
}
