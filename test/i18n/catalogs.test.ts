import t from 'tap';
import { messageKeys } from '../../src/i18n';

t.test('every message key exists in both Korean and English', async (t) => {
  const ko = new Set(messageKeys('ko'));
  const en = new Set(messageKeys('en'));
  t.same(
    [...ko].filter((k) => !en.has(k)),
    [],
    'keys only in Korean',
  );
  t.same(
    [...en].filter((k) => !ko.has(k)),
    [],
    'keys only in English',
  );
  t.ok(ko.size > 50);
});
