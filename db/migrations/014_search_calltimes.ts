// Search the way call-centre staff do, and honest call times.
//
// case_search holds, per case, what a caller reads out: the last four digits of the borrower's mobile, of
// the ID number and of each contact's phone (尾号), and the case number in capitals. Each row keeps the
// whole value beside the four-digit key, so "the last 6 digits" or a full contact phone is a range on the
// key filtered inside the index, never a read of the wide case rows. Case numbers are kept whole (term
// 'c' + the number in capitals): a prefix in any letter case is a range. Keyed by (case, slot): written in case
// order by one INSERT…SELECT per import (see db/repos/case-search.ts); the term index is what a search
// reads, and a bulk import rebuilds it once at the end like the cases' own indexes.
//
// slot: -2 case number, -1 ID number, 0 the borrower's mobile, 1–6 contact 1–6.

/** Rows of case_search for the cases `where` selects (an expression over `c`, the cases table). */
export function caseSearchInsert(where: string): string {
  // One pass over the cases: the case number, ID number and mobile ride along as three more entries of
  // the contacts array. Contacts are stored as [slot, name, relation, phone(, 0 when the phone did not
  // parse)] or, in older stores, as {slot, name, relation, phone, phoneValid}; landlines lose their dashes.
  return `
INSERT INTO case_search (case_id, slot, term, full)
SELECT id, slot, CASE WHEN slot = -2 THEN 'c' || d ELSE (CASE WHEN slot = -1 THEN 'i' ELSE 'p' END) || substr(d, -4) END, CASE WHEN slot = -2 THEN '' ELSE d END
FROM (
  SELECT c.id,
    CASE e.type WHEN 'array' THEN e.value ->> '$[0]' ELSE e.value ->> '$.slot' END AS slot,
    CASE e.type WHEN 'array' THEN coalesce(e.value ->> '$[4]', 1) ELSE coalesce(e.value ->> '$.phoneValid', 1) END AS valid,
    CASE WHEN (CASE e.type WHEN 'array' THEN e.value ->> '$[0]' ELSE e.value ->> '$.slot' END) > 0
      THEN replace(CASE e.type WHEN 'array' THEN e.value ->> '$[3]' ELSE e.value ->> '$.phone' END, '-', '')
      ELSE CASE e.type WHEN 'array' THEN e.value ->> '$[3]' ELSE e.value ->> '$.phone' END END AS d
  FROM cases c,
    json_each(json_insert(c.contacts, '$[#]', json_array(-2, NULL, NULL, upper(c.case_no)), '$[#]', json_array(-1, NULL, NULL, c.id_number),
      '$[#]', json_array(0, NULL, NULL, c.mobile))) e
  WHERE ${where}
) WHERE valid AND slot BETWEEN -2 AND 6 AND (slot = -2 OR length(d) >= 4)`;
}

/** The index searches read; a bulk import drops and rebuilds it like CASE_INDEXES. */
export const SEARCH_INDEXES: Record<string, string> = {
  case_search_term: 'CREATE INDEX case_search_term ON case_search(term, full)',
};

export const up = `
ALTER TABLE contact_attempts ADD COLUMN late_reason TEXT;

CREATE TABLE case_search (
  case_id INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  term TEXT NOT NULL,
  full TEXT NOT NULL,
  PRIMARY KEY (case_id, slot)
) STRICT, WITHOUT ROWID;
${caseSearchInsert('1')};
${Object.values(SEARCH_INDEXES).join(';\n')};
`;
