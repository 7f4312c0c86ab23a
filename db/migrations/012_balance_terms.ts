// One balance everywhere, and terms that are the lender's (issue 15).
//  - cases.outstanding_fen: the case's outstanding balance on the day of its last money change (payment,
//    reversal, plan decision or end, own terms, re-placement), written by core/money/ledger.ts
//    refreshOutstanding in the same transaction; NULL = nothing happened since placement, so the placed
//    total. The list sorts and filters on OUTSTANDING_KEY through the two indexes below; each listed row
//    shows the balance as of today from the same function.
//  - lenders.terms_set: someone entered the lender's contract terms. A lender without them accrues nothing.
//    Lenders of an existing store were on the built-in default (0.05 % a day on overdue principal, 24 % APR
//    cap): that default is written into their terms so that no balance changes, and those whose terms
//    nobody entered ('{}') are marked not set — the screens say so and show what is applied.
//  - lenders.hotline / payment_account: what templates give the borrower (over the agency's settings).

/** The list's amount key: stored outstanding, else the placed total (placement amount, else overdue amount). */
export const OUTSTANDING_KEY = 'coalesce(outstanding_fen, placement_amount_fen, overdue_amount_fen)';

/** The case indexes this migration replaces (their amount column becomes the outstanding key). */
export const CASE_INDEXES_012: Record<string, string> = {
  cases_lender_bucket: `CREATE INDEX cases_lender_bucket ON cases(lender_id, bucket, ${OUTSTANDING_KEY})`,
  cases_amount: `CREATE INDEX cases_amount ON cases(${OUTSTANDING_KEY})`,
};

// The built-in terms every lender had until this version (frozen here: later defaults must not leak in).
const FORMER_DEFAULT = '{"penaltyPpmPerDay":500,"penaltyOnInterest":false,"lateFee":null,"lateFeeEveryDays":"once","aprCapPpm":240000,"maxChargesFen":null,"order":["fees","penalty","interest","principal"]}';

export const up = `
ALTER TABLE cases ADD COLUMN outstanding_fen INTEGER;
ALTER TABLE lenders ADD COLUMN terms_set INTEGER NOT NULL DEFAULT 0 CHECK (terms_set IN (0, 1));
ALTER TABLE lenders ADD COLUMN hotline TEXT NOT NULL DEFAULT '';
ALTER TABLE lenders ADD COLUMN payment_account TEXT NOT NULL DEFAULT '';
-- json_patch: the stored keys win; a stored null removes the key, which then reads as "none" (no cap, no fee).
UPDATE lenders SET terms_set = (default_terms <> '{}'), default_terms = json_patch('${FORMER_DEFAULT}', default_terms);
-- Cases that already have money rows get their stored outstanding at the first case list (it needs the balance code).
INSERT INTO meta (key, value) SELECT 'outstanding_backfill', 'pending'
  WHERE EXISTS (SELECT 1 FROM payments) OR EXISTS (SELECT 1 FROM plans WHERE status IN ('active', 'completed', 'broken'))
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
DROP INDEX IF EXISTS cases_lender_bucket;
DROP INDEX IF EXISTS cases_amount;
${Object.values(CASE_INDEXES_012).join(';\n')};
`;
