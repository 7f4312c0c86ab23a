// The one store folder a backend serves: locked while the process lives, open (decrypted) only while someone is logged in.
import { existsSync, mkdirSync } from 'node:fs';
import { ApiFailure } from '../shared/contract/failure.js';
import { acquireStoreLock, type StoreLock } from '../db/store-lock.js';
import { storeFiles, type StoreFiles } from '../db/paths.js';
import { openEncrypted } from '../db/open.js';
import { readSlotFile, sameKey, type SlotFile } from '../db/keyslots.js';
import { repos, type Repos } from '../db/repos/index.js';

/**
 * The backend connection's busy timeout. Writers on it meet a bulk import's write lock only between the
 * import's start and its commit; rather than stall the thread that serves every user, a call waits this long
 * and is then answered BUSY with a retry-after (core/backend.ts), which clients retry.
 */
export const REQUEST_BUSY_MS = 250;

export class StoreHandle {
  readonly files: StoreFiles;
  private lock: StoreLock;
  private open: { repos: Repos; masterKey: Buffer } | null = null;
  private busy: () => boolean = () => false;

  constructor(
    dir: string,
    hostLabel: string,
    readonly nativeBinding?: string,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.files = storeFiles(dir);
    this.lock = acquireStoreLock(this.files.lock, hostLabel);
  }

  isInitialized(): boolean {
    return existsSync(this.files.db);
  }

  isOpen(): boolean {
    return this.open !== null;
  }

  requireInitialized(): void {
    if (!this.isInitialized()) throw new ApiFailure('NOT_INITIALIZED', 'No store here yet: run the first-run setup.');
  }

  slots(): SlotFile {
    const s = readSlotFile(this.files.slots);
    if (!s) {
      throw new ApiFailure('STORE_CORRUPT', `The key slot file ${this.files.slots} is missing. Restore it (or keyslots.json.bak) from a backup.`);
    }
    return s;
  }

  /** Opens the store with an unwrapped master key; if already open, the key must be the same one. */
  unlock(masterKey: Buffer): Repos {
    if (this.open) {
      if (!sameKey(this.open.masterKey, masterKey)) throw new ApiFailure('STORE_CORRUPT', 'This key slot does not belong to the open store.');
      masterKey.fill(0);
      return this.open.repos;
    }
    // The request path never waits long for a worker's write lock (an import's transaction): see REQUEST_BUSY_MS.
    const db = openEncrypted(this.files.db, masterKey, { nativeBinding: this.nativeBinding, busyTimeoutMs: REQUEST_BUSY_MS });
    const r = repos(db);
    if (r.meta.get('store_id') !== this.slots().storeId) {
      db.close();
      throw new ApiFailure('STORE_CORRUPT', 'The key slot file belongs to a different store.');
    }
    this.open = { repos: r, masterKey };
    return r;
  }

  /** Something (an import) needs the store open even with no session: lockStore waits for it. */
  setBusyCheck(busy: () => boolean): void {
    this.busy = busy;
  }

  /** Closes the database and wipes the master key from memory (deferred while an import runs). */
  lockStore(): void {
    if (!this.open || this.busy()) return;
    this.open.repos.db.close();
    this.open.masterKey.fill(0);
    this.open = null;
  }

  get repos(): Repos {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    return this.open.repos;
  }

  get masterKey(): Buffer {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    return this.open.masterKey;
  }

  close(): void {
    this.busy = () => false;
    this.lockStore();
    this.lock.release();
  }
}
