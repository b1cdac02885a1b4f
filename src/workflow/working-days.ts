// Rule: an item is highlighted in a staff queue when it has waited more than the target number of working
// days (Monday–Friday, counted on the Korean calendar date; public holidays are not modelled).

const KST_OFFSET_MS = 9 * 3600 * 1000; // Asia/Seoul has no daylight saving time
const DAY_MS = 24 * 3600 * 1000;

/** The Korean calendar day of an instant, as a day number since the epoch. */
function koreanDayNumber(d: Date): number {
  return Math.floor((d.getTime() + KST_OFFSET_MS) / DAY_MS);
}

/** Day number → weekday (0 = Sunday … 6 = Saturday). Day 0 (1970-01-01) was a Thursday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/**
 * Working days that have passed since `since`: the Mondays–Fridays after the day of `since`, up to and
 * including the day of `now`. Submitted on a Monday → Tuesday is 1 working day, the next Monday is 5.
 */
export function workingDaysBetween(since: Date, now: Date): number {
  const start = koreanDayNumber(since);
  const end = koreanDayNumber(now);
  if (end <= start) return 0;
  let count = 0;
  // Whole weeks first (5 working days each), then the remainder day by day.
  const total = end - start;
  count += Math.floor(total / 7) * 5;
  for (let d = start + Math.floor(total / 7) * 7 + 1; d <= end; d++) {
    const w = weekday(d);
    if (w !== 0 && w !== 6) count++;
  }
  return count;
}

export function isWaitingTooLong(since: Date | string | null, now: Date, targetWorkingDays: number): boolean {
  if (!since) return false;
  const d = typeof since === 'string' ? new Date(since) : since;
  if (Number.isNaN(d.getTime())) return false;
  return workingDaysBetween(d, now) > targetWorkingDays;
}
