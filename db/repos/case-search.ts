// The search table (migration 014): written for each batch right after its import commits, and read by the case list's
// search box for tails of phones and ID numbers (尾号) and contacts' phones.
import type { Db } from '../open.js';
import { caseSearchInsert, SEARCH_INDEXES } from '../migrations/014_search_calltimes.js';

/**
 * Writes the search rows of every case a batch placed or re-placed (both carry its batch id): the re-placed
 * cases' old rows out (each case's rows are one range of row ids), then one INSERT…SELECT.
 */
export function refreshCaseSearch(db: Db, batchId: number): void {
  if (!Number.isSafeInteger(batchId)) throw new Error('batch id must be an integer');
  db.prepare(
    `DELETE FROM case_search WHERE k IN (SELECT c.id * 8 + s.value FROM cases c, json_each('[0,1,2,3,4,5,6,7]') s WHERE c.batch_id = ? AND c.first_batch_id <> ?)`,
  ).run(batchId, batchId);
  db.exec(caseSearchInsert(`c.batch_id = ${batchId}`));
}

/** Inside the import's transaction: this batch's search rows are owed (cheap; written after COMMIT). */
export function markCaseSearchPending(db: Db, batchId: number, now: string): void {
  db.prepare('INSERT OR IGNORE INTO case_search_pending (batch_id, since) VALUES (?, ?)').run(batchId, now);
}

/** Batches whose search rows are owed, oldest first, optionally only those owed since before `before`. */
export function pendingSearchBatches(db: Db, before?: string): number[] {
  return (db.prepare('SELECT batch_id FROM case_search_pending WHERE since < ? ORDER BY batch_id').all(before ?? '9999') as { batch_id: number }[]).map((r) => r.batch_id);
}

/**
 * Writes what is owed, in one transaction of its own (searchers see the previous complete state until it
 * commits). `rebuild`: drop the term index and build it once at the end (a large batch: one sort beats
 * millions of inserts in random order). Run by the import worker right after its COMMIT, and again for
 * anything a killed worker left owed.
 */
export function writePendingCaseSearch(db: Db, rebuild: boolean): number {
  let done = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    const batches = pendingSearchBatches(db);
    if (rebuild && batches.length) for (const name of Object.keys(SEARCH_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
    for (const b of batches) {
      refreshCaseSearch(db, b);
      db.prepare('DELETE FROM case_search_pending WHERE batch_id = ?').run(b);
      done++;
    }
    for (const sql of Object.values(SEARCH_INDEXES)) db.exec(sql.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  return done;
}

/** The last 4 or more characters of a phone (borrower's or a contact's) or an ID number, dashes removed. */
export interface TailTerm {
  digits: string;
}

/** SQL selecting the case ids a tail matches, for `c.id IN (…)`; its arguments go into `args`. */
export function tailIds(t: TailTerm, args: Record<string, unknown>): string {
  args.sKey = t.digits.slice(-4);
  args.sTail = t.digits;
  // Four characters are the key; more are checked against the whole value kept in the same index entry.
  return `SELECT k >> 3 FROM case_search WHERE term = @sKey AND substr(replace(full, '-', ''), -length(@sTail)) = @sTail`;
}

export interface SearchMatch {
  case_id: number;
  slot: number;
}

/** Which of the cases' numbers a tail matched: -1 the ID number, 0 the mobile, 1–6 a contact's phone. */
export function searchMatches(db: Db, t: TailTerm, caseIds: readonly number[]): SearchMatch[] {
  if (caseIds.length === 0) return [];
  const args: Record<string, unknown> = { ids: JSON.stringify(caseIds) };
  const sql = tailIds(t, args).replace('SELECT k >> 3', 'SELECT k >> 3 AS case_id, (k & 7) - 1 AS slot');
  return db.prepare(`${sql} AND (k >> 3) IN (SELECT value FROM json_each(@ids)) ORDER BY k`).all(args) as SearchMatch[];
}
