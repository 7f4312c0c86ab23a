// After a privacy erasure: no older image of an erased page may stay in the WAL, and (once, for a store older than
// secure_delete on every connection) no stale copy in a page's free space.
import type { Db } from './open.js';

/** Set by migration 022 on a store that held cases before every connection zeroed freed space. */
const VACUUM_DUE = 'erasure_vacuum_due';

export function secureDeleteOn(db: Db): void {
  db.pragma('secure_delete = ON');
}

/**
 * Checkpoints and truncates the WAL; VACUUMs first only when the store is older than secure_delete everywhere
 * (VACUUM rewrites the whole file under the write lock: every other writer waits for it, ~30 s at 170 MB). Answers
 * the free pages (zeroed, reused by later writes). Best effort: a reader keeping the WAL (no truncation yet) or
 * a writer holding the lock through the busy timeout makes `reclaimed` false; the next run tries again.
 */
export function reclaimSpace(db: Db): { freedPages: number; reclaimed: boolean; vacuumed: boolean } {
  const freedPages = Number(db.pragma('freelist_count', { simple: true }));
  let reclaimed = true;
  let vacuumed = false;
  if (db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(VACUUM_DUE)) {
    try {
      db.exec('VACUUM');
      db.prepare('DELETE FROM meta WHERE key = ?').run(VACUUM_DUE);
      vacuumed = true;
    } catch {
      reclaimed = false;
    }
  }
  const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (cp?.busy) reclaimed = false;
  return { freedPages, reclaimed, vacuumed };
}
