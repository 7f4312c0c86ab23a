// Each collector's cases in one place (issue 16): what a collector's Today and case list read, kept by the
// store itself (triggers, like assignment_moves and the dashboard's tables), so no code path can skip it.
//
// Why: a collector's 20,000 held cases are spread over the whole cases table, one every ~50 rows. Reading
// them touches ~20,000 pages of the 500 MB table, and on the team server the reading connection's page cache
// is emptied by SQLite whenever another connection commits (every few hundred ms with 50 desks logging
// calls), so each page is read and decrypted again: Today 52 ms, a deep page of the list 420 ms, per call.
// Here a collector's rows are one range of a narrow table keyed by collector (~300 pages for 20,000 cases):
// Today reads the part of it that is open, and the list finds its page in the amount index below before it reads the 50 rows
// it shows.
//
// A row per case with a holder (case_assignments.collector_id not NULL), with the case's columns that Today
// ranks by and the list's amount key (OUTSTANDING_KEY, word for word). db/repos/collector-cases.ts has the
// reference query the tests and `agencydesk check` compare this table with.
import { OUTSTANDING_KEY } from './012_balance_terms.js';

/** What collector_cases copies of case `c` (alias), in its column order after collector_id and case_id. */
const caseColumns = (c: string) =>
  `${c}.status, ${OUTSTANDING_KEY.replace(/(outstanding_fen|placement_amount_fen|overdue_amount_fen)/g, `${c}.$1`)}, ${c}.lender_id, ${c}.batch_id,
   ${c}.placed_on, ${c}.days_overdue, ${c}.stage, ${c}.promise_due_date, ${c}.next_follow_up_at`;

/** The row of case `c` (alias) held by `collector`, in collector_cases' column order. */
export const collectorCaseRow = (collector: string, c: string) => `${collector}, ${c}.id, ${caseColumns(c)}`;

/** collector_cases' columns, in order. */
export const COLUMNS = 'collector_id, case_id, status, amount_key, lender_id, batch_id, placed_on, days_overdue, stage, promise_due_date, next_follow_up_at';

/** The columns a case update must copy (every column collectorCaseRow reads but id). */
const WATCHED = 'status, outstanding_fen, placement_amount_fen, overdue_amount_fen, lender_id, batch_id, placed_on, days_overdue, stage, promise_due_date, next_follow_up_at';

export const TABLE = `
CREATE TABLE collector_cases (
  collector_id INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  amount_key INTEGER,
  lender_id INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  placed_on TEXT,
  days_overdue INTEGER,
  stage TEXT NOT NULL,
  promise_due_date TEXT,
  next_follow_up_at TEXT,
  -- Today reads a collector's open cases only: one range of the key (a case that finishes moves out of it).
  PRIMARY KEY (collector_id, status, case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX collector_cases_case ON collector_cases(case_id);
-- The list's page: a collector's cases of every status by amount, ties by id.
CREATE INDEX collector_cases_amount ON collector_cases(collector_id, amount_key, case_id);
`;

export const BACKFILL = `
INSERT INTO collector_cases (${COLUMNS})
SELECT ${collectorCaseRow('a.collector_id', 'c')} FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.collector_id IS NOT NULL;
`;

// A holder row is replaced whole (delete, then insert from the case); a case's update rewrites its columns.
// INSERT OR REPLACE into case_assignments fires the insert trigger only (no delete trigger without
// recursive_triggers), hence the delete by case first.
const TRIGGERS = `
CREATE TRIGGER collector_cases_holder_insert AFTER INSERT ON case_assignments BEGIN
  DELETE FROM collector_cases WHERE case_id = NEW.case_id;
  INSERT INTO collector_cases (${COLUMNS}) SELECT ${collectorCaseRow('NEW.collector_id', 'c')} FROM cases c WHERE c.id = NEW.case_id AND NEW.collector_id IS NOT NULL;
END;
CREATE TRIGGER collector_cases_holder_update AFTER UPDATE OF case_id, collector_id ON case_assignments
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.collector_id IS NOT NEW.collector_id BEGIN
  DELETE FROM collector_cases WHERE case_id = OLD.case_id;
  DELETE FROM collector_cases WHERE case_id = NEW.case_id;
  INSERT INTO collector_cases (${COLUMNS}) SELECT ${collectorCaseRow('NEW.collector_id', 'c')} FROM cases c WHERE c.id = NEW.case_id AND NEW.collector_id IS NOT NULL;
END;
CREATE TRIGGER collector_cases_holder_delete AFTER DELETE ON case_assignments BEGIN
  DELETE FROM collector_cases WHERE case_id = OLD.case_id;
END;
CREATE TRIGGER collector_cases_case_update AFTER UPDATE OF ${WATCHED} ON cases BEGIN
  UPDATE collector_cases SET (${COLUMNS.split(', ').slice(2).join(', ')}) = (SELECT ${caseColumns('NEW')}) WHERE case_id = NEW.id;
END;
CREATE TRIGGER collector_cases_case_delete AFTER DELETE ON cases BEGIN
  DELETE FROM collector_cases WHERE case_id = OLD.id;
END;
`;

export const up = TABLE + BACKFILL + TRIGGERS;
