// "Today" for due dates is the agency's calendar day (Asia/Shanghai by default), not the machine's UTC day.
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** YYYY-MM-DD of `at` in `timeZone`. */
export function dayIn(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  // Making a formatter costs ~50 µs: one per zone, kept (reports call this a million times).
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The day of an ISO instant as stored (`toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ`) in `timeZone`. Every zone's
 * offset since the early 1900s is whole minutes, so the day depends only on the first 16 characters: reports look a million
 * entries up and most share a minute with another (Intl formatting costs ~6 µs a call).
 */
export function dayOfIso(iso: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */) return dayIn(new Date(iso), timeZone);
  const key = `${timeZone} ${iso.slice(0, 16)}`;
  let day = isoDays.get(key);
  if (day === undefined) {
    if (isoDays.size >= 100_000) isoDays.clear();
    isoDays.set(key, (day = dayIn(new Date(`${iso.slice(0, 16)}:00.000Z`), timeZone)));
  }
  return day;
}
const isoDays = new Map<string, string>();

/** The last instant of `day` in China Standard Time (UTC+8 all year, no daylight saving), as an ISO string. */
export function endOfDayIso(day: string): string {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();
}

/** `timeZone`'s offset from UTC in minutes at the instant `at` (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  let f = offsetFormats.get(timeZone);
  if (!f) offsetFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')!.value; // "GMT+08:00", "GMT"
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The first instant of the calendar `day` in `timeZone` (the agency's by default), as an ISO string. */
export function dayStartIso(day: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  let at = midnightUtc - zoneOffsetMinutes(timeZone, new Date(midnightUtc)) * 60_000;
  // Across a daylight-saving change the offset at local midnight differs from the one at UTC midnight.
  const again = midnightUtc - zoneOffsetMinutes(timeZone, new Date(at)) * 60_000;
  if (again !== at) at = again;
  return new Date(at).toISOString();
}

/**
 * SQLite date modifier taking a stored UTC instant to the agency's wall clock (`'+480 minutes'`), for SQL
 * that groups by the agency's day: `date(started_at, <this>)`. Exact for zones without daylight saving (the
 * agency's is Asia/Shanghai); the offset is the one in force now.
 */
export function zoneDayModifier(timeZone: string = DEFAULT_TIME_ZONE): string {
  const m = zoneOffsetMinutes(timeZone, new Date());
  return `${m < 0 ? '-' : '+'}${Math.abs(m)} minutes`;
}
