// Monthly recovery targets: which target stands for the agency, a team and a collector, and how far the
// month's recovery has come. Pure: core gives the rows and the recovered amounts (db/repos/home.ts).

export interface TargetInput {
  collectorId: number | null;
  teamId: number | null;
  amountFen: number;
}
export interface RecoveredInput {
  collectorId: number | null;
  teamId: number | null;
  fen: number;
}

/** n / d as a percentage with 2 decimals, null without a target (the dashboard's rounding). */
export function progressPct(recoveredFen: number, targetFen: number | null): number | null {
  if (targetFen === null || targetFen <= 0) return null;
  return Math.round((recoveredFen * 10_000) / targetFen) / 100;
}

/**
 * The agency's target for the month: its own row when a manager set one; otherwise the sum of the teams'
 * targets; otherwise the sum of the collectors' ones; null when nothing was set (the home page then shows
 * the recovery without a target rather than inventing one).
 */
export function agencyTarget(targets: readonly TargetInput[]): number | null {
  const own = targets.find((t) => t.collectorId === null && t.teamId === null);
  if (own) return own.amountFen;
  const teams = targets.filter((t) => t.teamId !== null);
  if (teams.length > 0) return teams.reduce((s, t) => s + t.amountFen, 0);
  const people = targets.filter((t) => t.collectorId !== null);
  if (people.length > 0) return people.reduce((s, t) => s + t.amountFen, 0);
  return null;
}

/** What a target's subject recovered: a collector's cases, a team's collectors' cases, or everything. */
export function recoveredFor(subject: { collectorId: number | null; teamId: number | null }, recovered: readonly RecoveredInput[]): number {
  return recovered.reduce((s, r) => {
    if (subject.collectorId !== null) return r.collectorId === subject.collectorId ? s + r.fen : s;
    if (subject.teamId !== null) return r.teamId === subject.teamId ? s + r.fen : s;
    return s + r.fen;
  }, 0);
}

/** The calendar month of a day, and its first and last days. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The last day of the week (Monday to Sunday) that `day` is in. */
export function weekEnd(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const toSunday = (7 - d.getUTCDay()) % 7;
  return new Date(d.getTime() + toSunday * 86_400_000).toISOString().slice(0, 10);
}
