// The one store folder a backend serves: locked while the process lives, open (decrypted) only while someone is logged in.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { ApiFailure } from '../shared/contract/failure.js';
import { acquireStoreLock, type StoreLock } from '../db/store-lock.js';
import { storeFiles, type StoreFiles } from '../db/paths.js';
import { openEncrypted, type Db } from '../db/open.js';
import { readSlotFile, sameKey, sealSlotFile, slotFileMacOk, writeSlotFile, type SlotFile } from '../db/keyslots.js';
import { recoverRekey, rekeyStore } from '../db/rekey.js';
import { repos, type Repos } from '../db/repos/index.js';
import { metaRepo } from '../db/repos/meta.js';

/**
 * The backend connection's busy timeout. Writers on it meet a bulk import's write lock only between the
 * import's start and its commit; rather than stall the thread that serves every user, a call waits this long
 * and is then answered BUSY with a retry-after (core/backend.ts), which clients retry.
 */
export const REQUEST_BUSY_MS = 250;

/** meta keys: the newest slot-file version the store has seen, and a check value of the privileged key. */
export const SLOTS_VERSION = 'keyslots_version';
export const PRIVILEGED_CHECK = 'privileged_check';

/** What the privileged key is used for; each purpose gets its own subkey (HKDF). */
export type PrivilegedPurpose = 'signing' | 'audit-anchor';

export function privilegedCheckOf(privileged: Buffer): string {
  return createHmac('sha256', privileged).update('agencydesk privileged key check').digest('hex');
}

export function privilegedSubkey(privileged: Buffer, storeId: string, purpose: PrivilegedPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', privileged, Buffer.from(storeId), `agencydesk privileged/${purpose}`, 32));
}

export class StoreHandle {
  readonly files: StoreFiles;
  private lock: StoreLock;
  private open: { repos: Repos; masterKey: Buffer; privileged: Buffer | null; tampered: string | null } | null = null;
  private busy: () => boolean = () => false;
  private beforeRekey: () => Promise<void> = async () => {};
  private watcher: { opened(): void; closing(): void } | null = null;

