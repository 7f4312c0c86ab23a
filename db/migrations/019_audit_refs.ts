// Row ↔ audit references (issue 17): every payment, reversal, contact-log entry and assignment names the audit
// entry that records it (audit_seq, set by the repos at insert: the entry is appended next in the same
// transaction), so `check` can report a row without its entry and an entry whose row is gone.
// Rows written before this migration keep NULL ("pre-anchor"): those tables refuse UPDATE by trigger, and
// rewriting them would mean dropping and re-creating triggers other migrations own. `check` matches them by
// the id their entry names instead (db/repos/audit-refs.ts); audit_refs_from records where NULL stops being allowed.
export const up = `
ALTER TABLE payments ADD COLUMN audit_seq INTEGER;
ALTER TABLE contact_attempts ADD COLUMN audit_seq INTEGER;
ALTER TABLE assignments ADD COLUMN audit_seq INTEGER;
INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_refs_from', json_object(
  'payments', (SELECT coalesce(max(id), 0) FROM payments),
  'contact_attempts', (SELECT coalesce(max(id), 0) FROM contact_attempts),
  'assignments', (SELECT coalesce(max(id), 0) FROM assignments),
  'audit', (SELECT coalesce(max(seq), 0) FROM audit_log)));
`;
