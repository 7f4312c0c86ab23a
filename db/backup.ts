// Backups of a store: one `.agencydesk-backup` file (a plain tar) holding an online copy of agency.db made by
// `VACUUM INTO` on an SQLCipher connection — SQLite3MultipleCiphers writes the copy encrypted with the same key
// (checked here: a plaintext copy would start with "SQLite format 3\0"; better-sqlite3's backup() API refuses
// an encrypted source outright) — plus keyslots.json (the slots that unwrap that key) and manifest.json.
// The copy is verified (opened with the key, integrity_check, audit chain) before it is bundled, the bundle is
// read back and hashed, and only then renamed from a dot-named `.partial` to its final name: a killed backup
// leaves nothing that looks finished.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from '../shared/contract/failure.js';
import { openEncrypted, integrityCheck, type Db } from './open.js';
import { auditRepo } from './repos/audit.js';
import { schemaVersion } from './migrations/index.js';
import { readSlotFile, slotFileMacOk, type SlotFile } from './keyslots.js';
import { fsyncDir } from './atomic-file.js';
import { adoptLockoutId } from './lockout-file.js';
import { anchorRestored } from './audit-anchor.js';
import { storeFiles } from './paths.js';
import { listTar, readEntry, streamEntry, TarWriter, type TarEntry } from './tar.js';

export const BACKUP_EXT = '.agencydesk-backup';
const FORMAT = 'agencydesk-backup/1';
const PLAIN_SQLITE = Buffer.from('SQLite format 3\0', 'latin1');

export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  storeId: string;
  counts: { cases: number; payments: number; contactAttempts: number; auditEntries: number };
  auditHead: { seq: number; hash: string };
  db: { file: 'agency.db'; bytes: number; sha256: string };
  keyslotsSha256: string;
}

export interface BackupSource {
  dbPath: string;
  slotsPath: string;
  masterKey: Buffer;
  nativeBinding?: string | undefined;
}

/** `agencydesk-20261207T011500Z.agencydesk-backup`: sorts by time; rotation reads the time back from it. */
export function backupName(at: Date): string {
  return `agencydesk-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}${BACKUP_EXT}`;
}

export function backupTime(name: string): Date | null {
  const m = /^agencydesk-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.agencydesk-backup$/.exec(name);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
}

/** Bytes free for this process in `dir`'s file system. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Opens a copy with the key and checks it whole; returns what the manifest says about it. */
export function inspectCopy(file: string, masterKey: Buffer, nativeBinding?: string): Omit<BackupManifest, 'format' | 'createdAt' | 'appVersion' | 'db' | 'keyslotsSha256'> {
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readFileSyncInto(fd, head);
  } finally {
    closeSync(fd);
  }
  if (head.equals(PLAIN_SQLITE)) throw new ApiFailure('INTERNAL', 'The backup copy was written unencrypted: refused.');
  const db = openEncrypted(file, Buffer.from(masterKey), { nativeBinding, migrate: false, quickCheck: false, create: false });
  try {
    const integrity = integrityCheck(db);
    if (integrity.length !== 1 || integrity[0] !== 'ok') throw new ApiFailure('STORE_CORRUPT', `The backup copy failed its integrity check: ${integrity.slice(0, 3).join('; ')}`);
    const audit = auditRepo(db).verify();
    if (!audit.ok) throw new ApiFailure('STORE_CORRUPT', `The audit log in the backup copy is broken at entry ${audit.brokenAt?.seq}: ${audit.brokenAt?.reason}`);
    const seq = (db.prepare('SELECT coalesce(max(seq), 0) AS s FROM audit_log').get() as { s: number }).s;
    const storeId = (db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as { value: string } | undefined)?.value ?? '';
    return {
      schemaVersion: schemaVersion(db),
      storeId,
      counts: { cases: count(db, 'cases'), payments: count(db, 'payments'), contactAttempts: count(db, 'contact_attempts'), auditEntries: count(db, 'audit_log') },
      auditHead: { seq, hash: audit.headHash },
    };
  } finally {
    db.close();
    // Opening in WAL mode leaves -wal/-shm beside the copy; the copy is checkpointed into its main file on close.
    for (const s of ['-wal', '-shm']) rmSync(file + s, { force: true });
  }
}

function readFileSyncInto(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, done);
    if (n <= 0) break;
    done += n;
  }
}

