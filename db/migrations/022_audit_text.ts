// Erasable audit text (issue 17, PIPL). The audit log is hash-chained and append-only, so what is typed into an
// entry (a reason naming the borrower, a file name, a note) could never be erased. From this migration on, an
// entry about a case keeps its free text in audit_text, with a random salt; the entry's hash (form 2) covers
// sha256(salt ‖ text) in text_digest instead of the text. Erasing the case clears the text and the salt (the
// digest then says nothing about them), records which erasure run did it, and the chain still verifies.
// Entries written before this migration keep form 1 (their hash covers the detail itself): verification knows
// both forms, and their text stays (README: Privacy).
// audit_text is append-only like the log, except that an erasure transaction (a case in erasure_open) may clear
// a row's text and salt and name its run; nothing is ever deleted.
export const up = `
ALTER TABLE audit_log ADD COLUMN hash_form INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN text_digest TEXT;

CREATE TABLE audit_text (
  seq INTEGER PRIMARY KEY,
  case_id INTEGER,
  salt BLOB,
  text TEXT,
  erased_run INTEGER REFERENCES erasure_runs(id),
  erased_at TEXT
) STRICT;
CREATE INDEX audit_text_case ON audit_text(case_id) WHERE case_id IS NOT NULL;
CREATE INDEX audit_text_several ON audit_text(seq) WHERE case_id IS NULL AND text IS NOT NULL;

CREATE TRIGGER audit_text_no_delete BEFORE DELETE ON audit_text
BEGIN SELECT RAISE(ABORT, 'audit text is never deleted (an erasure clears it)'); END;
CREATE TRIGGER audit_text_erase_only BEFORE UPDATE ON audit_text
WHEN NOT (EXISTS (SELECT 1 FROM erasure_open) AND OLD.text IS NOT NULL AND NEW.text IS NULL AND NEW.salt IS NULL
          AND NEW.seq = OLD.seq AND NEW.case_id IS OLD.case_id AND NEW.erased_run IS NOT NULL AND NEW.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'audit text is never changed: only an erasure clears it'); END;

-- From this version every connection zeroes what it frees (secure_delete, db/open.ts). A store that already holds
-- cases may keep stale copies in free space from before: its next erasure VACUUMs once (db/reclaim.ts).
INSERT OR REPLACE INTO meta (key, value) SELECT 'erasure_vacuum_due', '1' WHERE EXISTS (SELECT 1 FROM cases);
`;
