// Changing the store's master key (rekey) so that a crash at any moment leaves a store that the old key or the
// new key opens — never neither — and nothing committed is lost.
//
// 1. On the live connection: journal_mode=DELETE (SQLite refuses while any other connection has the file open:
//    an import, export or backup worker — then nothing has happened and the caller says "try again"), then an
//    exclusive lock held to the end, so nobody commits after the copy is taken.
// 2. VACUUM INTO agency.db.rekey (under the old key: that is what SQLite3MultipleCiphers writes), then PRAGMA
//    rekey on that copy in rollback-journal mode (rekey is unsafe in WAL mode, MACHINE-NOTES), `prepare` edits
//    the copy (meta), integrity-checked, fsynced. keyslots.json.rekey: every slot resealed to the new key.
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

export interface RekeyInput {
  /** The key the live store is encrypted with now. */
  oldKey: Buffer;
  newKey: Buffer;
  /** The new slot file, sealed under the new key. */
  slots: SlotFile;
  /** Edits the re-encrypted copy before the switch (runs inside a transaction on it). */
  prepare: (copy: Db) => void;
  nativeBinding?: string | undefined;
}

/**
 * Re-encrypts the store under `newKey` and switches slot file and store together. `live` is the open connection
 * (the only one): it is closed here, whatever happens; the caller opens the store again (with the new key once
 * this returns, with the old one if it threw).
 */
export function rekeyStore(files: StoreFiles, live: Db, input: RekeyInput): void {
  const rk = rekeyFiles(files);
  let switched = false;
  try {
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
    step('locked');
    for (const f of [rk.db, rk.slots, rk.marker]) rmSync(f, { force: true });
    removeSidecars(rk.db);
    live.prepare('VACUUM INTO ?').run(rk.db);
    step('copied');
    const copy = openEncrypted(rk.db, Buffer.from(input.oldKey), { nativeBinding: input.nativeBinding, migrate: false, quickCheck: false, journalMode: 'DELETE' });
    try {
      copy.pragma('journal_mode = DELETE');
      const spec = Buffer.from(`x'${input.newKey.toString('hex')}'`);
      copy.rekey(spec);
      spec.fill(0);
      step('rekeyed');
      copy.transaction(() => input.prepare(copy))();
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
    writeFileAtomic(rk.marker, JSON.stringify({ format: 'agencydesk-rekey/1', storeId: input.slots.storeId, at: new Date().toISOString() }) + '\n');
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

