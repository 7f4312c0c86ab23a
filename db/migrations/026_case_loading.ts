// A placement import written in parts (core/import/pipeline.ts): its new cases go into the store in short
// transactions, so that collectors' writes commit between them, and stay out of sight until the import
// publishes the batch in one short last transaction. Out of sight is one rule for every reader: the table
// becomes `case_rows` and `cases` a view of it without the rows of a load in progress. A load always
// writes the newest case ids (one load at a time, and nothing else adds cases meanwhile), so the rule is a
// bound on the row id, which every index carries: no index stops covering a query.
// Writes go to `case_rows` (a view cannot be written). A load killed half-way is undone when the store
// next opens (core/import/loading.ts).
import { CASES_DELETE_BODY } from './017_dashboard_summary.js';

export const up = `
CREATE TABLE case_loading (
  batch_id INTEGER PRIMARY KEY REFERENCES batches(id),
  -- The first case id this load writes: every case from here up is its own until it publishes.
  first_id INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  -- The import job writing it (random): when that job's worker dies, its load (and no other) is undone.
  owner TEXT NOT NULL
) STRICT;
-- Re-placed cases' new values, applied when the load publishes (an update is visible at once, so it waits).
CREATE TABLE case_loading_updates (
  batch_id INTEGER NOT NULL REFERENCES case_loading(batch_id),
  row_no INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  vals TEXT NOT NULL,
  PRIMARY KEY (batch_id, row_no)
) STRICT;
ALTER TABLE cases RENAME TO case_rows;
CREATE VIEW cases AS SELECT * FROM case_rows WHERE id < (SELECT coalesce(min(first_id), 9223372036854775807) FROM case_loading);
-- A load undone takes out rows that never went into the summary tables (its batch is deferred until it publishes).
DROP TRIGGER dashboard_cases_delete;
CREATE TRIGGER dashboard_cases_delete AFTER DELETE ON case_rows WHEN NOT EXISTS (SELECT 1 FROM dashboard_defer WHERE batch_id = OLD.batch_id) BEGIN${CASES_DELETE_BODY.replaceAll(' cases c ', ' case_rows c ')}END;
`;
