// Korean pages read dates and times in Korean (오후 3:56, 2026년 12월 3일), in Korean time, whatever
// ICU data the Node build carries; English pages keep English formats.
import t from 'tap';
import { formatDate, formatDateTime } from '../../src/i18n/date-format';

t.test('Korean dates and times are written in Korean, in Korean time', async (t) => {
  t.equal(formatDateTime('ko', '2026-12-03T06:56:00.000Z'), '2026년 12월 3일 오후 3:56');
  t.equal(formatDateTime('ko', '2026-12-02T15:05:00.000Z'), '2026년 12월 3일 오전 12:05', 'midnight KST is 오전 12');
  t.equal(formatDateTime('ko', '2026-12-03T03:00:00.000Z'), '2026년 12월 3일 오후 12:00', 'noon is 오후 12');
  t.equal(formatDate('ko', '2026-12-31T15:30:00.000Z'), '2027년 1월 1일', 'the Korean day, not the UTC one');
  t.notMatch(formatDateTime('ko', new Date()), /AM|PM/);
});

t.test('English pages keep English formats and bad input passes through', async (t) => {
  t.match(formatDateTime('en', '2026-12-03T06:56:00.000Z'), /3 Dec 2026, 15:56/);
  t.equal(formatDate('en', '2026-12-03T06:56:00.000Z'), '3 Dec 2026');
  t.equal(formatDateTime('ko', 'not a date'), 'not a date');
  t.equal(formatDate('ko', null), '');
});
