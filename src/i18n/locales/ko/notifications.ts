// 알림, 알림 이메일, 관리자의 이메일 발송함 화면.
export default {
  messages: {
    waiting_for_review: '{organization}({reference}) 신청이 심사를 기다리고 있습니다: {nextStage}',
    in_review: '신청 {reference}의 {stage}이(가) 시작되었습니다',
    approved: '신청 {reference}이(가) {stage}을(를) 통과했습니다. 다음 단계: {nextStage}',
    changes_requested: '신청 {reference}({stage})에 보완이 요청되었습니다: {sections}. 사유: {reason}',
    rejected: '신청 {reference}이(가) {stage}에서 반려되었습니다. 사유: {reason}',
    live: '신청 {reference}의 계약이 확인 서명되어 서비스를 개시할 수 있습니다',
    withdrawn: '{organization}이(가) {stage} 단계의 신청 {reference}을(를) 철회했습니다',
  },
  email: {
    subject: '[오픈뱅킹 포털] {message}',
    body: '{message}\n\n자세한 내용은 포털에서 확인하세요: {url}\n\n이 메일은 오픈뱅킹 이용기관 신청 포털에서 발송했습니다.',
  },
  list: {
    title: '알림',
    all_read: '모든 알림을 읽음으로 표시했습니다.',
    mark_all_read: '모두 읽음으로 표시',
    mark_read: '읽음으로 표시',
    new: '새 알림',
    empty: '알림이 없습니다.',
  },
  outbox: {
    title: '이메일 발송함',
    smtp_not_configured: 'SMTP가 설정되지 않았습니다(SMTP_URL 없음). 이메일은 여기에 저장만 되고 발송되지 않습니다.',
    smtp_configured:
      '이메일은 SMTP(SMTP_URL)로 30초마다 발송됩니다. 발송에 실패한 이메일은 서버 응답을 보여 주며 다시 보내지 않습니다.',
    count: '전체 {total}건 중 {shown}건, 최신순',
    created_at: '생성',
    to: '받는 사람',
    subject: '제목',
    status: '상태',
    sent_at: '발송',
    empty: '아직 이메일이 없습니다.',
  },
};
