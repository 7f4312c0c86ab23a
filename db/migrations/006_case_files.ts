// Files attached to a case (proof of hardship, a letter, a payment slip): inside the encrypted store like
// everything else, and never deleted — evidence stays.
export const up = `
CREATE TABLE case_files (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  note TEXT NOT NULL,
  data BLOB NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES users(id),
  uploaded_at TEXT NOT NULL
) STRICT;
CREATE INDEX case_files_case ON case_files(case_id, id);
CREATE TRIGGER case_files_no_update BEFORE UPDATE ON case_files
BEGIN SELECT RAISE(ABORT, 'case files are evidence: never changed'); END;
CREATE TRIGGER case_files_no_delete BEFORE DELETE ON case_files
BEGIN SELECT RAISE(ABORT, 'case files are evidence: never deleted'); END;
`;
