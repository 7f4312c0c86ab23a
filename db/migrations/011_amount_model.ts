// The placement amount model (issue 15).
//  - lenders.amount_mismatch_policy: what an import does with a row whose total disagrees with its
//    components — keep the total and book the difference as principal (default), or refuse the row.
//  - cases.placed_on / term_end_date: the row's own 委案日期 / 委案到期日 from the file (NULL: the batch's
//    dates apply). Readers take coalesce(c.placed_on, b.placement_date).
//  - Repair: a case whose stored components (principal, interest, penalty, late fee) do not sum to its
//    placed total gets principal := total − interest − penalty − fees where that is ≥ 0, so the ledger's
//    opening (core/money/ledger.ts openingOf) equals the total the list shows. Rows where the charges alone
//    exceed the total are left as they are (openingOf then takes principal 0).
const TOTAL = 'coalesce(placement_amount_fen, overdue_amount_fen)';
const OTHERS = 'coalesce(overdue_interest_fen, 0) + coalesce(overdue_penalty_fen, 0) + coalesce(overdue_late_fee_fen, 0)';

export const up = `
ALTER TABLE lenders ADD COLUMN amount_mismatch_policy TEXT NOT NULL DEFAULT 'principal_difference'
  CHECK (amount_mismatch_policy IN ('principal_difference', 'reject_row'));
ALTER TABLE cases ADD COLUMN placed_on TEXT;
ALTER TABLE cases ADD COLUMN term_end_date TEXT;
UPDATE cases SET overdue_principal_fen = ${TOTAL} - (${OTHERS})
  WHERE overdue_principal_fen IS NOT NULL AND overdue_principal_fen + ${OTHERS} <> ${TOTAL} AND ${TOTAL} - (${OTHERS}) >= 0;
`;
