// The search table (migration 014): written for each batch right after its import commits, and read by the case list's
// search box for tails of phones and ID numbers (尾号) and contacts' phones.
import type { Db } from '../open.js';
import { caseSearchInsert } from '../migrations/014_search_calltimes.js';
import { metaRepo } from './meta.js';
import { yieldToInteractive } from '../write-priority.js';

/**
 * Writes the search rows of the cases a batch placed or re-placed (both carry its batch id) with ids in
 * (after, upTo]: the re-placed cases' old rows out (each case's rows are one range of row ids), then one
 * INSERT…SELECT. Each case's rows change in one statement pair, inside the caller's transaction.
 */
function refreshCaseSearchRange(db: Db, batchId: number, after: number, upTo: number): void {
  for (const n of [batchId, after, upTo]) if (!Number.isSafeInteger(n)) throw new Error('batch and case ids must be integers');
  const range = `c.batch_id = ${batchId} AND c.id > ${after} AND c.id <= ${upTo}`;
  db.prepare(`DELETE FROM case_search WHERE k IN (SELECT c.id * 8 + s.value FROM cases c, json_each('[0,1,2,3,4,5,6,7]') s WHERE ${range} AND c.first_batch_id <> ?)`).run(batchId);
  db.exec(caseSearchInsert(range));
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
 * Cases per transaction. Every other connection's write waits while one runs (a collector's logged call on
 * the server's request thread waits at most 250 ms, then is answered BUSY). Measured over a 50,000-case batch
 * on 2 cores shared with other jobs (load average ~12): 1,000 cases (~8,000 rows) a median 40–54 ms, the worst
 * 106–183 ms; 2,000 cases 62–80 ms, the worst 103–135 ms; one transaction for the batch 1.8–2.8 s. Exported for tests.
 */
export const SEARCH_CHUNK_CASES = 1_000;
/**
 * The pause between two transactions, so that a writer waiting for the lock gets it: SQLite's busy handler
 * sleeps between tries (up to 25 ms while it has waited less than 100 ms) and does not queue, so a lock taken
 * again at once would be missed by every waiter. Tests set 0.
 */
const PAUSE_MS = 30;
/** meta key: the last case id of a batch whose rows are written (the progress a killed writer leaves). */
const progressKey = (batchId: number) => `case_search_done:${batchId}`;

/**
 * Writes what is owed, a few thousand cases per short IMMEDIATE transaction, so no other writer waits long
 * (one transaction over a 200k-case batch held the lock for seconds). Each transaction moves the batch's
 * progress (meta) with its rows, and the last one removes the owed marker: a kill leaves the rest owed and
 * whoever runs this next goes on from there (core catches up, see cases.list). Two writers at once only redo
 * a chunk (each transaction re-reads the progress). Searchers see each case's rows whole: its old ones until
 * its chunk commits, then its new ones; a batch's new cases become findable by tail chunk by chunk over a few
 * seconds (before, all at once at the end), while the case list itself shows them from the import's commit.
 * Run by the import worker right after its COMMIT, and again for anything a killed worker left owed.
 */
export function writePendingCaseSearch(db: Db, opts: { pauseMs?: number; chunkCases?: number } = {}): number {
  const chunk = opts.chunkCases ?? SEARCH_CHUNK_CASES;
  const meta = metaRepo(db);
  // The last id of the next chunk: the chunk-th of the batch's cases after `after` (cases_batch), else its last.
  const upTo = db.prepare<[number, number, number], { id: number }>('SELECT id FROM cases WHERE batch_id = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ?');
  const last = db.prepare<[number], { id: number | null }>('SELECT max(id) AS id FROM cases WHERE batch_id = ?');
  const owed = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM case_search_pending WHERE batch_id = ?');
  const done = db.prepare<[number]>('DELETE FROM case_search_pending WHERE batch_id = ?');
  let batches = 0;
  for (const b of pendingSearchBatches(db)) {
    for (;;) {
      const finished = db
        .transaction((): boolean => {
          if (owed.get(b)!.n === 0) return true; // another writer finished it
          const after = Number(meta.get(progressKey(b)) ?? 0);
          const end = upTo.get(b, after, chunk - 1)?.id ?? last.get(b)!.id;
          if (end !== null && end > after) refreshCaseSearchRange(db, b, after, end);
          if (end === null || end <= after || upTo.get(b, end, 0) === undefined) {
            done.run(b);
            meta.delete(progressKey(b));
            return true;
          }
          meta.set(progressKey(b), String(end));
          return false;
        })
        .immediate();
      if (finished) break;
      // Collectors' writes first (db/write-priority.ts): in the import's worker this also waits while one waits.
      yieldToInteractive(opts.pauseMs ?? PAUSE_MS);
    }
    batches++;
  }
  return batches;
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
