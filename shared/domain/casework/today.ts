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

/** The last instant of `day` in China Standard Time (UTC+8 all year, no daylight saving), as an ISO string. */
export function endOfDayIso(day: string): string {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();
}
