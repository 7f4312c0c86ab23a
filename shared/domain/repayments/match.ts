// Matching a lender-reported repayment to a payment the agency already posted by hand: the same case, the
// same amount, a date within ±3 days, and not already matched to another reported row. Of several, the
// nearest date wins, then the earliest posted.
import { daysBetween } from '../placement/dates.js';

export const MATCH_WINDOW_DAYS = 3;

export interface AgencyCandidate {
  id: number;
  paidOn: string;
  amountFen: number;
}

export const withinWindow = (a: string, b: string, days = MATCH_WINDOW_DAYS): boolean => Math.abs(daysBetween(a, b)) <= days;

/** The candidate this row matches (not in `taken`), or null. */
export function findMatch(row: { paidOn: string; amountFen: number }, candidates: readonly AgencyCandidate[], taken: ReadonlySet<number>): AgencyCandidate | null {
  let best: AgencyCandidate | null = null;
  let bestGap = Infinity;
  for (const c of candidates) {
    if (taken.has(c.id) || c.amountFen !== row.amountFen) continue;
    const gap = Math.abs(daysBetween(c.paidOn, row.paidOn));
    if (gap > MATCH_WINDOW_DAYS) continue;
    if (gap < bestGap || (gap === bestGap && best !== null && c.id < best.id)) {
      best = c;
      bestGap = gap;
    }
  }
  return best;
}
