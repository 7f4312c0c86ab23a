// Assignment (分案): collector profiles, the buckets each team owns, the assignment log, automatic
// rules, who holds each case and every move, and the dates the work queue orders by (set by casework
// and payments as they land).
export const up = `
ALTER TABLE teams ADD COLUMN buckets TEXT NOT NULL DEFAULT '[]';

CREATE TABLE collector_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  level TEXT NOT NULL DEFAULT '',
  skills TEXT NOT NULL DEFAULT '[]',
  regions TEXT NOT NULL DEFAULT '[]',
  absent INTEGER NOT NULL DEFAULT 0 CHECK (absent IN (0, 1)),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE assignment_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  lender_id INTEGER REFERENCES lenders(id),
  bucket TEXT,
  rule TEXT NOT NULL,
  pool TEXT NOT NULL,
  keep_borrower INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- One row per assignment action; the moves it made are in assignment_moves.
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('rule', 'manual', 'auto')),
  rule TEXT NOT NULL,
  rule_id INTEGER REFERENCES assignment_rules(id) ON DELETE SET NULL,
  assigned INTEGER NOT NULL,
  unassignable INTEGER NOT NULL,
  detail TEXT NOT NULL
) STRICT;

-- Who holds each case now (no row, or a NULL collector: in the pool). A narrow table of its own, not a
-- column of the wide cases table: assigning a million cases then rewrites ~30 MB, not the whole 500 MB
-- of cases. case_id has no REFERENCES on purpose: that check reads the wide row for every case; core
-- writes only ids it has just read from cases.
CREATE TABLE case_assignments (
  case_id INTEGER PRIMARY KEY,
  collector_id INTEGER REFERENCES users(id),
  assignment_id INTEGER NOT NULL REFERENCES assignments(id),
  assigned_at TEXT NOT NULL
) STRICT;
CREATE INDEX case_assignments_collector ON case_assignments(collector_id);

-- Every change of holder, written by the store itself (triggers), so no code path can skip the record.
-- Keyed by case, so a case's moves are one range and no second index is written per move.
CREATE TABLE assignment_moves (
  case_id INTEGER NOT NULL,
  assignment_id INTEGER NOT NULL REFERENCES assignments(id),
  from_collector INTEGER,
  to_collector INTEGER,
  PRIMARY KEY (case_id, assignment_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER case_assignments_insert AFTER INSERT ON case_assignments
BEGIN INSERT INTO assignment_moves VALUES (NEW.case_id, NEW.assignment_id, NULL, NEW.collector_id); END;
CREATE TRIGGER case_assignments_update AFTER UPDATE ON case_assignments WHEN OLD.collector_id IS NOT NEW.collector_id
BEGIN INSERT INTO assignment_moves VALUES (NEW.case_id, NEW.assignment_id, OLD.collector_id, NEW.collector_id); END;
CREATE TRIGGER case_assignments_no_delete BEFORE DELETE ON case_assignments
BEGIN SELECT RAISE(ABORT, 'recall a case by setting its collector to NULL'); END;
CREATE TRIGGER assignment_moves_no_update BEFORE UPDATE ON assignment_moves
BEGIN SELECT RAISE(ABORT, 'assignment_moves is append-only'); END;
CREATE TRIGGER assignment_moves_no_delete BEFORE DELETE ON assignment_moves
BEGIN SELECT RAISE(ABORT, 'assignment_moves is append-only'); END;

ALTER TABLE cases ADD COLUMN next_follow_up_at TEXT;
ALTER TABLE cases ADD COLUMN promise_due_date TEXT;
`;
