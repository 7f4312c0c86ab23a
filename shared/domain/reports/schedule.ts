// When a saved report schedule runs next, and what period each run covers. Days are the agency's
// calendar days (YYYY-MM-DD). Weekly: weekday 1 = Monday … 7 = Sunday. Monthly: day 1–28 (every month has it).

export const EVERY = ['daily', 'weekly', 'monthly'] as const;
export type Every = (typeof EVERY)[number];

export interface ScheduleSpec {
  every: Every;
  weekday: number | null;
  monthDay: number | null;
}

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
export const plusDays = (d: string, n: number) => day(ms(d) + n * DAY);
/** 1 = Monday … 7 = Sunday. */
export const weekdayOf = (d: string) => ((new Date(ms(d)).getUTCDay() + 6) % 7) + 1;

/** The first run day on or after `from`. */
export function nextRunOn(s: ScheduleSpec, from: string): string {
  if (s.every === 'daily') return from;
  if (s.every === 'weekly') {
    const w = s.weekday ?? 1;
    return plusDays(from, (w - weekdayOf(from) + 7) % 7);
  }
  const m = s.monthDay ?? 1;
  const [y, mo, d] = from.split('-').map(Number) as [number, number, number];
  const target = d <= m ? Date.UTC(y, mo - 1, m) : Date.UTC(y, mo, m);
  return day(target);
}

/** What a run on `runDay` reports: daily the day before, weekly the 7 days before, monthly the month before. */
export function periodOf(every: Every, runDay: string): { from: string; to: string } {
  const to = plusDays(runDay, -1);
  if (every === 'daily') return { from: to, to };
  if (every === 'weekly') return { from: plusDays(runDay, -7), to };
  const [y, m] = runDay.split('-').map(Number) as [number, number];
  return { from: day(Date.UTC(y, m - 2, 1)), to: day(Date.UTC(y, m - 1, 0)) };
}
