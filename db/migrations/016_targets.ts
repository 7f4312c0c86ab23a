// Monthly recovery targets (回款目标) and the index the manager's home counts cases near placement end by.
//
// A target row is for one month ('YYYY-MM') and one collector, one team, or (both NULL) the whole agency;
// a month has at most one row per subject (the expression index: NULLs would otherwise never collide).
// Setting a target again replaces it; who set it and when stay on the row and in the audit log.
// cases_term_end is partial: only cases whose file gave their own 委案到期日 are in it, so imports without
// that column pay nothing for it. cases_open_batch_term counts the rest (open cases going by their batch's
// date) from the index alone: reading each case of a 200,000-case batch ending soon cost ~250 ms. Its
// keys arrive in batch order during an import (appended, like cases_batch), so it is not bulk-rebuilt.
// payments_day_case_amount: a day's or a month's recovery from the index alone (the home page's total)
// and, per collector, without reading the payment rows (at 1M cases a month's payments cost ~0.6 s
// through payments_paid_on and the rows).
// contact_attempts_recurring: the dashboard's promise judgement walks every recurring promise up to the
// period end; without it that is a scan of all contact attempts (the home page asks for 7 days of it).
export const up = `
CREATE TABLE recovery_targets (
  id INTEGER PRIMARY KEY,
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  collector_id INTEGER REFERENCES users(id),
  team_id INTEGER REFERENCES teams(id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  set_by INTEGER NOT NULL REFERENCES users(id),
  set_at TEXT NOT NULL,
  CHECK (collector_id IS NULL OR team_id IS NULL)
);
CREATE UNIQUE INDEX recovery_targets_subject ON recovery_targets(month, coalesce(collector_id, 0), coalesce(team_id, 0));
CREATE INDEX cases_term_end ON cases(term_end_date, status) WHERE term_end_date IS NOT NULL;
CREATE INDEX cases_open_batch_term ON cases(batch_id) WHERE status = 'open' AND term_end_date IS NULL;
CREATE INDEX payments_day_case_amount ON payments(paid_on, case_id, amount_fen);
CREATE INDEX contact_attempts_recurring ON contact_attempts(promise_date) WHERE promise_count IS NOT NULL;
`;
