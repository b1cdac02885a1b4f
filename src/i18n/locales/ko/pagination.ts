// The links under every paged list (views/partials/pager.hbs).
export default {
  label: '페이지 이동',
  next: '다음',
  previous: '이전',
  first: '처음으로',
  malformed: '이 목록이 발급한 페이지 커서가 아닙니다. 첫 페이지부터 다시 요청하세요.',
  kind_required: '커서로 넘겨 볼 문서 종류(kind)를 함께 지정하세요.',
};
