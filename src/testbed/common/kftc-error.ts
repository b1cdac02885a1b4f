// The KFTC error vocabulary. The emulator's error handler turns a KftcError into an HTTP 200 answer
// in the KFTC envelope: O-codes carry only rsp_code + rsp_message; A-codes carry the envelope plus
// `extra` (request fields echoed where possible).

/**
 * Every rsp_code the emulator answers, with its rsp_message spelled as in the reference (§6). The codes are
 * a type (KftcRspCode): an error raised with a code not listed here does not compile.
 */
const RSP_MESSAGES = {
  A0000: '',
  A0001: '처리중',
  A0002: '참가기관 에러',
  A0003: '내부 처리 에러',
  A0004: '요청전문 포맷 에러',
  A0005: '등록 데이터 에러',
  A0007: '처리시간 초과',
  A0008: '중복거래',
  A0009: '세부업무 처리실패',
  A0010: '이용기관 APP 정보 확인 실패',
  A0011: '이용기관 API 사용권한 없음',
  A0013: '이용기관 서비스 사용 불가',
  A0014: '탈퇴 회원',
  A0015: '시뮬레이션 응답 없음',
  A0018: '거래내역 없음',
  A0020: '조회 가능시간 아님',
  A0101: '이용기관 입금이체 일 한도 초과',
  A0102: '이용기관 입금이체 월 한도 초과',
  A0103: '이용기관 출금이체 일 한도 초과',
  A0104: '이용기관 출금이체 월 한도 초과',
  A0111: '사용자 출금이체 건당 한도 초과',
  A0112: '사용자 출금이체 일 한도 초과',
  A0301: '접근 권한 없음',
  A0304: '핀테크이용번호 정보 불일치',
  A0305: '제3자정보제공동의 미완료',
  A0306: '출금동의 미완료',
  A0307: '이체암호문구 불일치',
  A0310: '이체 내역 없음',
  A0312: '예금주명 불일치',
  A0313: '사용자 불일치',
  A0316: '제3자제공동의 만료',
  A0317: '미등록 수취계좌',
  A0319: '출금동의 만료',
  A0322: '미등록 이용기관 약정 계좌',
  A0323: '이용기관에 등록된 사용자 계좌 아님',
  A0324: '기등록된 조회 서비스',
  A0325: '기등록된 출금 서비스',
  A0326: '거래고유번호 중복',
  A0337: '해당 사용자 없음',
  O0001: '인증 파라미터 오류',
  O0002: 'Access Token 거부',
  O0003: 'Access Token 만료',
  O0004: 'API 접근권한 없음',
  O0005: '허용되지 않은 API',
  O0006: '허용되지 않은 IP',
  O0008: '사용량 한도 초과',
  O0009: '사용량 한도 초과',
  O0010: '허용되지 않은 http method',
  O0011: '허용되지 않은 Scope 입니다.',
} as const;
export type KftcRspCode = keyof typeof RSP_MESSAGES;

/** rsp_message by rsp_code, also for a code read back as text (request log, usage pages): '' or undefined. */
export const messages: Readonly<Record<string, string>> = RSP_MESSAGES;

/** The reference message of a code the emulator answers. */
export function rspMessage(code: KftcRspCode): string {
  return RSP_MESSAGES[code];
}

/** Every bank_rsp_code the emulator answers, with its bank_rsp_message (§6); the codes are a type too. */
const BANK_RSP_MESSAGES = {
  '000': '정상',
  '412': '해당계좌 없음',
  '415': '해약 계좌',
  '419': '사고신고 계좌',
  '420': '거래중지 계좌',
  '452': '비밀번호 입력횟수 초과',
  '453': '예금잔액 부족',
  '454': '출금가능잔액 부족',
  '455': '건별 이체한도 초과',
  '456': '일일 이체한도 초과',
  '461': '의뢰인 성명 오류',
  '464': '사용자 등록정보 이상',
  '467': '장기미사용계좌',
  '468': '제3자정보제공(재)동의 만료',
  '471': '전자금융거래 제한계좌',
  '490': '오픈뱅킹 안심차단 중인 사용자',
  '499': '기타 처리불가',
  '551': '기 해지 사용자',
  '555': '해당 사용자 없음',
  '556': '사용자 미등록',
  '815': '예금주명 불일치',
} as const;
export type BankRspCode = keyof typeof BANK_RSP_MESSAGES;

/** bank_rsp_message by bank_rsp_code, also for a code read back as text. */
export const bankMessages: Readonly<Record<string, string>> = BANK_RSP_MESSAGES;

/** The reference message of a bank code the emulator answers. */
export function bankRspMessage(code: BankRspCode): string {
  return BANK_RSP_MESSAGES[code];
}

export class KftcError extends Error {
  readonly rspMessage: string;
  readonly rspCode: KftcRspCode;
  readonly extra: Record<string, unknown>;
  constructor(rspCode: KftcRspCode, rspMessage: string, extra: Record<string, unknown> = {}) {
    // An answer, not a fault: no stack trace (capturing one costs more than the rest of a refusal).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${rspCode} ${rspMessage}`);
    Error.stackTraceLimit = limit;
    this.name = 'KftcError';
    this.rspCode = rspCode;
    this.rspMessage = rspMessage;
    this.extra = extra;
  }
  get isGatewayError(): boolean {
    return this.rspCode.startsWith('O');
  }
}

/** `O0001 인증 파라미터 오류([3000103])` — the gateway's parameter error with its detail number. */
export function authParamError(detail: string): KftcError {
  return new KftcError('O0001', `${messages.O0001}([${detail}])`);
}

/** A KftcError with the reference message for the code, optionally with a detail appended. */
export function kftcError(rspCode: KftcRspCode, detail?: string, extra?: Record<string, unknown>): KftcError {
  const base = RSP_MESSAGES[rspCode];
  return new KftcError(rspCode, detail ? `${base} - ${detail}` : base, extra);
}
