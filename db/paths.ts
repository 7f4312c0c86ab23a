import path from 'node:path';

/** The files that make up one store folder. */
export function storeFiles(dir: string) {
  return {
    dir,
    db: path.join(dir, 'agency.db'),
    setupDb: path.join(dir, 'agency.db.setup'),
    slots: path.join(dir, 'keyslots.json'),
    lockout: path.join(dir, 'lockout.json'),
    lock: path.join(dir, 'store.lock'),
    /** Views of cases waiting for the write lock (db/view-journal.ts). */
    viewJournal: path.join(dir, 'views.journal'),
  };
}
export type StoreFiles = ReturnType<typeof storeFiles>;
