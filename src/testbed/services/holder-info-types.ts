// Rule: inquiry/real_name's account_holder_info_type and the form of account_holder_info each type needs.
/**
 * account_holder_info_type as KFTC's sample app offers it: " " 생년월일, 1 주민등록번호, 2 외국인등록번호,
 * 3 국내거소신고번호, 4 조합주민번호, 5 여권번호, 6 사업자등록번호, E 기타, N 미입력; "0" (birth date in
 * older material) is kept. A missing type is " ". `check` is what the emulator can verify against the
 * holder it knows: a birth date (YYMMDD), the birth date that opens a resident number, a business number;
 * other types are not checked [inferred].
 */
export const HOLDER_INFO_TYPES: Readonly<
  Record<
    string,
    { pattern: RegExp; hint: string; check?: (info: string) => { kind: 'birth' | 'business'; value: string } }
  >
> = {
  ' ': { pattern: /^\d{6}$/, hint: '생년월일 6자리 (YYMMDD)', check: (i) => ({ kind: 'birth', value: i }) },
  '0': { pattern: /^\d{6}$/, hint: '생년월일 6자리 (YYMMDD)', check: (i) => ({ kind: 'birth', value: i }) },
  '1': { pattern: /^\d{13}$/, hint: '주민등록번호 13자리', check: (i) => ({ kind: 'birth', value: i.slice(0, 6) }) },
  '2': { pattern: /^\d{13}$/, hint: '외국인등록번호 13자리' },
  '3': { pattern: /^\d{13}$/, hint: '국내거소신고번호 13자리' },
  '4': { pattern: /^\d{13}$/, hint: '조합주민번호 13자리' },
  '5': { pattern: /^[0-9A-Za-z]{5,13}$/, hint: '여권번호 (영숫자)' },
  '6': { pattern: /^\d{10}$/, hint: '사업자등록번호 10자리', check: (i) => ({ kind: 'business', value: i }) },
  E: { pattern: /^.{0,20}$/, hint: '최대 20자' },
  N: { pattern: /^.{0,20}$/, hint: '미입력' },
};
export const ACCOUNT_HOLDER_INFO_TYPES = Object.keys(HOLDER_INFO_TYPES);
