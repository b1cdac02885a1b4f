// Korean days and times read as Korean ("12월 3일 (목)", "오후 3:56"), whatever the ICU data of the Node
// version; API names are KFTC's Korean titles on Korean pages.
import t from 'tap';
import { apiName, dayLabel, momentLabel, percent } from '../../src/usage/usage-labels';

t.test('days and times for the Korean locale', async (t) => {
  t.equal(dayLabel('ko', '2026-12-03'), '12월 3일');
  t.equal(dayLabel('ko', '2026-12-03', true), '12월 3일 (목)');
  t.equal(dayLabel('en', '2026-12-03', true), 'Thu 3 Dec');
  t.equal(momentLabel('ko', '2026-12-03T06:56:00.000Z'), '2026년 12월 3일 오후 3:56', 'KST is UTC+9');
  t.equal(momentLabel('ko', '2026-12-02T15:05:00.000Z'), '2026년 12월 3일 오전 12:05', 'just after midnight in Korea');
  t.equal(momentLabel('ko', '2026-12-03T03:00:00.000Z'), '2026년 12월 3일 오후 12:00', 'noon');
  t.match(momentLabel('en', '2026-12-03T06:56:00.000Z'), /3 Dec 2026, 15:56/);
});

t.test('names and numbers', async (t) => {
  t.equal(apiName('ko', 'balance'), '잔액조회');
  t.equal(apiName('en', 'balance'), 'balance');
  t.equal(apiName('ko', 'oauth_token'), '토큰 발급');
  t.equal(apiName('ko', null), '알 수 없는 경로');
  t.equal(apiName('ko', 'something_new'), 'something_new');
  t.equal(percent(12.345), '12.3%');
  t.equal(percent(0), '0.0%');
});
