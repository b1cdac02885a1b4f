// 감사 기록: 이벤트와 상태를 사람이 읽는 이름으로 (src/audit/event-names.ts).
export default {
  other_event: '기타 기록',
  other_state: '알 수 없는 상태',
  events: {
    application: {
      created: '신청서 작성 시작', submitted: '신청서 제출', claimed: '심사 배정', approved: '승인', changes_requested: '보완 요청',
      rejected: '반려', withdrawn: '신청 철회', signed: '계약서 서명(이용기관)', countersigned: '계약서 확인 서명(금융결제원)', internal_note: '내부 메모',
      claim_released: '심사 배정 해제(직원 계정 변경)', document_uploaded: '신청 서류 제출',
    },
    contract: { pdf_recorded: '계약서 PDF 해시 기록' },
    suitability: { checklist_saved: '적합성 점검표 저장' },
    credentials: {
      issued: '샌드박스 인증정보 발급', set_created: '인증정보 세트 생성', set_revoked: '인증정보 세트 폐기', callback_added: '콜백 URL 추가',
      callback_removed: '콜백 URL 삭제', contract_account_opened: '약정 계좌 개설', secret_created: 'Client Secret 발급', secret_revoked: 'Client Secret 폐기',
      sa_allowed: '자체인증(scope=sa) 허용', sa_refused: '자체인증(scope=sa) 허용 취소',
    },
    api_token: { created: 'API 토큰 발급', revoked: 'API 토큰 폐기' },
    organization: { created: '기관 등록', invite_created: '구성원 초대', member_joined: '구성원 합류' },
    sandbox: { test_account_opened: '테스트 계좌 개설', test_user_created: '테스트 사용자 생성' },
    security: {
      document_uploaded: '보안 점검 문서 제출', finding_recorded: '지적사항 등록', remediation_submitted: '조치 결과 제출',
      finding_verified: '지적사항 조치 확인', finding_reopened: '지적사항 재개', finding_withdrawn: '지적사항 철회',
    },
    staff: {
      created: '직원 계정 생성', deactivated: '직원 계정 비활성화', reactivated: '직원 계정 다시 활성화', role_changed: '직원 직무 변경',
      password_reset_sent: '비밀번호 재설정 링크 발송(관리자)',
    },
    testbed: { account_topped_up: '테스트 계좌 입금', sandbox_reset: '샌드박스 초기화' },
    user: { password_changed: '비밀번호 변경', password_reset_requested: '비밀번호 재설정 요청', password_reset: '비밀번호 재설정' },
  },
};
