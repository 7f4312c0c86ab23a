// Money: payments (回款, append-only: a mistake is undone by a reversing entry), the lender's repayment
// files kept row by row for reconciliation, negotiated plans (协商方案) with fixed installment schedules,
// per-case contract terms, per-lender approval limits and commission rates, and legal referrals.
export const up = `
-- Per-case override of the lender's contract terms (JSON over lenders.default_terms).
ALTER TABLE cases ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
-- Per-lender waiver approval limits and grace days (JSON over shared/domain/money/plans.ts DEFAULT_APPROVAL).
ALTER TABLE lenders ADD COLUMN approval TEXT NOT NULL DEFAULT '{}';
-- Per-lender commission tiers by days overdue at placement (JSON list).
ALTER TABLE lenders ADD COLUMN commission TEXT NOT NULL DEFAULT '[]';

CREATE TABLE repayment_files (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  imported_by INTEGER NOT NULL REFERENCES users(id),
  imported_at TEXT NOT NULL,
  rows_total INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  posted INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  rejections TEXT NOT NULL DEFAULT '[]',
  UNIQUE (lender_id, sha256)
) STRICT;

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  paid_on TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  channel TEXT NOT NULL,
  payer TEXT NOT NULL,
  reference TEXT NOT NULL,
  note TEXT NOT NULL,
  -- 'agency': posted by hand; 'lender_file': from a lender's repayment file (file_id, file_row).
  source TEXT NOT NULL CHECK (source IN ('agency', 'lender_file')),
  file_id INTEGER REFERENCES repayment_files(id),
  file_row INTEGER,
  entered_by INTEGER NOT NULL REFERENCES users(id),
  entered_at TEXT NOT NULL,
  -- A reversal: minus the reversed payment's amount, and why (in note).
  reverses_id INTEGER UNIQUE REFERENCES payments(id),
  CHECK ((reverses_id IS NULL AND amount_fen > 0) OR (reverses_id IS NOT NULL AND amount_fen < 0))
) STRICT;
CREATE INDEX payments_case ON payments(case_id, paid_on);
CREATE INDEX payments_paid_on ON payments(paid_on);
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never changed: post a reversal'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted: post a reversal'); END;

-- Every row of a lender's repayment file as the lender reported it, and the payment it matched or created.
CREATE TABLE lender_payments (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES repayment_files(id),
  row_no INTEGER NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  paid_on TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  channel TEXT NOT NULL,
  payer TEXT NOT NULL,
  reference TEXT NOT NULL,
  payment_id INTEGER REFERENCES payments(id)
) STRICT;
CREATE INDEX lender_payments_case ON lender_payments(case_id, paid_on);
CREATE INDEX lender_payments_payment ON lender_payments(payment_id);
CREATE TRIGGER lender_payments_no_update BEFORE UPDATE ON lender_payments
BEGIN SELECT RAISE(ABORT, 'what a lender reported is kept as it was'); END;
CREATE TRIGGER lender_payments_no_delete BEFORE DELETE ON lender_payments
BEGIN SELECT RAISE(ABORT, 'what a lender reported is kept as it was'); END;

CREATE TABLE plans (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL CHECK (kind IN ('extension', 'installments', 'waiver')),
  reason TEXT NOT NULL,
  proof_file_ids TEXT NOT NULL DEFAULT '[]',
  -- The balance the plan was made on: its date, what was owed then, what is waived, what is to be paid.
  as_of TEXT NOT NULL,
  owed_fen INTEGER NOT NULL,
  waiver TEXT NOT NULL DEFAULT '{}',
  waiver_fen INTEGER NOT NULL,
  total_fen INTEGER NOT NULL,
  grace_days INTEGER NOT NULL,
  approver TEXT NOT NULL CHECK (approver IN ('manager', 'lender')),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'awaiting_lender', 'active', 'completed', 'broken', 'rejected')),
  proposed_by INTEGER NOT NULL REFERENCES users(id),
  proposed_at TEXT NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at TEXT,
  decision_note TEXT,
  -- JSON {by, reference, date}: the lender's approval of a waiver above the agency's limits.
  lender_approval TEXT,
  -- The day a plan completed or broke.
  ended_on TEXT,
  -- The written confirmation (书面确认) filed with the case.
  letter_file_id INTEGER REFERENCES case_files(id)
) STRICT;
CREATE INDEX plans_case ON plans(case_id, id);
CREATE INDEX plans_open ON plans(status) WHERE status IN ('proposed', 'awaiting_lender', 'active');

CREATE TABLE plan_installments (
  plan_id INTEGER NOT NULL REFERENCES plans(id),
  no INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  PRIMARY KEY (plan_id, no)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER plan_installments_no_update BEFORE UPDATE ON plan_installments
BEGIN SELECT RAISE(ABORT, 'a plan''s schedule is kept as agreed'); END;
CREATE TRIGGER plan_installments_no_delete BEFORE DELETE ON plan_installments
BEGIN SELECT RAISE(ABORT, 'a plan''s schedule is kept as agreed'); END;

CREATE TABLE legal_referrals (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  law_firm TEXT NOT NULL,
  lawyer TEXT NOT NULL,
  referred_on TEXT NOT NULL,
  documents TEXT NOT NULL DEFAULT '[]',
  court TEXT NOT NULL DEFAULT '',
  court_case_no TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  next_date TEXT,
  next_what TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX legal_referrals_case ON legal_referrals(case_id);
CREATE INDEX legal_referrals_next ON legal_referrals(next_date);

-- What happened in a referral (filing, hearing, judgment, enforcement, cost, note): append-only.
CREATE TABLE legal_events (
  id INTEGER PRIMARY KEY,
  referral_id INTEGER NOT NULL REFERENCES legal_referrals(id),
  kind TEXT NOT NULL,
  on_date TEXT NOT NULL,
  note TEXT NOT NULL,
  amount_fen INTEGER,
  entered_by INTEGER NOT NULL REFERENCES users(id),
  entered_at TEXT NOT NULL
) STRICT;
CREATE INDEX legal_events_referral ON legal_events(referral_id, on_date);
CREATE TRIGGER legal_events_no_update BEFORE UPDATE ON legal_events
BEGIN SELECT RAISE(ABORT, 'legal events are never changed'); END;
CREATE TRIGGER legal_events_no_delete BEFORE DELETE ON legal_events
BEGIN SELECT RAISE(ABORT, 'legal events are never deleted'); END;
`;
