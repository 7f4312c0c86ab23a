// The one store folder a backend serves: locked while the process lives, open (decrypted) only while someone is logged in.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { ApiFailure } from '../shared/contract/failure.js';
import { acquireStoreLock, type StoreLock } from '../db/store-lock.js';
import { storeFiles, type StoreFiles } from '../db/paths.js';
import { openEncrypted, setBusyTimeout, setQueryOnly, type Db } from '../db/open.js';
import { privilegedCheckOf, readSlotFile, sameKey, sealSlotFile, slotFileMacOk, writeSlotFile, type SlotFile } from '../db/keyslots.js';
import { dataVersion, recoverRekey, switchToRekeyed } from '../db/rekey.js';
import { repos, type Repos } from '../db/repos/index.js';
import { undoStaleLoads } from './import/loading.js';

/**
 * The backend connection's busy timeout: none. SQLite's busy handler sleeps on the calling thread, and this
 * connection's thread serves every user; a call that meets another connection's write lock (a worker's chunk,
 * an import's load) fails at once, and core/backend.ts queues it and tries again with timers.
 */
export const REQUEST_BUSY_MS = 0;

/**
 * The request connection's page cache: up to the whole store of an office. Every collector's Today and case
 * list reads their cases, scattered over the cases table; with 64 MiB a 1M-case store (408 MB) was decrypted
 * again page by page at each call (a collector's list of 20,000 cases: 700–1,100 ms), with 600 MiB the pages
 * stay decrypted (46–70 ms). The cache grows only as pages are read; capped by the machine's memory.
 */
export const REQUEST_CACHE_MIB = Math.max(64, Math.min(768, Math.floor(os.totalmem() / 2 ** 20 / 8)));

/** meta keys: the newest slot-file version the store has seen, and a check value of the privileged key. */
export const SLOTS_VERSION = 'keyslots_version';
export const PRIVILEGED_CHECK = 'privileged_check';

/** What the privileged key is used for; each purpose gets its own subkey (HKDF). */
export type PrivilegedPurpose = 'signing' | 'audit-anchor';

// The check value's one definition is beside the slots' tags, which are also made over it (db/keyslots.ts).
export { privilegedCheckOf };

export function privilegedSubkey(privileged: Buffer, storeId: string, purpose: PrivilegedPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', privileged, Buffer.from(storeId), `agencydesk privileged/${purpose}`, 32));
}

export class StoreHandle {
  readonly files: StoreFiles;
  /** A folder outside the store where the host keeps a copy of the audit anchor (core/audit/anchor-outside.ts), or null. */
  anchorDir: string | null = null;
  private lock: StoreLock;
  private open: { repos: Repos; masterKey: Buffer; privileged: Buffer | null; tampered: string | null } | null = null;
  private busy: () => boolean = () => false;
  private rekeyHooks: { pause(): Promise<void>; resume(): void } = { pause: async () => {}, resume: () => {} };
  private rekeying: { percent: () => number } | null = null;
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
    const db = openEncrypted(this.files.db, masterKey, { nativeBinding: this.nativeBinding, busyTimeoutMs: REQUEST_BUSY_MS, cacheMiB: REQUEST_CACHE_MIB });
    const r = repos(db);
    try {
      this.checkFresh(r, this.slots(), masterKey);
    } catch (e) {
      db.close();
      privileged?.fill(0);
      throw e;
    }
    undoStoppedLoads(db);
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
    // A master-key change resealed the slots as they were when it started: a file written now would be replaced.
    if (this.rekeying) throw rekeyBusy(this.rekeying.percent());
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
   * A master-key change is copying the store in a worker (core/rekey-job.ts), which holds the write lock: this
   * connection stops waiting for locks (a write is answered BUSY at once, with `percent` in the message, instead
   * of holding up the thread for the busy timeout), the slot file stays as it is, and the store stays open.
   */
  beginRekeyWrites(percent: () => number): void {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    this.rekeying = { percent };
    setBusyTimeout(this.open.repos.db, 0);
  }

  endRekeyWrites(): void {
    this.rekeying = null;
    if (!this.open) return;
    setQueryOnly(this.open.repos.db, false);
    setBusyTimeout(this.open.repos.db, REQUEST_BUSY_MS);
  }

