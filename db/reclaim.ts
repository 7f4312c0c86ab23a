// Giving erased pages back (privacy erasure): secure_delete zeroes freed cells, VACUUM rebuilds the file without
// the free pages, and a truncating checkpoint leaves no older image of an erased page in the WAL.
import type { Db } from './open.js';

export function secureDeleteOn(db: Db): void {
  db.pragma('secure_delete = ON');
}

/**
 * VACUUM, then checkpoint and truncate the WAL; answers the free pages before. Best effort: a worker holding the
 * write lock (VACUUM answers BUSY) or a reader keeping the WAL (no truncation yet) makes `reclaimed` false.
 */
export function reclaimSpace(db: Db): { freedPages: number; reclaimed: boolean } {
  const freedPages = Number(db.pragma('freelist_count', { simple: true }));
  let reclaimed = true;
  try {
    db.exec('VACUUM');
  } catch {
    reclaimed = false;
  }
  const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (cp?.busy) reclaimed = false;
  return { freedPages, reclaimed };
}
