// Korean Standard Time (UTC+9, no daylight saving) formatting for ledger dates and times.
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The KST calendar parts of an instant. */
export function kstParts(at: Date): { date: string; time: string; millis: string } {
  const k = new Date(at.getTime() + KST_OFFSET_MS);
  return {
    date: `${k.getUTCFullYear()}${pad(k.getUTCMonth() + 1)}${pad(k.getUTCDate())}`,
    time: `${pad(k.getUTCHours())}${pad(k.getUTCMinutes())}${pad(k.getUTCSeconds())}`,
    millis: pad(k.getUTCMilliseconds(), 3),
  };
}

/** yyyyMMdd in KST. */
export function kstDateOf(at: Date): string {
  return kstParts(at).date;
}

/** The instant of a KST yyyyMMdd + HHmmss (inputs assumed well-formed). */
export function fromKst(date: string, time = '000000'): Date {
  const ms = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(4, 6)) - 1,
    Number(date.slice(6, 8)),
    Number(time.slice(0, 2)),
    Number(time.slice(2, 4)),
    Number(time.slice(4, 6)),
  );
  return new Date(ms - KST_OFFSET_MS);
}
