// Reports to lenders: the agency's Ed25519 signing keys (the private key only ever inside this encrypted
// store; retired keys kept to verify old reports), per-lender export templates and personal-data mode,
// the packages produced, saved schedules, and recalls (退案) with the cases each closed.
export const up = `
CREATE TABLE signing_keys (
  id INTEGER PRIMARY KEY,
  public_pem TEXT NOT NULL,
  private_der BLOB NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  retired_at TEXT
) STRICT;
-- At most one current key.
CREATE UNIQUE INDEX signing_keys_current ON signing_keys((retired_at IS NULL)) WHERE retired_at IS NULL;

-- Export template (JSON: per report, the columns in the lender's order and their headers) and whether the
-- lender's contract allows full personal data in reports (default: masked).
ALTER TABLE lenders ADD COLUMN export_template TEXT NOT NULL DEFAULT '{}';
ALTER TABLE lenders ADD COLUMN pii_full INTEGER NOT NULL DEFAULT 0;

CREATE TABLE report_exports (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  batch_id INTEGER REFERENCES batches(id),
  period_from TEXT,
  period_to TEXT,
  path TEXT NOT NULL,
  files TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  schedule_id INTEGER,
  generated_by INTEGER REFERENCES users(id),
  generated_at TEXT NOT NULL
) STRICT;
CREATE INDEX report_exports_lender ON report_exports(lender_id, generated_at);

CREATE TABLE report_schedules (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  name TEXT NOT NULL,
  every TEXT NOT NULL CHECK (every IN ('daily', 'weekly', 'monthly')),
  weekday INTEGER,
  month_day INTEGER,
  formats TEXT NOT NULL,
  zip INTEGER NOT NULL DEFAULT 1,
  out_dir TEXT,
  next_run_on TEXT NOT NULL,
  last_run_on TEXT,
  last_export_id INTEGER REFERENCES report_exports(id),
  last_error TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE recalls (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  source TEXT NOT NULL CHECK (source IN ('file', 'selection')),
  file_name TEXT,
  sha256 TEXT,
  reason TEXT NOT NULL,
  cases INTEGER NOT NULL,
  rejections TEXT NOT NULL DEFAULT '[]',
  recalled_by INTEGER NOT NULL REFERENCES users(id),
  recalled_at TEXT NOT NULL,
  UNIQUE (lender_id, sha256)
) STRICT;
CREATE TABLE recall_cases (
  recall_id INTEGER NOT NULL REFERENCES recalls(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  stage_before TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (recall_id, case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX recall_cases_case ON recall_cases(case_id);
`;
