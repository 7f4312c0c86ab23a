// Row ↔ audit references for more evidence (issue 17; 019 did payments, contact log and assignments): legal
// referrals and their events, complaints, negotiated plans (promises in writing), recalls, stage moves
// (case_history rows of kind 'stage') and case flags name the audit entry that records them (audit_seq, set by
// the repos at insert: the entry is appended next in the same transaction). `check` verifies both ways
// (db/repos/audit-refs.ts). Older rows keep NULL and are matched by the id their entry names; audit_refs_from
// gets the marks where NULL stops being allowed. case_flags has no id: its existing rows are marked 0 ("set
// before references"), and stage moves and flags recorded before this migration name no row, so their entries
// from before 'audit_023' are not looked for.
export const up = `
ALTER TABLE legal_referrals ADD COLUMN audit_seq INTEGER;
ALTER TABLE legal_events ADD COLUMN audit_seq INTEGER;
ALTER TABLE complaints ADD COLUMN audit_seq INTEGER;
ALTER TABLE plans ADD COLUMN audit_seq INTEGER;
ALTER TABLE recalls ADD COLUMN audit_seq INTEGER;
ALTER TABLE case_history ADD COLUMN audit_seq INTEGER;
ALTER TABLE case_flags ADD COLUMN audit_seq INTEGER;
UPDATE case_flags SET audit_seq = 0;
-- check looks up each move entry's row by its reference.
CREATE INDEX case_history_audit ON case_history(audit_seq) WHERE audit_seq IS NOT NULL;
INSERT INTO meta (key, value) VALUES ('audit_refs_from', json_object(
  'legal_referrals', (SELECT coalesce(max(id), 0) FROM legal_referrals),
  'legal_events', (SELECT coalesce(max(id), 0) FROM legal_events),
  'complaints', (SELECT coalesce(max(id), 0) FROM complaints),
  'plans', (SELECT coalesce(max(id), 0) FROM plans),
  'recalls', (SELECT coalesce(max(id), 0) FROM recalls),
  'case_history', (SELECT coalesce(max(id), 0) FROM case_history),
  'audit_023', (SELECT coalesce(max(seq), 0) FROM audit_log)))
ON CONFLICT (key) DO UPDATE SET value = json_patch(value, excluded.value);
`;
