// Rule: contact phone numbers are Korean landline (02, 031–064), mobile (010, 011, 016–019), 070/050x
// or 15xx/16xx/18xx numbers; spaces, hyphens, dots, brackets and a +82 prefix are accepted and the
// number is stored in the usual hyphenated form (02-123-4567, 010-1234-5678, 1588-1234).

const AREA_CODES = new Set([
  '031',
  '032',
  '033',
  '041',
  '042',
  '043',
  '044',
  '051',
  '052',
  '053',
  '054',
  '055',
  '061',
  '062',
  '063',
  '064',
]);

function split(digits: string, prefixLen: number): string | null {
  const rest = digits.slice(prefixLen);
  if (rest.length !== 7 && rest.length !== 8) return null;
  const mid = rest.length - 4;
  return `${digits.slice(0, prefixLen)}-${rest.slice(0, mid)}-${rest.slice(mid)}`;
}

/** The normalized number, or null when it is not a Korean phone number. */
export function normalizeKoreanPhoneNumber(input: string): string | null {
  let s = input.trim().replace(/[\s\-.()]/g, '');
  if (s.startsWith('+82')) s = `0${s.slice(3).replace(/^0/, '')}`;
  else if (s.startsWith('0082')) s = `0${s.slice(4).replace(/^0/, '')}`;
  if (!/^\d{8,11}$/.test(s)) return null;
  if (/^1[568]\d{6}$/.test(s)) return `${s.slice(0, 4)}-${s.slice(4)}`;
  if (s.startsWith('02')) return split(s, 2);
  const p3 = s.slice(0, 3);
  if (AREA_CODES.has(p3) || p3 === '070') return split(s, 3);
  if (/^01[016789]$/.test(p3)) return split(s, 3);
  if (/^050\d$/.test(s.slice(0, 4))) {
    const rest = s.slice(4);
    return rest.length === 7 || rest.length === 8 ? split(s, 4) : null;
  }
  return null;
}
