// Participating banks (bank_code_std → name) as published by KFTC; 097 is the test-bed bank.
export const BANK_NAMES: Readonly<Record<string, string>> = {
  '002': '산업은행',
  '003': '기업은행',
  '004': '국민은행',
  '007': '수협은행',
  '011': '농협은행',
  '012': '지역농축협',
  '020': '우리은행',
  '023': 'SC제일은행',
  '027': '한국씨티은행',
  '031': '아이엠뱅크',
  '032': '부산은행',
  '034': '광주은행',
  '035': '제주은행',
  '037': '전북은행',
  '039': '경남은행',
  '045': '새마을금고',
  '048': '신협',
  '050': '저축은행',
  '064': '산림조합',
  '071': '우체국',
  '081': '하나은행',
  '088': '신한은행',
  '089': '케이뱅크',
  '090': '카카오뱅크',
  '092': '토스뱅크',
  '097': '오픈은행',
};

export function isKnownBank(code: string): boolean {
  return Object.hasOwn(BANK_NAMES, code);
}

export function bankName(code: string): string {
  return BANK_NAMES[code] ?? '';
}

/** bank_code_sub: bank code + 4-digit branch; every emulated account lives at branch 0001. */
export function bankCodeSub(code: string): string {
  return `${code}0001`;
}

export function branchName(code: string): string {
  return `${bankName(code) || '오픈은행'} 본점`;
}

/** account_num_masked: the last three digits masked. */
export function maskAccountNum(accountNum: string): string {
  return accountNum.length <= 3 ? '***' : `${accountNum.slice(0, -3)}***`;
}

// bank/status bank_type [inferred: the public material names the field, not its values]: 1 bank,
// 2 mutual-finance and other deposit-taking institutions (지역농축협, 새마을금고, 신협, 저축은행, 산림조합, 우체국).
const NON_BANK_CODES = new Set(['012', '045', '048', '050', '064', '071']);
export function bankType(code: string): string {
  return NON_BANK_CODES.has(code) ? '2' : '1';
}