  /**
   * Right before the worker lets the write lock go: this connection refuses every write (SQLITE_READONLY, answered
   * BUSY like the rest) until the switch. The worker's "released" arrives as a separate event, and a write of this
   * thread committed in between would be missing from the copy (data_version counts only other connections').
   */
  freezeWrites(): void {
    setQueryOnly(this.repos.db, true);
  }

  /** How far a running master-key change is (0–100), or null when none runs. */
  rekeyPercent(): number | null {
    return this.rekeying ? this.rekeying.percent() : null;
  }

  /** This connection's view of commits by others (db/rekey.ts dataVersion): taken when the copy's lock is held. */
  dataVersion(): number {
    return dataVersion(this.repos.db);
  }

  /**
   * The copy the worker made (sealed `slots` beside it) becomes the store, kill-safely (db/rekey.ts
   * switchToRekeyed), unless anyone committed since `copiedAt`. The store stays open, now under the new key; the
   * sessions go on. Synchronous: no other call runs on this thread meanwhile.
   */
  switchRekey(newKey: Buffer, copiedAt: number): void {
    if (!this.open) throw new ApiFailure('UNAUTHENTICATED', 'The store is locked: log in.');
    const old = this.open;
    const storeId = old.repos.meta.get('store_id') ?? '';
    setQueryOnly(old.repos.db, false); // the switch writes (journal mode, its lock); nothing else runs until it ends
    let failure: unknown = null;
    try {
      switchToRekeyed(this.files, old.repos.db, copiedAt, storeId);
    } catch (e) {
      failure = e;
    }
    // Open again under whichever key now opens the store (the old one if the switch did not happen). No
    // quick_check on this thread (it reads every page: seconds at 1M cases): the worker integrity-checked the copy.
    const key = failure === null ? Buffer.from(newKey) : old.masterKey;
    const db = openEncrypted(this.files.db, key, { nativeBinding: this.nativeBinding, busyTimeoutMs: REQUEST_BUSY_MS, cacheMiB: REQUEST_CACHE_MIB, quickCheck: false });
    this.open = { repos: repos(db), masterKey: key, privileged: old.privileged, tampered: old.tampered };
    if (failure === null) old.masterKey.fill(0);
    else throw failure;
  }

  /** Told when a master-key change switches files: whatever holds its own connection (offload workers) lets go, then comes back. */
  onRekeySwitch(hooks: { pause(): Promise<void>; resume(): void }): void {
    this.rekeyHooks = hooks;
  }

  get rekeySwitchHooks(): { pause(): Promise<void>; resume(): void } {
    return this.rekeyHooks;
  }

  /** Something (an import) needs the store open even with no session: lockStore waits for it. */
  setBusyCheck(busy: () => boolean): void {
    this.busy = busy;
  }

  /** Closes the database and wipes the keys from memory (deferred while an import runs). */
  lockStore(): void {
    if (!this.open || this.busy() || this.rekeying) return;
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
    this.rekeying = null; // the backend stopped the rekey worker (core/rekey-job.ts stopRekey) first
    this.lockStore();
    this.lock.release();
  }
}

/** The answer to a write while a master-key change copies the store: nothing was saved; the client retries. */
export function rekeyBusy(percent: number): ApiFailure {
  return new ApiFailure('BUSY', `The store key is being changed (${Math.floor(percent)}%): nothing was saved; retrying.`, { retryAfterSeconds: 2 });
}

function olderSlotFile(file: string, version: number, known: number): ApiFailure {
  return new ApiFailure(
    'STORE_CORRUPT',
    `The key slot file ${file} is older than this store (slot file version ${version}, the store has seen version ${known}): an old copy was put back. Old slot files are refused because they may hold passwords that were changed or users who were disabled. Put back the newest keyslots.json (keyslots.json.bak is a second copy of it).`,
  );
}

/**
 * A placement load whose import was stopped with the process (killed, or the store locked mid-import) is
 * out of sight but still in the store: undone before anyone works (core/import/loading.ts). Nothing else
 * runs yet; a worker of a stopped import still letting go of the lock is waited for a few seconds, and if
 * it holds on, the next import undoes the load instead.
 */
function undoStoppedLoads(db: Db): void {
  try {
    setBusyTimeout(db, 5_000);
    const n = undoStaleLoads(db);
    if (n) console.error(`[agencydesk] undid ${n} placement import(s) stopped before they finished`);
  } catch (e) {
    console.error('[agencydesk] could not undo a stopped placement import yet:', (e as Error).message);
  } finally {
    setBusyTimeout(db, REQUEST_BUSY_MS);
  }
}
