import t from 'tap';
import { coveredYears, isWaitingTooLong, isWorkingDay, workingDaysBetween } from '../../src/workflow/working-days';

// 2026-11-02 is a Monday. Times are UTC; the rule counts Korean calendar days (UTC+9).
const kst = (date: string, time = '10:00') => new Date(`${date}T${time}:00+09:00`);

t.test(
  'working days count Mondays to Fridays after the day of submission, in Korean dates (November 2026 has no holiday)',
  async (t) => {
    t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-02', '23:59')), 0, 'same day');
    t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-03')), 1, 'Mon → Tue');
    t.equal(workingDaysBetween(kst('2026-11-06'), kst('2026-11-09')), 1, 'Fri → Mon skips the weekend');
    t.equal(workingDaysBetween(kst('2026-11-07'), kst('2026-11-08')), 0, 'Sat → Sun');
    t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-09')), 5, 'one week');
    t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-11-30')), 20, 'four weeks');
    t.equal(workingDaysBetween(kst('2026-11-02'), kst('2026-12-03')), 23);
    t.equal(workingDaysBetween(kst('2026-11-09'), kst('2026-11-02')), 0, 'never negative');
    // 23:30 UTC on Sunday is already Monday in Seoul.
    t.equal(
      workingDaysBetween(new Date('2026-11-06T01:00:00Z'), new Date('2026-11-08T23:30:00Z')),
      1,
      'Korean date, not UTC date',
    );
  },
);

t.test('items waiting more than 5 working days are highlighted', async (t) => {
  t.equal(isWaitingTooLong(kst('2026-11-02'), kst('2026-11-09'), 5), false, 'exactly 5 is on target');
  t.equal(isWaitingTooLong(kst('2026-11-02'), kst('2026-11-10'), 5), true, '6 is over');
  t.equal(isWaitingTooLong(kst('2026-11-06'), kst('2026-11-15'), 5), false, 'Fri → next Sun is 5 working days');
  t.equal(isWaitingTooLong(kst('2026-11-06'), kst('2026-11-16'), 5), true, 'Fri → the Monday after next is 6');
  t.equal(isWaitingTooLong(null, kst('2026-11-16'), 5), false);
  t.equal(isWaitingTooLong('not a date', kst('2026-11-16'), 5), false);
  t.equal(isWaitingTooLong('2026-11-02T01:00:00.000Z', kst('2026-11-04'), 1), true, 'the target is configurable');
});

t.test(
  'Korean public holidays are not working days: lunar holidays, substitute days and election days included',
  async (t) => {
    t.equal(isWorkingDay('2026-02-16'), false, '설날 전날 (Monday)');
    t.equal(isWorkingDay('2026-02-18'), false, '설날 다음 날 (Wednesday)');
    t.equal(isWorkingDay('2026-02-19'), true, 'the Thursday after');
    t.equal(isWorkingDay('2026-03-02'), false, '대체공휴일(3ㆍ1절)');
    t.equal(isWorkingDay('2026-06-03'), false, '전국동시지방선거');
    t.equal(isWorkingDay('2026-09-25'), false, '추석');
    t.equal(isWorkingDay('2026-10-05'), false, '대체공휴일(개천절)');
    t.equal(isWorkingDay('2026-12-25'), false, '기독탄신일');
    t.equal(isWorkingDay('2026-12-24'), true);
    t.equal(
      workingDaysBetween(kst('2026-02-13'), kst('2026-02-19')),
      1,
      'Fri before 설날 → Thu after: only Thursday counts',
    );
    t.equal(
      workingDaysBetween(kst('2026-09-21'), kst('2026-10-09')),
      10,
      'Mon 21 Sep → Fri 9 Oct: 14 weekdays less 추석 (24, 25), 개천절 substitute (5) and 한글날 (9)',
    );
    t.equal(
      isWaitingTooLong(kst('2026-12-21'), kst('2026-12-29'), 5),
      false,
      'Christmas does not count: Mon 21 → Tue 29 Dec is 5 working days',
    );
    t.ok(
      coveredYears().includes(2026) && coveredYears().includes(2027),
      `holidays known for ${coveredYears().join(', ')}`,
    );
  },
);

t.test('the whole-week shortcut agrees with counting day by day, holidays included', async (t) => {
  const slow = (a: Date, b: Date) => {
    let n = 0;
    for (
      let d = new Date(a.getTime() + 86400000);
      d.getTime() <= b.getTime() + 1;
      d = new Date(d.getTime() + 86400000)
    ) {
      if (isWorkingDay(new Date(d.getTime() + 9 * 3600000).toISOString().slice(0, 10))) n++;
    }
    return n;
  };
  const disagreements: string[] = [];
  let checked = 0;
  for (let s = 0; s < 365; s += 3) {
    for (let len = 0; len < 60; len += 1) {
      const a = new Date(Date.UTC(2026, 0, 1 + s, 1));
      const b = new Date(a.getTime() + len * 86400000);
      checked += 1;
      if (workingDaysBetween(a, b) !== slow(a, b)) disagreements.push(`${a.toISOString().slice(0, 10)} + ${len}`);
    }
  }
  t.same(disagreements, [], `${checked} ranges across 2026 agree`);
});

t.test('counts over several years agree with counting day by day, across every covered year and beyond', async (t) => {
  const years = coveredYears();
  const from = Date.UTC(years[0]! - 1, 11, 1, 1);
  const until = Date.UTC(years[years.length - 1]! + 1, 1, 1, 1);
  const slow = (a: Date, b: Date) => {
    let n = 0;
    for (let d = a.getTime() + 86400000; d <= b.getTime() + 1; d += 86400000)
      if (isWorkingDay(new Date(d + 9 * 3600000).toISOString().slice(0, 10))) n++;
    return n;
  };
  const disagreements: string[] = [];
  let checked = 0;
  for (let s = from; s < until; s += 11 * 86400000) {
    for (const len of [1, 6, 7, 8, 30, 95, 366, 800, 1500]) {
      const a = new Date(s);
      const b = new Date(s + len * 86400000 + 13 * 3600000);
      checked += 1;
      if (workingDaysBetween(a, b) !== slow(a, b)) disagreements.push(`${a.toISOString().slice(0, 10)} + ${len}`);
    }
  }
  t.ok(checked > 1000, `${checked} ranges`);
  t.same(disagreements, [], `${checked} ranges from ${years[0]! - 1} to ${years[years.length - 1]! + 1} agree`);
});
