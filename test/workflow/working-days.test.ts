import t from 'tap';
import { isWaitingTooLong, workingDaysBetween } from '../../src/workflow/working-days';

// 2026-11-02 is a Monday. Times are UTC; the rule counts Korean calendar days (UTC+9).
const kst = (date: string, time = '10:00') => new Date(`${date}T${time}:00+09:00`);

t.test('working days count Mondays to Fridays after the day of submission, in Korean dates', async (t) => {
  t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-02', '23:59')), 0, 'same day');
  t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-03')), 1, 'Mon → Tue');
  t.equal(workingDaysBetween(kst('2026-11-06'), kst('2026-11-09')), 1, 'Fri → Mon skips the weekend');
  t.equal(workingDaysBetween(kst('2026-11-07'), kst('2026-11-08')), 0, 'Sat → Sun');
  t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-09')), 5, 'one week');
  t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-30')), 20, 'four weeks');
  t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-12-03')), 23);
  t.equal(workingDaysBetween(kst('2026-11-09'), kst('2026-11-02')), 0, 'never negative');
  // 23:30 UTC on Sunday is already Monday in Seoul.
  t.equal(workingDaysBetween(new Date('2026-11-06T01:00:00Z'), new Date('2026-11-08T23:30:00Z')), 1, 'Korean date, not UTC date');
});

t.test('items waiting more than 5 working days are highlighted', async (t) => {
  t.equal(isWaitingTooLong(kst('2026-11-02'), kst('2026-11-09'), 5), false, 'exactly 5 is on target');
  t.equal(isWaitingTooLong(kst('2026-11-02'), kst('2026-11-10'), 5), true, '6 is over');
  t.equal(isWaitingTooLong(kst('2026-11-06'), kst('2026-11-15'), 5), false, 'Fri → next Sun is 5 working days');
  t.equal(isWaitingTooLong(kst('2026-11-06'), kst('2026-11-16'), 5), true, 'Fri → the Monday after next is 6');
  t.equal(isWaitingTooLong(null, kst('2026-11-16'), 5), false);
  t.equal(isWaitingTooLong('not a date', kst('2026-11-16'), 5), false);
  t.equal(isWaitingTooLong('2026-11-02T01:00:00.000Z', kst('2026-11-04'), 1), true, 'the target is configurable');
});

t.test('the whole-week shortcut agrees with counting day by day', async (t) => {
  const slow = (a: Date, b: Date) => {
    let n = 0;
    for (let d = new Date(a.getTime() + 86400000); d.getTime() <= b.getTime() + 1; d = new Date(d.getTime() + 86400000)) {
      const w = new Date(d.getTime() + 9 * 3600000).getUTCDay();
      if (w !== 0 && w !== 6) n++;
    }
    return n;
  };
  for (let s = 0; s < 7; s++) {
    for (let len = 0; len < 40; len++) {
      const a = new Date(Date.UTC(2026, 10, 2 + s, 1));
      const b = new Date(a.getTime() + len * 86400000);
      t.equal(workingDaysBetween(a, b), slow(a, b), `start +${s}, length ${len}`);
    }
  }
});
