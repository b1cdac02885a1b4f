// Rule: an electronic signature counts only when the typed full name is the signer's account name
// (ignoring case, surrounding spaces and repeated inner spaces; Unicode-normalised so Hangul typed either way matches).
function normaliseName(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

export function signatureNameMatches(typed: string, accountName: string): boolean {
  const a = normaliseName(typed);
  return a.length > 0 && a === normaliseName(accountName);
}
