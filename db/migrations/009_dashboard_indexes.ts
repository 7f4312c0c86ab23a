// Indexes for the managers' dashboard (dashboard.get): a period's contact attempts, and the promises due
// in a period, read without scanning the whole contact log (which only grows: years of attempts against a
// month's dashboard). Narrow: two integers and a date or time per row.
export const up = `
CREATE INDEX contact_attempts_started ON contact_attempts(started_at);
CREATE INDEX contact_attempts_promise_date ON contact_attempts(promise_date) WHERE promise_amount_fen IS NOT NULL;
`;
