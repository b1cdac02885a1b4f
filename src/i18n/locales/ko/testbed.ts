import reference from './testbed-reference';

export default {
  ...reference,
  docs: {
    group: {
      oauth: 'OAuth 2.0과 샌드박스 바로가기',
      management: '사용자·계좌 관리 (scope login)',
      services: '서비스 API',
    },
    request_kind: {
      query: '쿼리 문자열',
      form: '폼 (application/x-www-form-urlencoded)',
      json: 'JSON 본문',
      browser: '브라우저 리다이렉트',
    },
    covers: '인증 화면 단계:',
    field: '필드',
    type: '형식',
    length: '길이',
    required_col: '필수',
    meaning: '설명',
    headers: '요청 헤더',
    codes: '응답할 수 있는 코드',
    example: '예시',
    example_note:
      '데모 데이터로 에뮬레이터를 실제로 호출해 기록한 예시입니다 (api_tran_id, 토큰 같은 바뀌는 값은 자리표시자). 에뮬레이터의 응답이 달라지면 테스트가 실패합니다.',
    example_request: '요청 예시',
    example_response: '응답 예시',
    codes_title: '응답코드',
    codes_lead: '모든 rsp_code(A·O 코드)와 bank_rsp_code, 그리고 그 코드로 응답할 수 있는 API.',
    code_filter: '코드나 낱말 찾기',
    code_filter_submit: '찾기',
    code_filter_clear: '모든 코드 보기',
    code: '코드',
    code_kind: '구분',
    code_kinds: { rsp: 'rsp_code', bank: 'bank_rsp_code' },
    answered_by: '응답하는 API',
    code_none: '“{filter}”에 맞는 코드가 없습니다.',
    title: '테스트베드 API 문서',
    lead: '이 에뮬레이터는 금융결제원 오픈뱅킹 테스트베드와 같은 경로·필드·응답코드로 응답합니다. 호스트만 바꾸면 실제 API용 코드가 그대로 동작합니다.',
    openapi: 'OpenAPI 3 문서 (JSON)',
    apis_title: '서비스 API',
    method: '메서드',
    path: '경로',
    scope: 'scope',
    name: 'API',
    fields: '요청 필드',
    required: '필수',
    optional: '선택',
    response: '응답 필드',
    inferred: '추정',
    inferred_note: '“추정” 표시는 공개 자료에 정확한 동작이 없어 에뮬레이터가 합리적으로 정한 부분입니다.',
    rules_title: '공통 규칙',
    rule_http200:
      '오류도 HTTP 200으로 응답하며 rsp_code로 구분합니다(A0000 성공). 입금이체·이체결과조회에서 A0009는 각 res_list 항목의 bank_rsp_code를 확인하라는 뜻입니다.',
    rule_bank_tran_id:
      'bank_tran_id는 정확히 20자리, 이용기관코드(10자리) + U + 영숫자 9자리이며, 이용기관·일자별로 한 번만 쓸 수 있습니다(조회 포함). 중복 시 A0326이고 돈은 두 번 움직이지 않습니다. 원거래 결과는 이체결과조회로 확인합니다.',
    rule_unknown:
      '알 수 없는 필드는 실패시키지 않고 X-Testbed-Warning 응답 헤더와 요청 기록(/sandbox/requests)으로 알려 줍니다. 형식 오류는 필드 이름을 담은 A0004입니다.',
    rule_limits:
      '샌드박스 한도: 사용자 출금 건당 {per}원(A0111/455), 일 {daily}원(A0112/456), 이용기관 출금 일 {orgDaily}원(A0103)·월 {orgMonthly}원(A0104), 입금 일 {dpDaily}원(A0101)·월 {dpMonthly}원(A0102).',
    rule_refusal:
      '은행이 거절한 이체(잔액부족, 한도초과, 계좌상태 등)는 돈을 움직이지 않고 결과만 기록하므로 이체결과조회가 원래 결과를 보여 줍니다. 형식·권한·동의 오류는 아무것도 기록하지 않습니다.',
    rule_cursor:
      '페이지: 다음 페이지는 befor_inquiry_trace_info 를 받은 그대로 보내세요 (transaction_list, remit_list). 에뮬레이터가 발급하지 않은 값 — "", "123" (KFTC 샘플 앱 기본값), "1T201806172" — 은 오류가 아니라 첫 페이지입니다.',
    choices_title: '에뮬레이터가 너그러운 곳과 엄격한 곳',
    choices_lead:
      '공개 클라이언트 코드에는 실제 테스트베드가 받아주는지 공개 자료로 확인되지 않는 습관이 있습니다. 선택과 근거:',
    choice_bank_tran_id:
      'bank_tran_id 는 엄격합니다: 정확히 20자리 (이용기관코드 + U + 영숫자 9자리, 0으로 채움). KFTC 규격이 AN(20)이고 중복 검사는 id 단위입니다. 한 공개 클라이언트는 0을 채우지 않아 약 10번에 1번 19–21자리를 만듭니다. A0004 응답은 받은 길이와 귀 기관 형식의 예 (예: M202600001U000000042)를 알려줍니다.',
    choice_pass_phrase:
      'wd_pass_phrase 는 너그럽습니다: 샌드박스에서는 어떤 값이든 받습니다 (KFTC 샘플은 "NONE"; 공개 클라이언트는 자체 값을 보내며 테스트베드가 거절한 근거는 없습니다). A0307 을 받으려면 "#A0307" 을 보내세요.',
    choice_holder_info:
      'account_holder_info_type 은 KFTC 샘플의 " ", 1–6, E, N (그리고 "0")을 받고, 없으면 " " 입니다. 생년월일 (" ", 0), 주민등록번호 (1, 앞 6자리 생년월일), 사업자등록번호 (6)는 예금주와 대조하고, 나머지 유형은 대조하지 않습니다 (추정).',
    scenarios_title: '시나리오 트리거',
    scenarios_lead: '아래 입력을 보내면 에뮬레이터가 해당 오류로 응답합니다.',
    trigger: '트리거',
    applies_to: '적용 API',
    result: '결과',
    trigger_kind: {
      amount: '금액',
      account: '계좌',
      marker: '적요 표시',
      bank_code: '은행코드',
      natural: '실제 조건',
      clock: '시간 경과',
      field: '필드 값',
    },
    accounts_title: '시나리오 계좌 (097 오픈은행)',
  },
  scenario: {
    'insufficient-funds': { title: '잔액 부족', note: 'tran_amt=4530이면 잔액과 관계없이 예금잔액 부족(453)입니다.' },
    'insufficient-available': { title: '출금가능잔액 부족', note: 'tran_amt=4540이면 출금가능잔액 부족(454)입니다.' },
    'balance-too-low': { title: '실제 잔액 부족', note: '잔액보다 큰 금액은 실제 원장에 따라 453으로 거절됩니다.' },
    'closed-account': {
      title: '해약 계좌',
      note: '이 계좌로 실명조회·수취조회하면 A0002/415, 입금이체하면 A0009에 항목 bank_rsp_code 415입니다.',
    },
    'closed-account-marker': {
      title: '해약 계좌 (적요)',
      note: '적요에 #415를 넣으면 해당 계좌가 해약된 것처럼 거절됩니다.',
    },
    'accident-account': {
      title: '사고신고 계좌',
      note: '이 계좌는 사고신고(419) 상태입니다 (입금이체는 A0009 + 항목 419).',
    },
    'accident-account-marker': { title: '사고신고 계좌 (적요)', note: '적요에 #419를 넣으면 419로 거절됩니다.' },
    'suspended-account': {
      title: '거래중지 계좌',
      note: '이 계좌는 거래중지(420) 상태입니다 (입금이체는 A0009 + 항목 420).',
    },
    'suspended-account-marker': { title: '거래중지 계좌 (적요)', note: '적요에 #420을 넣으면 420으로 거절됩니다.' },
    'bank-maintenance': {
      title: '은행 점검중',
      note: '064(산림조합)는 항상 점검중입니다: bank/status에서 N이고 이 은행 계좌 거래는 A0002/499입니다.',
    },
    'timeout-processing': {
      title: '응답 지연 후 처리',
      note: 'tran_amt=7001이면 이체는 처리되지만 응답은 A0001(처리중)입니다. 이체결과조회는 10초 동안 처리중, 그 뒤 원래 결과(성공)를 보여 줍니다.',
    },
    'name-mismatch': {
      title: '예금주명 불일치',
      note: 'acnt_num 입금에서 account_holder_name이 실제 예금주와 다르면 항목이 815로 실패합니다(name_check_option=off이면 검사 안 함).',
    },
    'per-transfer-limit': { title: '건당 한도 초과', note: '1,000,000원을 넘는 출금은 A0111(455)입니다.' },
    'daily-limit': { title: '일 한도 초과', note: '사용자의 오늘 출금 합계가 5,000,000원을 넘으면 A0112(456)입니다.' },
    'org-daily-limit': {
      title: '이용기관 일 한도 초과',
      note: '적요에 #A0103을 넣으면 이용기관 출금 일 한도 초과로 거절됩니다.',
    },
    'org-monthly-limit': {
      title: '이용기관 월 한도 초과',
      note: '적요에 #A0104를 넣으면 이용기관 출금 월 한도 초과로 거절됩니다.',
    },
    'transfer-consent-expired': {
      title: '출금동의 만료',
      note: '적요에 #A0319를 넣으면 출금동의가 만료된 것처럼 거절됩니다.',
    },
    'consent-expired-clock': {
      title: '동의 만료 (실제)',
      note: '조회·출금 동의는 1년 뒤 만료되어 A0316 / A0319가 됩니다.',
    },
    'pass-phrase-refused': {
      title: '암호문구 거절',
      note: 'wd_pass_phrase "#A0307" 은 A0307 (그 밖의 값은 샌드박스에서 모두 허용).',
    },
    'return-returned': {
      title: '자금반환: 전액 반환',
      note: '수취인에게 돈이 남아 있으면 반환청구는 즉시 전액 반환됩니다: return/result 는 return_yn Y, total_return_yn Y.',
    },
    'return-partial': {
      title: '자금반환: 일부 반환',
      note: 'claim_message 에 #RTN_PARTIAL: 금액의 절반이 반환됩니다 (return_yn Y, total_return_yn N, return_amt 절반).',
    },
    'return-refused': {
      title: '자금반환: 수취인 거부',
      note: 'claim_message 에 #RTN_REFUSED: 돈은 움직이지 않고 return/result 는 return_yn N, return_fail_code 499. 다시 청구할 수 있습니다.',
    },
    'return-no-funds': {
      title: '자금반환: 수취인 잔액 부족',
      note: '수취계좌 잔액이 금액보다 적으면 돈은 움직이지 않고 return/result 는 return_yn N, return_fail_code 453.',
    },
    'fds-marker': {
      title: 'FDS 탐지 (요청 시)',
      note: '출금 적요에 #FDS (출금은 정상 처리): inquiry/fds_detect 가 policy_rule FDS99 로 보고합니다.',
    },
    'fds-rapid-withdrawals': {
      title: 'FDS: 단시간 다수 출금',
      note: '한 계좌에서 10분 안에 출금 5건: 다섯 번째에 탐지 1건, policy_rule FDS01.',
    },
    'fds-just-under-limit': {
      title: 'FDS: 한도 직전 금액',
      note: '건당 한도의 95–100 % 출금 (950,000–1,000,000원): policy_rule FDS02.',
    },
  },
  ledger: {
    title: '샌드박스 계좌와 잔액',
    lead: '우리 기관의 약정계좌와 테스트 사용자 계좌입니다. 잔액은 실제 원장에서 움직이며, 충전과 초기화도 원장 거래로 기록됩니다(삭제하지 않음).',
    bank: '은행',
    account_num: '계좌번호',
    holder: '예금주',
    purpose: '용도',
    status: '상태',
    balance: '잔액',
    opening_balance: '초기 잔액',
    none: '아직 계좌가 없습니다. 샌드박스 자격증명이 발급되면 약정계좌와 테스트 사용자 계좌가 생깁니다.',
    purposes: {
      personal: '개인',
      deposit_paying: '입금이체 지급계좌',
      withdraw_collecting: '출금이체 모계좌',
      fee: '수수료계좌',
      system: '시스템',
    },
    statuses: { active: '정상', closed: '해약', suspended: '거래중지', accident: '사고신고' },
    top_up_title: '테스트 계좌 충전',
    account: '계좌',
    choose_account: '계좌를 고르세요',
    amount: '금액(원)',
    amount_hint: '최대 100,000,000원',
    top_up: '충전하기',
    topped_up: '{account} 계좌에 {amount}원을 충전했습니다.',
    reset_title: '샌드박스 초기화',
    reset_lead:
      '모든 계좌를 처음 잔액과 상태로 되돌리고 오늘의 이체 한도 사용량을 지웁니다. 보정 거래로 기록되며 거래내역은 남습니다.',
    reset: '샌드박스 초기화',
    reset_done: '샌드박스를 초기화했습니다 ({count}개 계좌 변경).',
    manage: '잔액 보기·충전·초기화',
    docs_link: 'API 문서와 시나리오',
    errors: {
      account_required: '충전할 계좌를 고르세요',
      account_not_active: '정상 상태인 계좌만 충전할 수 있습니다. 먼저 샌드박스를 초기화하세요',
      amount_required: '금액을 입력하세요',
      amount_range: '1원에서 {max}원 사이의 금액을 숫자로 입력하세요',
    },
  },
};
