// Casework: the contact log (催记, append-only: corrected only by later entries), managers' overrides of
// compliance guardrails, and the case fields casework sets.
export const up = `
CREATE TABLE compliance_overrides (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  rule TEXT NOT NULL,
  reason TEXT NOT NULL,
  granted_by INTEGER NOT NULL REFERENCES users(id),
  granted_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE contact_attempts (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  logged_at TEXT NOT NULL,
  started_at TEXT NOT NULL,
  collector_id INTEGER NOT NULL REFERENCES users(id),
  -- Who wrote the entry (a manager correcting a collector's entry: the manager).
  entered_by INTEGER NOT NULL REFERENCES users(id),
  channel TEXT NOT NULL,
  party TEXT NOT NULL CHECK (party IN ('borrower', 'contact')),
  contact_slot INTEGER,
  relation TEXT,
  number TEXT,
  direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  duration_sec INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  recording_ref TEXT,
  note TEXT NOT NULL,
  next_follow_up_at TEXT,
  promise_amount_fen INTEGER,
  promise_date TEXT,
  companions TEXT NOT NULL DEFAULT '[]',
  override_id INTEGER UNIQUE REFERENCES compliance_overrides(id),
  corrects_id INTEGER UNIQUE REFERENCES contact_attempts(id)
) STRICT;
CREATE INDEX contact_attempts_case ON contact_attempts(case_id, started_at);
CREATE INDEX contact_attempts_number ON contact_attempts(number, started_at);
CREATE INDEX contact_attempts_collector ON contact_attempts(collector_id, started_at);
CREATE TRIGGER contact_attempts_no_update BEFORE UPDATE ON contact_attempts
BEGIN SELECT RAISE(ABORT, 'contact log entries are never changed: log a correction'); END;
CREATE TRIGGER contact_attempts_no_delete BEFORE DELETE ON contact_attempts
BEGIN SELECT RAISE(ABORT, 'contact log entries are never deleted'); END;

-- The borrower agreed to be contacted in quiet hours; why collection is paused.
ALTER TABLE cases ADD COLUMN quiet_hours_consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN pause_reason TEXT;
-- Per-lender guardrail limits (JSON over the defaults in shared/domain/casework/guardrails.ts).
ALTER TABLE lenders ADD COLUMN compliance TEXT NOT NULL DEFAULT '{}';
-- Per-lender escalation schedule (JSON list of steps; empty = the default in shared/domain/casework/escalation.ts).
ALTER TABLE lenders ADD COLUMN escalation TEXT NOT NULL DEFAULT '[]';
`;
