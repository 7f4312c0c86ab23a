// Changing the store's master key (rekey) so that a crash at any moment leaves a store that the old key or the
// new key opens — never neither — and nothing committed is lost.
//
// 1. In a worker (copyForRekey, core/rekey-worker.ts): a connection of its own takes the write lock and keeps it
//    while the copy is made — in WAL mode everyone else keeps reading; their writes are answered BUSY.
// 2. VACUUM INTO agency.db.rekey (under the old key: that is what SQLite3MultipleCiphers writes), then PRAGMA
//    rekey on that copy in rollback-journal mode (rekey is unsafe in WAL mode, MACHINE-NOTES), the meta rows
//    written into the copy, integrity-checked, fsynced. keyslots.json.rekey: every slot resealed to the new key.
//    Then (the request connection made read-only first) the lock goes, and on the request thread
//    (switchToRekeyed) the live connection switches to rollback journal (SQLite refuses while any other
//    connection — an import, export or backup worker — has the file open: then the copy goes and the caller says
//    "try again") and keeps an exclusive lock; the copy is thrown away too if anyone committed since it was taken
//    (data_version).
// 3. The commit point: rekey.json, written atomically. Before it, recovery throws the .rekey files away and the
//    old pair stands; after it, recovery finishes the switch:
// 4. remove agency.db-wal/-shm/-journal (the old file's; none is hot: the old file has no open transaction),
//    rename agency.db.rekey → agency.db, keyslots.json.rekey → keyslots.json, write keyslots.json.bak as the
//    same file, delete rekey.json.
// `recoverRekey` runs before any open of the folder (core/store-handle.ts constructor).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../shared/contract/failure.js';
import { writeFileAtomic, fsyncDir } from './atomic-file.js';
import { openEncrypted, integrityCheck, type Db } from './open.js';
import type { StoreFiles } from './paths.js';
import type { SlotFile } from './keyslots.js';
import { metaRepo } from './repos/meta.js';

export const rekeyFiles = (files: StoreFiles) => ({
  db: `${files.db}.rekey`,
  slots: `${files.slots}.rekey`,
  marker: path.join(files.dir, 'rekey.json'),
});

