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
  };
}
export type StoreFiles = ReturnType<typeof storeFiles>;
