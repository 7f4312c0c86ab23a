// The search table (migration 014): kept in step with the cases by the import, and read by the case list's
// search box for tails of phones and ID numbers (尾号), contacts' phones and case-number prefixes.
import type { Db } from '../open.js';
import { caseSearchInsert } from '../migrations/014_search_calltimes.js';

/**
 * Writes the search rows of every case a batch placed or re-placed (both carry its batch id), inside the
 * import's transaction before COMMIT: one DELETE for the re-placed cases' old rows, one INSERT…SELECT.
 */
export function refreshCaseSearch(db: Db, batchId: number): void {
  if (!Number.isSafeInteger(batchId)) throw new Error('batch id must be an integer');
  db.prepare('DELETE FROM case_search WHERE case_id IN (SELECT id FROM cases WHERE batch_id = ? AND first_batch_id <> ?)').run(batchId, batchId);
  db.exec(caseSearchInsert(`c.batch_id = ${batchId}`));
}

/** What the search box asked for, decided in core from the text typed. */
export type SearchTerm =
  /** The last 4+ characters of a phone (borrower's or a contact's) or an ID number; from 6 digits also a case-number start. */
  | { kind: 'tail'; digits: string }
  /** The start of a case number, any letter case. */
  | { kind: 'caseNo'; prefix: string };

/** SQL and arguments selecting the case ids a term matches, to use as `c.id IN (…)`. */
export function searchIds(t: SearchTerm, args: Record<string, unknown>): string {
  if (t.kind === 'caseNo') {
    args.sLo = `c${t.prefix.toUpperCase()}`;
    args.sHi = `c${t.prefix.toUpperCase()}\u{10FFFF}`;
    return 'SELECT case_id FROM case_search WHERE term >= @sLo AND term < @sHi';
  }
  const last4 = t.digits.slice(-4).toUpperCase();
  args.sTail = t.digits.toUpperCase();
  args.sPhone = `p${last4}`;
  args.sId = `i${last4}`;
  // Four digits are the key; more are checked against the whole value kept in the same index entry.
  const tails = 'SELECT case_id FROM case_search WHERE term IN (@sPhone, @sId) AND substr(full, -length(@sTail)) = @sTail';
  if (t.digits.length < 6) return tails;
  // Six digits or more may also start a case number written in digits (个案序列号 20250301…).
  args.sLo = `c${args.sTail as string}`;
  args.sHi = `c${args.sTail as string}\u{10FFFF}`;
  return `${tails} UNION ALL SELECT case_id FROM case_search WHERE term >= @sLo AND term < @sHi`;
}

export interface SearchMatch {
  case_id: number;
  slot: number;
}

/** Which of the cases' numbers a tail matched (the mobile, the ID number, a contact's phone). */
export function searchMatches(db: Db, t: SearchTerm, caseIds: readonly number[]): SearchMatch[] {
  if (caseIds.length === 0 || t.kind !== 'tail') return [];
  const last4 = t.digits.slice(-4).toUpperCase();
  return db
    .prepare<[string, string, string, string, string], SearchMatch>(
      `SELECT case_id, slot FROM case_search WHERE term IN (?, ?) AND substr(full, -length(?)) = ?
         AND case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, slot`,
    )
    .all(`p${last4}`, `i${last4}`, t.digits.toUpperCase(), t.digits.toUpperCase(), JSON.stringify(caseIds));
}
