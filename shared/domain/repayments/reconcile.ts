// Reconciliation of a lender's repayment files with the agency's own records for a period:
// - matched: a reported row linked to a payment the agency had posted by hand;
// - lenderOnly: reported by the lender only (the payment was posted from the file);
// - agencyOnly: posted by the agency and in no lender file;
// - mismatches: a lender-only row and an agency-only payment on the same case within the ±3-day window
//   but for different amounts — probably one payment seen twice with different figures (both now stand
//   on the case until a manager reverses one). They are listed in pairs and left out of the two groups.
import { daysBetween } from '../placement/dates.js';
import { MATCH_WINDOW_DAYS } from './match.js';

export interface ReportedRow {
  id: number;
  caseId: number;
  caseNo: string;
  paidOn: string;
  amountFen: number;
  fileId: number;
  fileName: string;
  row: number;
  reference: string;
  /** The payment it is linked to, and whether that payment was the agency's own (a match). */
  paymentId: number | null;
  matchedAgency: boolean;
  /** The linked payment was reversed since. */
  reversed: boolean;
}

export interface AgencyPayment {
  id: number;
  caseId: number;
  caseNo: string;
  paidOn: string;
  amountFen: number;
  reference: string;
  /** Linked to some reported row (matched). */
  linked: boolean;
}

export interface Mismatch {
  caseId: number;
  caseNo: string;
  lender: ReportedRow;
  agency: AgencyPayment;
  differenceFen: number;
}

export interface Reconciliation {
  matched: ReportedRow[];
  lenderOnly: ReportedRow[];
  agencyOnly: AgencyPayment[];
  mismatches: Mismatch[];
}

const inPeriod = (d: string, from: string, to: string) => d >= from && d <= to;

/**
 * `reported` and `agency` may reach MATCH_WINDOW_DAYS beyond the period (so a pair across the period's
 * edge is still seen); an item is listed when its own date is in the period, a mismatch when either side is.
 */
export function reconcile(reported: readonly ReportedRow[], agency: readonly AgencyPayment[], from: string, to: string): Reconciliation {
  const matched = reported.filter((r) => r.matchedAgency && inPeriod(r.paidOn, from, to));
  const lenderCandidates = reported.filter((r) => !r.matchedAgency);
  const agencyCandidates = agency.filter((a) => !a.linked);
  const byCase = new Map<number, AgencyPayment[]>();
  for (const a of agencyCandidates) {
    const list = byCase.get(a.caseId);
    if (list) list.push(a);
    else byCase.set(a.caseId, [a]);
  }
  const paired = new Set<number>();
  const pairedRows = new Set<number>();
  const mismatches: Mismatch[] = [];
  // Oldest reported row first; each pairs with the nearest unpaired agency payment of another amount.
  for (const r of [...lenderCandidates].sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : a.id - b.id))) {
    if (r.reversed) continue;
    let best: AgencyPayment | null = null;
    let bestGap = Infinity;
    for (const a of byCase.get(r.caseId) ?? []) {
      if (paired.has(a.id) || a.amountFen === r.amountFen) continue;
      const gap = Math.abs(daysBetween(a.paidOn, r.paidOn));
      if (gap <= MATCH_WINDOW_DAYS && (gap < bestGap || (gap === bestGap && a.id < best!.id))) {
        best = a;
        bestGap = gap;
      }
    }
    if (!best || !(inPeriod(r.paidOn, from, to) || inPeriod(best.paidOn, from, to))) continue;
    paired.add(best.id);
    pairedRows.add(r.id);
    mismatches.push({ caseId: r.caseId, caseNo: r.caseNo, lender: r, agency: best, differenceFen: r.amountFen - best.amountFen });
  }
  return {
    matched,
    lenderOnly: lenderCandidates.filter((r) => !pairedRows.has(r.id) && inPeriod(r.paidOn, from, to)),
    agencyOnly: agencyCandidates.filter((a) => !paired.has(a.id) && inPeriod(a.paidOn, from, to)),
    mismatches,
  };
}

export const sumFen = (xs: readonly { amountFen: number }[]): number => xs.reduce((n, x) => n + x.amountFen, 0);
