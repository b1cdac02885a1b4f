// Rule: an item is highlighted in a staff queue when it has waited more than the target number of working
// days: Mondays to Fridays on the Korean calendar that are not public holidays. The holidays come from
// @hyunbinseo/holidays-kr, which transcribes the government's gazette each year (lunar holidays, substitute
// days and one-off days such as election days included). A year the installed package does not cover yet
// counts weekends only; keep the package current (it names the covered years: coveredYears()).
import * as gazette from '@hyunbinseo/holidays-kr/all';

const KST_OFFSET_MS = 9 * 3600 * 1000; // Asia/Seoul has no daylight saving time
const DAY_MS = 24 * 3600 * 1000;

/** Every covered public holiday, as a Korean day number since the epoch. */
const HOLIDAY_DAYS = new Set<number>();
const YEARS: number[] = [];
for (const [name, days] of Object.entries(gazette as Record<string, Record<string, readonly string[]>>)) {
  if (!/^y\d{4}$/.test(name)) continue;
  YEARS.push(Number(name.slice(1)));
  for (const iso of Object.keys(days)) HOLIDAY_DAYS.add(Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS));
}

/** The years whose public holidays are known. */
export function coveredYears(): readonly number[] {
  return [...YEARS].sort((a, b) => a - b);
}

/** The Korean calendar day of an instant, as a day number since the epoch. */
function koreanDayNumber(d: Date): number {
  return Math.floor((d.getTime() + KST_OFFSET_MS) / DAY_MS);
}

/** Day number → weekday (0 = Sunday … 6 = Saturday). Day 0 (1970-01-01) was a Thursday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Whether a Korean calendar day (YYYY-MM-DD) is a working day. */
export function isWorkingDay(isoDate: string): boolean {
  const day = Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
  const w = weekday(day);
  return w !== 0 && w !== 6 && !HOLIDAY_DAYS.has(day);
}

/** The covered holidays that fall on a weekday, ascending: the ones a count of weekdays has to take off. */
const WEEKDAY_HOLIDAYS = [...HOLIDAY_DAYS].filter((d) => weekday(d) !== 0 && weekday(d) !== 6).sort((a, b) => a - b);

/** How many weekday holidays fall on or before `day` (a binary search: the queue asks once per row). */
function weekdayHolidaysUpTo(day: number): number {
  let lo = 0;
  let hi = WEEKDAY_HOLIDAYS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (WEEKDAY_HOLIDAYS[mid]! <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Working days that have passed since `since`: the working days after the day of `since`, up to and
 * including the day of `now`. Submitted on a Monday → Tuesday is 1 working day, the next Monday is 5
 * (fewer when a public holiday falls in between).
 */
export function workingDaysBetween(since: Date, now: Date): number {
  const start = koreanDayNumber(since);
  const end = koreanDayNumber(now);
  if (end <= start) return 0;
  const total = end - start;
  // Whole weeks first (5 weekdays each), then the remainder day by day, then the holidays on weekdays.
  let count = Math.floor(total / 7) * 5;
  for (let d = start + Math.floor(total / 7) * 7 + 1; d <= end; d++) {
    const w = weekday(d);
    if (w !== 0 && w !== 6) count++;
  }
  return count - (weekdayHolidaysUpTo(end) - weekdayHolidaysUpTo(start));
}

export function isWaitingTooLong(since: Date | string | null, now: Date, targetWorkingDays: number): boolean {
  if (!since) return false;
  const d = typeof since === 'string' ? new Date(since) : since;
  if (Number.isNaN(d.getTime())) return false;
  return workingDaysBetween(d, now) > targetWorkingDays;
}
