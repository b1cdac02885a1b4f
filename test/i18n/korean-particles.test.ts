// Generated Korean chooses its particles from the word: every Korean message, filled with names ending
// in a vowel, in a consonant, in ㄹ, in Latin letters and in digits, reads without a particle pair.
import t from 'tap';
import { messageKeys, translate } from '../../src/i18n';
import { ANY_PAIR, PLACEHOLDER_WITH_PAIR, particleFor } from '../../src/i18n/korean-particles';

const WORDS = [
  '여정페이 주식회사',
  '금융결제원',
  '서울',
  'KFTC',
  'Apple',
  'APP-2026-0001',
  '3',
  'report.pdf',
  '개발 및 테스트',
];

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

t.test('no Korean message writes a particle pair except right after a placeholder', async (t) => {
  const wrong = messageKeys('ko')
    .map((key) => [key, translate('ko', key)] as const)
    .filter(([, message]) => ANY_PAIR.test(message.replace(PLACEHOLDER_WITH_PAIR, '')));
  t.same(wrong, [], 'messages with a pair that no placeholder decides');
});

t.test('every Korean message filled with any kind of name shows no (를), (가), (은), (과) or (으)로', async (t) => {
  let filled = 0;
  for (const key of messageKeys('ko')) {
    const names = placeholders(translate('ko', key));
    if (names.length === 0) continue;
    for (const word of WORDS) {
      const text = translate('ko', key, Object.fromEntries(names.map((n) => [n, word])));
      filled += 1;
      if (ANY_PAIR.test(text)) t.fail(`${key} with "${word}": ${text}`);
    }
  }
  t.ok(filled > 100, `${filled} filled messages checked`);
});

t.test('the particle follows the last spoken sound of the word', async (t) => {
  const cases: [string, string, string][] = [
    ['여정페이 주식회사', '이(가)', '가'],
    ['금융결제원', '이(가)', '이'],
    ['개발 및 테스트', '을(를)', '를'],
    ['보안점검', '을(를)', '을'],
    ['서울', '(으)로', '로'],
    ['부산항', '(으)로', '으로'],
    ['바다', '(으)로', '로'],
    ['APP-2026-0001', '이(가)', '이'],
    ['3', '을(를)', '을'],
    ['2', '을(를)', '를'],
    ['KFTC', '은(는)', '는'],
    ['Apple', '와(과)', '과'],
    ['report.pdf', '을(를)', '를'],
    ['‘보안점검’', '을(를)', '을'],
    ['‘결제’', '을(를)', '를'],
  ];
  for (const [word, pair, expected] of cases)
    t.equal(particleFor(word, pair), expected, `${word} + ${pair} → ${expected}`);
});

t.test('notifications and flash messages read as Korean sentences', async (t) => {
  t.equal(
    translate('ko', 'notifications.messages.approved', {
      reference: 'APP-2026-0001',
      stage: '개발 및 테스트',
      nextStage: '보안점검',
    }),
    '신청 APP-2026-0001이 개발 및 테스트를 통과했습니다. 다음 단계: 보안점검',
  );
  t.equal(
    translate('ko', 'notifications.messages.withdrawn', {
      organization: '여정페이 주식회사',
      stage: '이용적합성 심사',
      reference: 'APP-2026-0002',
    }),
    '여정페이 주식회사가 이용적합성 심사 단계의 신청 APP-2026-0002를 철회했습니다',
  );
  t.equal(
    translate('ko', 'onboarding.draft_saved', { section: '회사 정보' }),
    '‘회사 정보’를 임시 저장했습니다.',
    'a closing quote between the word and its particle',
  );
  t.equal(
    translate('ko', 'notifications.messages.in_review', { reference: 'APP-1', stage: '이용적합성 심사' }),
    '신청 APP-1의 이용적합성 심사가 시작되었습니다',
  );
  t.equal(
    translate('en', 'notifications.messages.approved', {
      reference: 'APP-1',
      stage: 'Testing',
      nextStage: 'Security',
    }).includes('(가)'),
    false,
    'English is left alone',
  );
});
