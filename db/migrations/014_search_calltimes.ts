// Search the way call-centre staff do, and honest call times.
//
// case_search holds what a caller reads out (尾号): per case, the last four digits of the ID number, the
// borrower's mobile and each contact's phone as the key, with the whole value beside it, so "the last 6
// digits" or a whole contact phone is a range on the key filtered inside the index, never a read of the
// wide case rows. The row id says whose number it is: case id × 8 + 1 + slot (slot -1 the ID number, 0 the
// mobile, 1–6 contact 1–6), so a case's rows are one range and an import appends them in case order. One
// INSERT…SELECT per batch fills them right after the import commits (db/repos/case-search.ts), not inside
// its transaction: at 1M cases it costs as much as the load itself. Case numbers need no rows: their unique index answers a
// prefix typed in another letter case (db/repos/cases.ts).

/** The case id and slot of a case_search row id. */
export const SEARCH_KEY = { caseId: (k: number) => Math.floor(k / 8), slot: (k: number) => (k % 8) - 1 };

/**
 * Rows for the cases `where` selects (over `c`, the cases table). `compactOnly`: every selected case's
 * contacts are in the importer's form [slot, name, relation, phone(, 0 when it did not parse)]; otherwise
 * the older {slot, name, relation, phone, phoneValid} objects are read too (the backfill below).
 */
export function caseSearchInsert(where: string, compactOnly = true): string {
  if (compactOnly) {
    // Three passes over the batch's rows beat one over the contacts with the two numbers spliced in (JSON
    // rebuilt per case): 1.2 s against 2.5 s per 100,000 cases on a loaded machine.
    return `
INSERT OR REPLACE INTO case_search (k, term, full)
SELECT c.id * 8, substr(c.id_number, -4), c.id_number FROM cases c WHERE ${where} AND length(c.id_number) >= 4
UNION ALL SELECT c.id * 8 + 1, substr(c.mobile, -4), c.mobile FROM cases c WHERE ${where} AND length(c.mobile) >= 4
UNION ALL SELECT c.id * 8 + 1 + (e.value ->> 0), substr(e.value ->> 3, -4), e.value ->> 3 FROM cases c, json_each(c.contacts) e
WHERE ${where} AND e.value ->> 4 IS NULL AND length(e.value ->> 3) >= 4 AND (e.value ->> 0) BETWEEN 1 AND 6`;
  }
  // The ID number and the mobile ride along as two more entries of the contacts array.
  const entries = `json_each(json_insert(c.contacts, '$[#]', json_array(-1, 0, 0, c.id_number), '$[#]', json_array(0, 0, 0, c.mobile))) e`;
  const slot = `(CASE e.type WHEN 'array' THEN e.value ->> 0 ELSE e.value ->> '$.slot' END)`;
  const phone = `(CASE e.type WHEN 'array' THEN e.value ->> 3 ELSE e.value ->> '$.phone' END)`;
  const valid = `(CASE e.type WHEN 'array' THEN e.value ->> 4 IS NOT 0 ELSE coalesce(e.value ->> '$.phoneValid', 1) END)`;
  return `
INSERT OR REPLACE INTO case_search (k, term, full)
SELECT c.id * 8 + 1 + ${slot}, substr(${phone}, -4), ${phone} FROM cases c, ${entries}
WHERE ${where} AND ${valid} AND length(${phone}) >= 4 AND ${slot} BETWEEN -1 AND 6`;
}

/** The index searches read; a large refresh drops and rebuilds it (one sort beats millions of inserts). */
export const SEARCH_INDEXES: Record<string, string> = {
  case_search_term: 'CREATE INDEX case_search_term ON case_search(term, full)',
};

export const up = `
ALTER TABLE contact_attempts ADD COLUMN late_reason TEXT;

CREATE TABLE case_search (
  k INTEGER PRIMARY KEY,
  term TEXT NOT NULL,
  full TEXT NOT NULL
) STRICT;
-- Batches whose search rows are still to be written (the import commits first, then writes them).
CREATE TABLE case_search_pending (batch_id INTEGER PRIMARY KEY, since TEXT NOT NULL) STRICT;
${caseSearchInsert('1', false)};
${Object.values(SEARCH_INDEXES).join(';\n')};
`;