/** Removes what killed backups left (`.agencydesk-….<pid>[.db].partial`, and the copy's -journal/-wal/-shm) unless that process still runs. */
export function sweepPartials(dir: string): string[] {
  const removed: string[] = [];
  for (const n of readdirSync(dir)) {
    const m = /^\.agencydesk-.*\.(\d+)(?:\.db)?\.partial(?:-wal|-shm|-journal)?$/.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && alive(pid)) continue;
    rmSync(path.join(dir, n), { force: true });
    removed.push(n);
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/**
 * Writes one verified backup of the store into `toDir`. Runs synchronously (VACUUM INTO is one statement):
 * call it from a worker thread or a process of its own, never on the thread that serves users.
 */
export function writeBackup(src: BackupSource, toDir: string, opts: { now: Date; appVersion: string }): BackupResult {
  mkdirSync(toDir, { recursive: true });
  const dbBytes = statSync(src.dbPath).size;
  // The copy and the bundle both sit in the folder until the copy is removed: about twice the store.
  const need = dbBytes * 2 + 64 * 1024 * 1024;
  const free = freeBytes(toDir);
  if (free < need) throw ApiFailure.keyed('CONFLICT', 'diskSpaceLow', { dir: toDir, freeMb: Math.floor(free / 2 ** 20), needMb: Math.ceil(need / 2 ** 20) });
  const name = backupName(opts.now);
  const finalPath = path.join(toDir, name);
  if (existsSync(finalPath)) throw new ApiFailure('CONFLICT', `${finalPath} already exists.`);
  sweepPartials(toDir);
  const tmpDb = path.join(toDir, `.${name}.${process.pid}.db.partial`);
  const tmpBundle = path.join(toDir, `.${name}.${process.pid}.partial`);
  try {
    const slotsBefore = readFileSync(src.slotsPath);
    const db = openEncrypted(src.dbPath, Buffer.from(src.masterKey), { nativeBinding: src.nativeBinding, migrate: false, quickCheck: false });
    try {
      // One read transaction of its own: the copy is a consistent snapshot however other connections write.
      db.prepare('VACUUM INTO ?').run(tmpDb);
    } finally {
      db.close();
    }
    const slots = readFileSync(src.slotsPath);
    // A password change or new user between the two reads: the slots still unwrap the same key (the copy's).
    if (!slots.equals(slotsBefore)) console.error('[agencydesk] keyslots.json changed during the backup; the newer one is bundled');
    const fd0 = openSync(tmpDb, 'r+');
    fsyncSync(fd0);
    closeSync(fd0);
    const inspected = inspectCopy(tmpDb, src.masterKey, src.nativeBinding);
    const slotFile = readSlotFile(src.slotsPath);
    if (!slotFile || slotFile.storeId !== inspected.storeId) throw new ApiFailure('STORE_CORRUPT', 'keyslots.json does not belong to this store.');
    // The bundled slots must unwrap the copy's key: a master-key change (rekey) between the copy and the read of
    // keyslots.json would bundle slots of the new key with a copy under the old one.
    const bundled = JSON.parse(slots.toString('utf8')) as SlotFile;
    if (bundled.format !== 'agencydesk-keyslots/1' && !slotFileMacOk(bundled, src.masterKey)) {
      throw new ApiFailure('CONFLICT', 'The master key was changed while the backup ran: run the backup again.');
    }

    const out = openSync(tmpBundle, 'w', 0o600);
    let dbSha = '';
    try {
      const tar = new TarWriter(out);
      tar.addBuffer('keyslots.json', slots, opts.now);
      dbSha = tar.addFile('agency.db', tmpDb, opts.now);
      const manifest: BackupManifest = {
        format: FORMAT,
        createdAt: opts.now.toISOString(),
        appVersion: opts.appVersion,
        ...inspected,
        db: { file: 'agency.db', bytes: statSync(tmpDb).size, sha256: dbSha },
        keyslotsSha256: sha256(slots),
      };
      tar.addBuffer('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), opts.now);
      tar.end();
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    rmSync(tmpDb, { force: true });
    // Read back what reached the disk before it gets its final name.
    const checked = readBackup(tmpBundle);
    if (checked.manifest.db.sha256 !== dbSha) throw new ApiFailure('INTERNAL', 'The backup file did not read back as written.');
    renameSync(tmpBundle, finalPath);
    fsyncDir(toDir);
    return { file: finalPath, bytes: statSync(finalPath).size, manifest: checked.manifest };
  } finally {
    for (const f of [tmpDb, tmpDb + '-wal', tmpDb + '-shm', tmpDb + '-journal', tmpBundle]) rmSync(f, { force: true });
  }
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export interface ReadBackup {
  manifest: BackupManifest;
  entries: Record<string, TarEntry>;
}

/** Reads a backup file's manifest and checks every part against it (hashes); no key needed. */
export function readBackup(file: string): ReadBackup {
  const fd = openSync(file, 'r');
  try {
    let list: TarEntry[];
    try {
      list = listTar(fd);
    } catch (e) {
      throw new ApiFailure('STORE_CORRUPT', `${file} is not a readable AgencyDesk backup: ${(e as Error).message}`);
    }
    const entries = Object.fromEntries(list.map((e) => [e.name, e]));
    const m = entries['manifest.json'];
    const slots = entries['keyslots.json'];
    const dbe = entries['agency.db'];
    if (!m || !slots || !dbe) throw new ApiFailure('STORE_CORRUPT', `${file} is not a complete AgencyDesk backup (manifest, keyslots.json and agency.db are needed).`);
    const manifest = JSON.parse(readEntry(fd, m).toString('utf8')) as BackupManifest;
    if (manifest.format !== FORMAT) throw new ApiFailure('STORE_CORRUPT', `${file} is a backup format this AgencyDesk does not know.`);
    if (sha256(readEntry(fd, slots)) !== manifest.keyslotsSha256) throw new ApiFailure('STORE_CORRUPT', `${file}: keyslots.json does not match the manifest.`);
    if (streamEntry(fd, dbe) !== manifest.db.sha256) throw new ApiFailure('STORE_CORRUPT', `${file}: agency.db does not match the SHA-256 in its manifest (damaged).`);
    return { manifest, entries };
  } finally {
    closeSync(fd);
  }
}

/** True when `dir` is missing or an empty folder. */
export function isEmptyDir(dir: string): boolean {
  if (!existsSync(dir)) return true;
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0;
}

/**
 * What a restore's credential unwraps: the master key, and the audit anchor's key when the credential's slot holds
 * the privileged key (`privilegedCheck`: its check value, compared with the store's before it is used).
 */
export interface RestoreKeys {
  masterKey: Buffer;
  anchor: { key: Buffer; privilegedCheck: string } | null;
}

/**
 * Unpacks a backup into a new store folder `storeDir` (missing or empty; anything else is refused, so a live
 * store is never overwritten). Unpacked under a sibling temporary name, checked by `verifyWithKey` (the caller
 * unwraps the key from the bundled slots: a password valid at backup time), then renamed into place.
 */
export async function restoreBackup(
  file: string,
  storeDir: string,
  verifyWithKey: (slotsPath: string, storeId: string) => Promise<Buffer | RestoreKeys>,
  opts: { nativeBinding?: string | undefined; nowMs: number; anchorDir?: string | null | undefined },
): Promise<BackupManifest> {
  const target = path.resolve(storeDir);
  if (!isEmptyDir(target)) throw new ApiFailure('CONFLICT', `${target} is not empty: restore into a new folder (a live store is never overwritten).`);
  const { manifest, entries } = readBackup(file);
  const tmp = `${target}.restoring-${process.pid}`;
  // What a killed restore into the same target left (its process gone): never a store, only its parts.
  const base = `${path.basename(target)}.restoring-`;
  for (const n of existsSync(path.dirname(target)) ? readdirSync(path.dirname(target)) : []) {
    if (n.startsWith(base) && /^\d+$/.test(n.slice(base.length)) && !alive(Number(n.slice(base.length)))) rmSync(path.join(path.dirname(target), n), { recursive: true, force: true });
  }
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  try {
    const files = storeFiles(tmp);
    const fd = openSync(file, 'r');
    try {
      const out = openSync(files.db, 'w', 0o600);
      try {
        const sha = streamEntry(fd, entries['agency.db']!, (chunk) => writeSync(out, chunk));
        if (sha !== manifest.db.sha256) throw new ApiFailure('STORE_CORRUPT', `${file}: agency.db changed while it was read.`);
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
      const slotsData = readEntry(fd, entries['keyslots.json']!);
      const slots = JSON.parse(slotsData.toString('utf8')) as { lockoutId?: string };
      // The lockout file takes the slot file's marker first, as at setup: a missing one would read as tampering.
      if (slots.lockoutId) adoptLockoutId(files, slots.lockoutId, opts.nowMs);
      const sfd = openSync(files.slots, 'w', 0o600);
      writeSync(sfd, slotsData);
      fsyncSync(sfd);
      closeSync(sfd);
    } finally {
      closeSync(fd);
    }
    const keys = await verifyWithKey(files.slots, manifest.storeId);
    const { masterKey: key, anchor } = Buffer.isBuffer(keys) ? { masterKey: keys, anchor: null } : keys;
    try {
      const seen = inspectCopy(files.db, key, opts.nativeBinding);
      if (seen.auditHead.hash !== manifest.auditHead.hash || seen.auditHead.seq !== manifest.auditHead.seq || seen.storeId !== manifest.storeId) {
        throw new ApiFailure('STORE_CORRUPT', 'The restored store does not match its manifest (audit head or store id).');
      }
      // The restored folder is anchored at the head it was verified at (the live store's anchor file is not in a
      // backup: a restored store is older than it by design) when the credential reaches the anchor key; else at
      // the first unlock that does. Without this, its first unlock would report the anchor as deleted.
      // The anchor copies beside the backup and in the app data folder are retired too (a deliberate restore).
      const outside = [path.dirname(path.resolve(file)), ...(opts.anchorDir ? [opts.anchorDir] : [])];
      anchorRestored(tmp, files.db, key, anchor, seen.auditHead, manifest.storeId, opts.nowMs, opts.nativeBinding, outside);
    } finally {
      key.fill(0);
      anchor?.key.fill(0);
    }
    fsyncDir(tmp);
    if (existsSync(target)) rmdirSync(target); // empty (checked above)
    renameSync(tmp, target);
    fsyncDir(path.dirname(target));
    return manifest;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
