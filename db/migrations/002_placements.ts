// Placements: lenders, their import mapping templates, batches (委案批次), cases,
// case history and the rows an import rejected.
export const up = `
CREATE TABLE lenders (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  default_terms TEXT NOT NULL DEFAULT '{}',
  public_key_pem TEXT,
  reject_policy TEXT NOT NULL DEFAULT 'skip_rows' CHECK (reject_policy IN ('skip_rows', 'block_file')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE mapping_templates (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  name TEXT NOT NULL,
  mapping TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (lender_id, name)
) STRICT;

CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  batch_no TEXT NOT NULL,
  placement_date TEXT NOT NULL,
  term_end_date TEXT,
  source_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  source_bytes INTEGER NOT NULL,
  source_format TEXT NOT NULL,
  template_name TEXT,
  mapping TEXT NOT NULL,
  rows_total INTEGER NOT NULL,
  rows_imported INTEGER NOT NULL,
  rows_updated INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (lender_id, batch_no),
  UNIQUE (lender_id, source_sha256)
) STRICT;

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  lender_id INTEGER NOT NULL REFERENCES lenders(id),
  case_no TEXT NOT NULL,
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  first_batch_id INTEGER NOT NULL REFERENCES batches(id),
  borrower_name TEXT NOT NULL,
  id_number TEXT NOT NULL,
  gender TEXT,
  birth_date TEXT,
  province TEXT,
  mobile TEXT NOT NULL,
  home_address TEXT,
  work_address TEXT,
  registered_address TEXT,
  employer TEXT,
  product_name TEXT,
  loan_amount_fen INTEGER,
  loan_date TEXT,
  due_date TEXT,
  interest_rate TEXT,
  remaining_principal_fen INTEGER,
  overdue_amount_fen INTEGER NOT NULL,
  overdue_principal_fen INTEGER,
  overdue_interest_fen INTEGER,
  overdue_penalty_fen INTEGER,
  overdue_late_fee_fen INTEGER,
  placement_amount_fen INTEGER,
  days_overdue INTEGER,
  bucket TEXT,
  overdue_periods INTEGER,
  paid_periods INTEGER,
  last_payment_date TEXT,
  last_payment_fen INTEGER,
  notes TEXT,
  -- Contacts 1–6 from the loan file as JSON [{slot, name, relation, phone}]: one row write per case.
  contacts TEXT NOT NULL DEFAULT '[]',
  -- Columns of the file that map to no field, kept as {header: value} so nothing is lost.
  extra TEXT NOT NULL DEFAULT '{}',
  stage TEXT NOT NULL DEFAULT 'new',
  status TEXT NOT NULL DEFAULT 'open',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- One case per lender and case number (case number first: the search box looks it up alone). A named index, not a table constraint, so that a first bulk
-- placement for a lender (de-duplicated in memory) can build it once at the end.
CREATE UNIQUE INDEX cases_case_lender ON cases(case_no, lender_id);

CREATE TABLE case_history (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at TEXT NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  batch_id INTEGER REFERENCES batches(id),
  kind TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;

CREATE TABLE import_rejections (
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  row_no INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw TEXT NOT NULL
) STRICT;
CREATE INDEX import_rejections_batch ON import_rejections(batch_id, row_no);
`;

/** Secondary indexes of cases: a large import drops and rebuilds them inside its transaction. */
export const CASE_INDEXES: Record<string, string> = {
  cases_batch: 'CREATE INDEX cases_batch ON cases(batch_id)',
  cases_lender_bucket: 'CREATE INDEX cases_lender_bucket ON cases(lender_id, bucket, overdue_amount_fen)',
  cases_amount: 'CREATE INDEX cases_amount ON cases(overdue_amount_fen)',
  cases_mobile: 'CREATE INDEX cases_mobile ON cases(mobile)',
  cases_id_number: 'CREATE INDEX cases_id_number ON cases(id_number)',
  cases_name: 'CREATE INDEX cases_name ON cases(borrower_name)',
  case_history_case: 'CREATE INDEX case_history_case ON case_history(case_id, id)',
  // Open cases' amounts in a narrow index: collectors' workloads sum it without reading the wide rows.
  cases_open_amount: "CREATE INDEX cases_open_amount ON cases(id, overdue_amount_fen) WHERE status = 'open'",
};

export const upIndexes = Object.values(CASE_INDEXES).join(';\n') + ';';
