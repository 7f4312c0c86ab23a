// A large assignment is written in chunks, each its own short transaction, so that collectors' writes get the
// lock in between (issue 16; core/assignment/apply.ts). To be "all, exactly once, even after a kill", its plan
// is stored first: assignment_pending is one applying assignment (assignment_id NULL while its plan is still
// being stored: such a row is dropped, never applied) and assignment_pending_moves its planned moves, one row
// per chunk. A chunk's moves and the deletion of its row commit together: the rows left are what is left to do.
// The last chunk appends the one audit entry and deletes the assignment_pending row.
export const up = `
CREATE TABLE assignment_pending (
  id INTEGER PRIMARY KEY,
  assignment_id INTEGER UNIQUE REFERENCES assignments(id),
  chunks INTEGER NOT NULL,
  moves INTEGER NOT NULL,
  -- JSON: the plan's figures, what the audit entry says, and the moves skipped so far per collector.
  state TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE assignment_pending_moves (
  pending_id INTEGER NOT NULL REFERENCES assignment_pending(id),
  chunk INTEGER NOT NULL,
  -- JSON array of [caseId, from, to, version, stage, bucket, province, amountFen].
  moves TEXT NOT NULL,
  PRIMARY KEY (pending_id, chunk)
) STRICT;
`;
