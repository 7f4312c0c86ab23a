// Complaints (投诉) and case flags (失联, 投诉, 高风险, 已故).
//
// A complaint is recorded on a case and walks open → answered → closed; while it is not closed the case
// gets no outbound contact (shared/domain/casework/guardrails.ts, rule complaint_open). Its answer is due
// `due_at`; overdue = open past that time. case_flags holds one row per flag set on a case; the complaint
// flag is kept by the complaint service (set on record, removed when the case's last complaint closes).
export const up = `
CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  channel TEXT NOT NULL,
  from_party TEXT NOT NULL,
  contact_slot INTEGER,
  what TEXT NOT NULL,
  against_user_id INTEGER REFERENCES users(id),
  received_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  recorded_at TEXT NOT NULL,
  answer TEXT,
  answered_by INTEGER REFERENCES users(id),
  answered_at TEXT,
  closed_by INTEGER REFERENCES users(id),
  closed_at TEXT,
  close_note TEXT
);
CREATE INDEX complaints_case ON complaints(case_id, status);
CREATE INDEX complaints_status_due ON complaints(status, due_at);

CREATE TABLE case_flags (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  flag TEXT NOT NULL CHECK (flag IN ('lost_contact', 'complaint', 'high_risk', 'deceased')),
  set_by INTEGER NOT NULL REFERENCES users(id),
  set_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, flag)
) WITHOUT ROWID;
CREATE INDEX case_flags_flag ON case_flags(flag, case_id);
`;
