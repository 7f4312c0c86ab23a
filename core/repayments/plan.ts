// What each row of a repayment file becomes, decided before anything is written (the preview shows the
// same plan the import then carries out):
// - rejected, with the reason: a case number this lender never placed; a date before the case's placement
//   (the lender's placement figures already count it) or after today (a file cannot report the future);
//   a case returned, closed or written off (its payments are the lender's business now); a reference
//   (流水号) this file or an earlier file of the lender already gave for the case (a re-sent row);
// - matched: the agency posted the same amount on the case within ±3 days and no reported row has
//   claimed that payment yet (each payment matches one row; the nearest date wins);
// - posted: anything else becomes a payment with source 'lender_file'.
import type { Repos } from '../../db/repos/index.js';
import type { RepaymentRow, RowRejection } from '../../shared/domain/repayments/row.js';
import { findMatch, type AgencyCandidate } from '../../shared/domain/repayments/match.js';
import { isFinal } from '../../shared/domain/casework/stages.js';
import type { RepaymentColumns } from '../../shared/domain/repayments/row.js';

export interface PlannedRow extends RepaymentRow {
  caseId: number;
  outcome: 'matched' | 'posted';
  /** matched: the agency's payment it matches. */
  matchId: number | null;
}

export interface RepaymentPlan {
  rows: PlannedRow[];
  rejections: RowRejection[];
}

export function planRows(repos: Repos, lenderId: number, rows: readonly RepaymentRow[], today: string, columnOf: (field: keyof RepaymentColumns) => string): RepaymentPlan {
  const r = repos.repayments;
  const cases = new Map<string, ReturnType<typeof r.caseByNo>>();
  const candidates = new Map<number, AgencyCandidate[]>();
  const taken = new Set<number>();
  const references = new Map<string, number>();
  const out: PlannedRow[] = [];
  const rejections: RowRejection[] = [];
  for (const row of rows) {
    const reject = (field: keyof RepaymentColumns, reason: string) => rejections.push({ row: row.row, column: columnOf(field), reason });
    let c = cases.get(row.caseNo);
    if (c === undefined) cases.set(row.caseNo, (c = r.caseByNo(lenderId, row.caseNo)));
    if (!c) {
      reject('caseNo', `no case ${row.caseNo} placed by this lender`);
      continue;
    }
    if (row.paidOn < c.placed_on) {
      reject('paidOn', `${row.paidOn} is before the case was placed (${c.placed_on}): the placement amount already counts it`);
      continue;
    }
    if (row.paidOn > today) {
      reject('paidOn', `${row.paidOn} is in the future (today is ${today})`);
      continue;
    }
    if (row.reference !== '') {
      const key = `${c.id}\u0000${row.reference}`;
      const earlierRow = references.get(key);
      if (earlierRow !== undefined) {
        reject('reference', `reference ${row.reference} repeats row ${earlierRow} for the same case`);
        continue;
      }
      const earlier = r.sameReference(c.id, row.reference);
      if (earlier) {
        reject('reference', `reference ${row.reference} was already imported for this case (${earlier.file_name}, row ${earlier.row_no})`);
        continue;
      }
      references.set(key, row.row);
    }
    let list = candidates.get(c.id);
    if (list === undefined) candidates.set(c.id, (list = r.candidates(c.id)));
    const match = list.length ? findMatch(row, list, taken) : null;
    // A case returned, closed or written off takes no new payment (one the agency posted before still matches).
    if (!match && isFinal(c.stage) && c.stage !== 'settled') {
      reject('caseNo', `case ${row.caseNo} is ${c.stage}: its payments are no longer the agency's`);
      continue;
    }
    if (match) taken.add(match.id);
    out.push({ ...row, caseId: c.id, outcome: match ? 'matched' : 'posted', matchId: match?.id ?? null });
  }
  return { rows: out, rejections };
}
