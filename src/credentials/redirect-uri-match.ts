// Rule: a redirect_uri is accepted only when it equals one of the organization's registered callback
// URLs exactly, character for character (no normalisation, no prefix, wildcard or case-folding match).
export function isRegisteredRedirectUri(registered: readonly string[], candidate: unknown): candidate is string {
  if (typeof candidate !== 'string' || candidate.length === 0) return false;
  return registered.some((url) => url === candidate);
}
