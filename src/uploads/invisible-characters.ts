// Rule: a file name shown to anyone or sent in a download carries no invisible or reordering characters:
// Unicode format characters (category Cf: the bidi overrides and isolates U+202A–U+202E and U+2066–U+2069,
// the marks U+200E/U+200F/U+061C, zero-width characters, soft hyphen, BOM…), controls (Cc) and line or
// paragraph separators. "report\u202Efdp.exe" would otherwise display as "reportexe.pdf". Stripped on upload
// and again on display, so names stored before this rule are shown safely too.
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}]/gu;

export function stripInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE, '');
}
