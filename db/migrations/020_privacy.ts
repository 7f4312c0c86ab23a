// Retention and erasure (PIPL: the agency is an entrusted processor).
//
// lenders.retention: days after return / settlement before a case's personal data is erased (JSON over the
// defaults in shared/domain/privacy.ts). cases.erased_at / erasure_run_id: the case's personal data is gone,
// by which run. erasure_runs: one row per run, with its signed certificate once written.
// erasure_open: the one case an erasure transaction is scrubbing right now. The append-only tables
// (contact log, files, payments, what a lender reported, legal events) stay closed to every UPDATE except
// for a case listed there; the erasure inserts its case, scrubs, and deletes the row in the same transaction,
// so outside one the table is always empty and the triggers refuse as before. Nothing can be DELETEd.
const guarded = (table: string, message: string, caseOf: string) => `
DROP TRIGGER IF EXISTS ${table}_no_update;
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
WHEN NOT EXISTS (SELECT 1 FROM erasure_open WHERE case_id = ${caseOf})
BEGIN SELECT RAISE(ABORT, '${message}'); END;`;

export const up = `
ALTER TABLE lenders ADD COLUMN retention TEXT NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN erased_at TEXT;
ALTER TABLE cases ADD COLUMN erasure_run_id INTEGER;

CREATE TABLE erasure_runs (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  started_at TEXT NOT NULL,
  started_by INTEGER NOT NULL REFERENCES users(id),
  finished_at TEXT,
  cases INTEGER NOT NULL DEFAULT 0,
  path TEXT,
  fingerprint TEXT,
  manifest_sha256 TEXT
) STRICT;
CREATE INDEX cases_erasure_run ON cases(erasure_run_id) WHERE erasure_run_id IS NOT NULL;
CREATE INDEX cases_finished ON cases(lender_id, status) WHERE status <> 'open' AND erased_at IS NULL;

CREATE TABLE erasure_open (case_id INTEGER PRIMARY KEY) STRICT;
${guarded('contact_attempts', 'contact log entries are never changed: log a correction', 'OLD.case_id')}
${guarded('case_files', 'case files are evidence: never changed', 'OLD.case_id')}
${guarded('payments', 'payments are never changed: post a reversal', 'OLD.case_id')}
${guarded('lender_payments', 'what a lender reported is kept as it was', 'OLD.case_id')}
${guarded('legal_events', 'legal events are never changed', '(SELECT case_id FROM legal_referrals WHERE id = OLD.referral_id)')}
`;