  constructor(
    dir: string,
    hostLabel: string,
    readonly nativeBinding?: string,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.files = storeFiles(dir);
    this.lock = acquireStoreLock(this.files.lock, hostLabel);
    // A master-key change a crash interrupted is finished (or thrown away) before anything reads the folder.
    const rk = recoverRekey(this.files);
    if (rk !== 'none') console.error(`[agencydesk] an interrupted master-key change was ${rk === 'finished' ? 'completed' : 'discarded (the old key stands)'}`);
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

  /**
   * Opens the store with an unwrapped master key; if already open, the key must be the same one. A privileged
   * key the slot also gave is kept (when it is the store's). The slot file must be the store's newest.
   */
  unlock(masterKey: Buffer, privileged: Buffer | null = null): Repos {
    if (this.open) {
      if (!sameKey(this.open.masterKey, masterKey)) throw new ApiFailure('STORE_CORRUPT', 'This key slot does not belong to the open store.');
      masterKey.fill(0);
      this.adoptPrivileged(privileged);
      return this.open.repos;
    }
    // The request path never waits long for a worker's write lock (an import's transaction): see REQUEST_BUSY_MS.
    const db = openEncrypted(this.files.db, masterKey, { nativeBinding: this.nativeBinding, busyTimeoutMs: REQUEST_BUSY_MS });
    const r = repos(db);
    try {
      this.checkFresh(r, this.slots(), masterKey);
    } catch (e) {
      db.close();
      privileged?.fill(0);
      throw e;
    }
    this.open = { repos: r, masterKey, privileged: null, tampered: null };
    this.adoptPrivileged(privileged);
    this.watcher?.opened();
    return r;
  }

  /** Told right after the store opens (before anything writes) and right before it closes: the audit anchor. */
  watch(w: { opened(): void; closing(): void }): void {
    this.watcher = w;
  }

  /** The slot file belongs to this store and key, and is not older than the newest the store has seen. */
  private checkFresh(r: Repos, slots: SlotFile, masterKey: Buffer): void {
    if (r.meta.get('store_id') !== slots.storeId) throw new ApiFailure('STORE_CORRUPT', 'The key slot file belongs to a different store.');
    const known = Number(r.meta.get(SLOTS_VERSION) ?? 0);
    if (slots.format === 'agencydesk-keyslots/1') {
      // Written by an AgencyDesk before slot-file versions: fine until the store has seen a versioned one.
      if (known > 0) throw olderSlotFile(this.files.slots, 0, known);
      return;
    }
    if (!slotFileMacOk(slots, masterKey)) {
      throw new ApiFailure('STORE_CORRUPT', `The key slot file ${this.files.slots} was changed outside AgencyDesk (its MAC does not match this store's key): put back keyslots.json.bak or the slot file of a backup.`);
    }
    const version = slots.version ?? 0;
    if (version < known) throw olderSlotFile(this.files.slots, version, known);
    // A crash between writing the file and recording its version: the store catches up.
    if (version > known) r.meta.set(SLOTS_VERSION, String(version));
  }

  private adoptPrivileged(privileged: Buffer | null): void {
    if (!privileged || !this.open) return;
    const check = this.open.repos.meta.get(PRIVILEGED_CHECK);
    if (this.open.privileged || check !== privilegedCheckOf(privileged)) {
      // A slot gave a key its owner's tag vouches for (db/keyslots.ts), but the store names another: changed by a
      // holder of the master key. (A store with no check yet gets one at this unlock: core/key-slots.ts.)
      if (check && check !== privilegedCheckOf(privileged)) this.notePrivilegedTampered("the store's check value of the privileged key was changed: it no longer names the key the slots hold");
      privileged.fill(0);
      return;
    }
    this.open.privileged = privileged;
  }

  /**
   * A slot's privileged key was refused as tampered (or the store's check value no longer names it): no key from
   * the swap is used, and the anchor comparison and `check` fail with this reason while the store stays open.
   */
  notePrivilegedTampered(reason: string): void {
    if (this.open && !this.open.tampered) this.open.tampered = reason;
  }

  privilegedTampered(): string | null {
    return this.open?.tampered ?? null;
  }

  /** The privileged key itself (to seal it into a slot), or null when no slot that opened the store gave it. */
  privilegedSecret(): Buffer | null {
    return this.open?.privileged ?? null;
  }

  /** Makes the store's privileged key (a store that has none yet); the caller seals it into the right slots. */
  createPrivileged(): Buffer {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    if (this.open.repos.meta.get(PRIVILEGED_CHECK)) throw new Error('the store already has a privileged key');
    const p = randomBytes(32);
    this.open.repos.meta.set(PRIVILEGED_CHECK, privilegedCheckOf(p));
    this.open.privileged = p;
    return p;
  }

  /**
   * A subkey of the privileged key — the secret sealed only into the slots of users who may sign reports
   * (admins, managers) and the recovery slot — or null when this backend does not hold it (for example a
   * desktop session of a collector). 'signing' locks the report signing key; 'audit-anchor' MACs the audit
   * chain's anchor file.
   */
  privilegedKey(purpose: PrivilegedPurpose): Buffer | null {
    const p = this.open?.privileged;
    return p ? privilegedSubkey(p, this.repos.meta.get('store_id') ?? '', purpose) : null;
  }

  /** Writes a new version of the slot file (MAC'd under the master key) and records its version in the store. */
  saveSlots(next: SlotFile): SlotFile {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    const current = readSlotFile(this.files.slots);
    const version = Math.max(current?.version ?? 0, Number(this.open.repos.meta.get(SLOTS_VERSION) ?? 0)) + 1;
    const sealed = sealSlotFile(next, version, this.open.masterKey);
    // File first, then the store: a crash between them leaves a file newer than the store knows (accepted and
    // caught up at the next unlock), never a store that refuses its own file.
    writeSlotFile(this.files.slots, sealed);
    this.open.repos.meta.set(SLOTS_VERSION, String(version));
    return sealed;
  }

  /**
   * Re-encrypts the store under a new master key and switches to `slots` (sealed under it), kill-safely
   * (db/rekey.ts). The store stays open, now under the new key; the sessions go on.
   */
  rekey(newKey: Buffer, slots: SlotFile, prepare: (copy: Db) => void): void {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    if (this.busy()) throw new ApiFailure('BUSY', 'An import is running: the key can be changed when it ends.', { retryAfterSeconds: 30 });
    const old = this.open;
    const version = Math.max((slots.version ?? 0) + 1, Number(old.repos.meta.get(SLOTS_VERSION) ?? 0) + 1);
    const sealed = sealSlotFile(slots, version, newKey);
    let failure: unknown = null;
    try {
      rekeyStore(this.files, old.repos.db, {
        oldKey: old.masterKey,
        newKey,
        slots: sealed,
        nativeBinding: this.nativeBinding,
        prepare: (copy) => {
          prepare(copy);
          metaRepo(copy).set(SLOTS_VERSION, String(version));
        },
      });
    } catch (e) {
      failure = e;
    }
    // Open again under whichever key now opens the store (the old one if the switch did not happen).
    const key = failure === null ? newKey : old.masterKey;
    const db = openEncrypted(this.files.db, key, { nativeBinding: this.nativeBinding, busyTimeoutMs: REQUEST_BUSY_MS });
    this.open = { repos: repos(db), masterKey: key, privileged: old.privileged, tampered: old.tampered };
    if (failure === null) old.masterKey.fill(0);
    else throw failure;
  }

  /** Called before a rekey: whatever holds its own connection to the store (idle worker threads) lets go. */
  onBeforeRekey(fn: () => Promise<void>): void {
    this.beforeRekey = fn;
  }

  async prepareRekey(): Promise<void> {
    await this.beforeRekey();
  }

  /** Something (an import) needs the store open even with no session: lockStore waits for it. */
  setBusyCheck(busy: () => boolean): void {
    this.busy = busy;
  }

  /** Closes the database and wipes the keys from memory (deferred while an import runs). */
  lockStore(): void {
    if (!this.open || this.busy()) return;
    this.watcher?.closing();
    this.open.repos.db.close();
    this.open.masterKey.fill(0);
    this.open.privileged?.fill(0);
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

function olderSlotFile(file: string, version: number, known: number): ApiFailure {
  return new ApiFailure(
    'STORE_CORRUPT',
    `The key slot file ${file} is older than this store (slot file version ${version}, the store has seen version ${known}): an old copy was put back. Old slot files are refused because they may hold passwords that were changed or users who were disabled. Put back the newest keyslots.json (keyslots.json.bak is a second copy of it).`,
  );
}