/** Test hook: `AGENCYDESK_TEST_REKEY_KILL_AT=<step>` kills this process at that step (kill -9 tests of every step). */
function step(name: string): void {
  if (process.env.AGENCYDESK_TEST_REKEY_KILL_AT === name) process.kill(process.pid, 'SIGKILL');
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeSidecars(file: string): void {
  for (const s of ['-wal', '-shm', '-journal']) rmSync(file + s, { force: true });
}

/** Finishes or discards a rekey a crash interrupted. Returns what it did. */
export function recoverRekey(files: StoreFiles): 'none' | 'discarded' | 'finished' {
  const rk = rekeyFiles(files);
  if (!existsSync(rk.marker)) {
    if (!existsSync(rk.db) && !existsSync(rk.slots)) return 'none';
    // Interrupted before the commit point: the old key and slots stand; the half-made copy goes.
    for (const f of [rk.db, rk.slots]) rmSync(f, { force: true });
    removeSidecars(rk.db);
    fsyncDir(files.dir);
    return 'discarded';
  }
  finishSwitch(files);
  return 'finished';
}

function finishSwitch(files: StoreFiles): void {
  const rk = rekeyFiles(files);
  if (existsSync(rk.db)) {
    // The old file's -wal/-shm/-journal would be applied to the new file: they go first (nothing in them is
    // needed — the copy was taken with the old file's write lock held).
    removeSidecars(files.db);
    removeSidecars(rk.db);
    step('rename-db');
    renameSync(rk.db, files.db);
    fsyncDir(files.dir);
  }
  step('rename-slots');
  if (existsSync(rk.slots)) {
    renameSync(rk.slots, files.slots);
    fsyncDir(files.dir);
  }
  step('write-bak');
  // The second copy is the new file too: no file left in the folder unwraps the old key.
  writeFileAtomic(`${files.slots}.bak`, readFileSync(files.slots, 'utf8'));
  step('remove-marker');
  rmSync(rk.marker, { force: true });
  fsyncDir(files.dir);
}

export type RekeyPhase = 'copying' | 'encrypting' | 'checking';

export interface RekeyCopyInput {
  /** The key the live store is encrypted with now. */
  oldKey: Buffer;
  newKey: Buffer;
  /** The new slot file, sealed under the new key. */
  slots: SlotFile;
  /** meta rows written into the re-encrypted copy before the switch (generation, slot-file version …). */
  meta: Record<string, string>;
  nativeBinding?: string | undefined;
  /** How long to wait for a running writer (a heavy call in a worker) before giving up. */
  lockTimeoutMs?: number;
}

/** The copy, made and verified, with the store's write lock still held (nobody has committed since it was taken). */
export interface RekeyCopy {
  /** Lets the store's write lock go (the caller switches at once: db/rekey.ts switchToRekeyed). */
  release(): void;
  /** Lets it go and throws the copy away: the old key stands. */
  discard(): void;
}

/**
 * Steps 1–2, off the request thread (core/rekey-worker.ts): a connection of its own takes the store's write lock
 * and keeps it, so the copy is the latest committed state and stays so; in WAL mode every other connection keeps
 * reading meanwhile (their writes are answered BUSY). VACUUM INTO agency.db.rekey on a second connection (a read
 * of that snapshot), PRAGMA rekey on the copy in rollback-journal mode, the meta rows, integrity check, fsync, a
 * test open under the new key, keyslots.json.rekey. Nothing here touches agency.db or keyslots.json.
 */
export function copyForRekey(files: StoreFiles, input: RekeyCopyInput, on: { locked(totalBytes: number): void; phase(p: RekeyPhase): void }): RekeyCopy {
  const rk = rekeyFiles(files);
  const open = (file: string, key: Buffer, busyTimeoutMs?: number) =>
    openEncrypted(file, Buffer.from(key), { nativeBinding: input.nativeBinding, migrate: false, quickCheck: false, busyTimeoutMs });
  const lock = open(files.db, input.oldKey, input.lockTimeoutMs ?? 120_000);
  let reader: Db | null = null;
  const clean = () => {
    for (const f of [rk.db, rk.slots]) rmSync(f, { force: true });
    removeSidecars(rk.db);
  };
  const letGo = () => {
    reader?.close();
    if (lock.inTransaction) lock.exec('COMMIT'); // nothing written: ends the read-write transaction, frees the lock
    lock.close();
  };
  try {
    lock.exec('BEGIN IMMEDIATE');
    const pageSize = Number(lock.pragma('page_size', { simple: true }));
    on.locked(Number(lock.pragma('page_count', { simple: true })) * pageSize);
    step('locked');
    clean();
    on.phase('copying');
    // VACUUM cannot run inside a transaction: a second connection reads the snapshot the lock keeps still.
    reader = open(files.db, input.oldKey);
    reader.prepare('VACUUM INTO ?').run(rk.db);
    reader.close();
    reader = null;
    step('copied');
    on.phase('encrypting');
    const copy = openEncrypted(rk.db, Buffer.from(input.oldKey), { nativeBinding: input.nativeBinding, migrate: false, quickCheck: false, journalMode: 'DELETE' });
    try {
      copy.pragma('journal_mode = DELETE');
      const spec = Buffer.from(`x'${input.newKey.toString('hex')}'`);
      copy.rekey(spec);
      spec.fill(0);
      step('rekeyed');
      const m = metaRepo(copy);
      copy.transaction(() => {
        for (const [k, v] of Object.entries(input.meta)) m.set(k, v);
      })();
      on.phase('checking');
      const ic = integrityCheck(copy);
      if (ic.length !== 1 || ic[0] !== 'ok') throw new ApiFailure('STORE_CORRUPT', `The re-encrypted copy failed its integrity check: ${ic.slice(0, 3).join('; ')}`);
    } finally {
      copy.close();
    }
    removeSidecars(rk.db);
    fsyncFile(rk.db);
    // Opens with the new key, or the switch does not happen.
    openEncrypted(rk.db, Buffer.from(input.newKey), { nativeBinding: input.nativeBinding, migrate: false, quickCheck: false, journalMode: 'DELETE' }).close();
    writeFileAtomic(rk.slots, JSON.stringify(input.slots, null, 2) + '\n');
    step('prepared');
  } catch (e) {
    letGo();
    clean();
    throw e;
  }
  return {
    release: letGo,
    discard: () => {
      letGo();
      clean();
    },
  };
}

/** SQLite's count of commits by other connections as this connection sees it (changes when anyone else commits). */
export const dataVersion = (db: Db): number => Number(db.pragma('data_version', { simple: true }));

/**
 * Steps 3–4, on the request thread, right after the copy's write lock was let go: `live` (the only connection
 * left: offload workers closed, no import, export or backup running) switches to rollback journal — SQLite
 * refuses while any other connection has the file open — and keeps an exclusive lock; if anyone committed since
 * the copy was taken (`copiedAt`, this connection's data_version then), the copy is thrown away. Then the commit
 * point (rekey.json) and the switch. `live` is closed here, whatever happens; the copy is gone if it throws.
 */
export function switchToRekeyed(files: StoreFiles, live: Db, copiedAt: number, storeId: string): void {
  const rk = rekeyFiles(files);
  let switched = false;
  try {
    // Anyone who committed since the copy was taken wrote something the copy does not have. (Read before the
    // journal switch: its own checkpoint changes data_version too. Between this line and the switch nobody else can
    // commit: the offload workers are closed, imports, exports and backups are not started during a rekey, and the
    // switch itself fails while any other connection has the file open.)
    if (dataVersion(live) !== copiedAt) throw new ApiFailure('BUSY', 'The store changed after the copy was taken (another job wrote to it): the key was not changed; try again.', { retryAfterSeconds: 10 });
    try {
      live.pragma('journal_mode = DELETE');
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        throw new ApiFailure('BUSY', 'Another job (an import, report or backup) has the store open: the key can be changed when it ends.', { retryAfterSeconds: 30 });
      }
      throw e;
    }
    if (String(live.pragma('journal_mode', { simple: true })) !== 'delete') throw new ApiFailure('BUSY', 'The store is in use by another connection: try again.', { retryAfterSeconds: 30 });
    live.pragma('locking_mode = EXCLUSIVE');
    // A write takes the exclusive lock; in exclusive locking mode it is kept until the connection closes.
    live.exec("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('rekey_started_at', datetime('now')) ON CONFLICT(key) DO UPDATE SET value = excluded.value; COMMIT");
    writeFileAtomic(rk.marker, JSON.stringify({ format: 'agencydesk-rekey/1', storeId, at: new Date().toISOString() }) + '\n');
    switched = true;
    step('committed');
    live.close();
    finishSwitch(files);
  } finally {
    if (live.open) live.close();
    if (!switched) {
      for (const f of [rk.db, rk.slots]) rmSync(f, { force: true });
      removeSidecars(rk.db);
    }
  }
}
