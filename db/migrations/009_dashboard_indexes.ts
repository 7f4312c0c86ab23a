// Indexes for the managers' dashboard (dashboard.get): a period's contact attempts, and the promises due
// in a period, read without scanning the whole contact log (which only grows: years of attempts against a
// month's dashboard). Covering: the dashboard reads these columns from the index, never the wide rows.
export const up = `
CREATE INDEX contact_attempts_started ON contact_attempts(started_at, party, channel, collector_id, outcome, case_id);
CREATE INDEX contact_attempts_promise_date ON contact_attempts(promise_date, case_id, collector_id, started_at, promise_amount_fen) WHERE promise_amount_fen IS NOT NULL;
`;
