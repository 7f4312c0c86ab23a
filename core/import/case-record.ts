// A normalised placement case → the row the cases table stores, and what changed on a re-placement.
import type { PlacementCase } from '../../shared/domain/placement/normalise-row.js';
import { CASE_COLUMNS, type CaseRecord } from '../../db/repos/cases.js';
import { cellText, type Cell } from './read/rows.js';

/** `keepColumns`: the columns no stored field claimed; kept verbatim, a lender's extra data is never dropped. */
export function toCaseRecord(c: PlacementCase, headers: string[], cells: Cell[], keepColumns: readonly number[]): CaseRecord {
  let extra = '{}';
  if (keepColumns.length) {
    const kept: Record<string, string> = {};
    for (const i of keepColumns) {
      const v = cellText(cells[i]);
      if (v !== '') kept[headers[i] || `column ${i + 1}`] = v;
    }
    extra = JSON.stringify(kept);
  }
  return {
    case_no: c.caseNo,
    borrower_name: c.borrowerName,
    id_number: c.idNumber,
    gender: c.gender,
    birth_date: c.birthDate,
    province: c.province,
    mobile: c.mobile,
    home_address: c.homeAddress,
    work_address: c.workAddress,
    registered_address: c.registeredAddress,
    employer: c.employer,
    product_name: c.productName,
    loan_amount_fen: c.loanAmountFen,
    loan_date: c.loanDate,
    due_date: c.dueDate,
    interest_rate: c.interestRate,
    remaining_principal_fen: c.remainingPrincipalFen,
    overdue_amount_fen: c.overdueAmountFen,
    overdue_principal_fen: c.overduePrincipalFen,
    overdue_interest_fen: c.overdueInterestFen,
    overdue_penalty_fen: c.overduePenaltyFen,
    overdue_late_fee_fen: c.overdueLateFeeFen,
    placement_amount_fen: c.placementAmountFen,
    days_overdue: c.daysOverdue,
    bucket: c.bucket,
    overdue_periods: c.overduePeriods,
    paid_periods: c.paidPeriods,
    last_payment_date: c.lastPaymentDate,
    last_payment_fen: c.lastPaymentFen,
    notes: c.notes,
    contacts: JSON.stringify(c.contacts),
    extra,
  };
}

/** Field → [before, after] for every column a re-placement changed (kept in the case history). */
export function diffCase(before: CaseRecord, after: CaseRecord): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const k of CASE_COLUMNS) if (before[k] !== after[k]) changes[k] = [before[k], after[k]];
  return changes;
}
