// Days overdue and bucket as of a day: the one rule every screen (case list, case view, Today, templates)
// uses, so a case tells the same story everywhere. The placement file gives the count on the day it was
// placed; the debt keeps ageing one day per calendar day after that. A case that has left collection
// (settled, closed, written off, returned to the lender) stops ageing on the day it left, when that day is
// known (the stage move's date); otherwise it is counted to today. Paused cases keep ageing: the debt is
// still overdue while collection waits.
import { bucketOf, DEFAULT_BUCKETS, type Bucket } from './buckets.js';
import { isFinal } from '../casework/stages.js';
import { daysBetween } from './dates.js';

export { daysBetween };

/** The count in the placement file plus the days since it was placed (never fewer than at placement). */
export function daysOverdueOn(day: string, placementDate: string, daysAtPlacement: number | null): number | null {
  if (daysAtPlacement === null) return null;
  return daysAtPlacement + Math.max(0, daysBetween(placementDate, day));
}

export interface AgingFacts {
  /** Days overdue the placement file gave (or derived from the due date), null when unknown. */
  daysAtPlacement: number | null;
  placementDate: string;
  stage: string;
  /** The day the case reached its final stage (settled/closed/written off/returned), if known. */
  endedOn?: string | null | undefined;
}

export interface Aging {
  /** The day the count is taken on: today, or the day a finished case left collection. */
  asOf: string;
  daysOverdue: number | null;
  bucket: string | null;
  daysAtPlacement: number | null;
  bucketAtPlacement: string | null;
  /** Days since placement on `asOf` (the escalation schedule's other basis). */
  daysSincePlacement: number;
}

/** The day a case's figures are taken on: `today`, or for a finished case the day it finished (if earlier). */
export function agingDay(f: Pick<AgingFacts, 'stage' | 'endedOn'>, today: string): string {
  return isFinal(f.stage) && f.endedOn && f.endedOn < today ? f.endedOn : today;
}

export function caseAging(f: AgingFacts, today: string, buckets: readonly Bucket[] = DEFAULT_BUCKETS): Aging {
  const asOf = agingDay(f, today);
  const daysOverdue = daysOverdueOn(asOf, f.placementDate, f.daysAtPlacement);
  const bucket = (d: number | null) => (d === null ? null : (bucketOf(d, buckets)?.code ?? null));
  return {
    asOf,
    daysOverdue,
    bucket: bucket(daysOverdue),
    daysAtPlacement: f.daysAtPlacement,
    bucketAtPlacement: bucket(f.daysAtPlacement),
    daysSincePlacement: Math.max(0, daysBetween(f.placementDate, asOf)),
  };
}
