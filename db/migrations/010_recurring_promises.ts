// Recurring promises to pay (e.g. ¥500 on the 15th for 6 months): how many and how many months apart.
export const up = `
ALTER TABLE contact_attempts ADD COLUMN promise_count INTEGER;
ALTER TABLE contact_attempts ADD COLUMN promise_every_months INTEGER;
`;
