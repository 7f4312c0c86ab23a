// The audit anchor (issue 17): the audit chain's head (entry number + hash) kept outside the store, in
// audit-anchor.json beside it, MAC'd with a subkey of the privileged key, which collectors' slots do not hold
// (core/audit/anchor-key.ts).
// Whoever holds the master key can rebuild the chain inside the store, and a page-level or WAL rollback leaves a
// consistent older store: neither can make the store's chain reach an anchored entry with the anchored hash.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { openEncrypted } from './open.js';

export const ANCHOR_FILE = 'audit-anchor.json';
export const anchorPath = (storeDir: string): string => path.join(storeDir, ANCHOR_FILE);

export interface AnchorBody {
  v: 1;
  storeId: string;
  /** The newest audit entry known to have been committed, and its hash. */
  seq: number;
  hash: string;
  /** Where anchoring began for this store (an older store is anchored from its first unlock with this version). */
  since: { seq: number; at: string };
  at: string;
}
export interface AuditAnchor extends AnchorBody {
  mac: string;
}

const macOf = (key: Buffer, b: AnchorBody): string =>
  createHmac('sha256', key).update(JSON.stringify(['agencydesk audit anchor', b.v, b.storeId, b.seq, b.hash, b.since.seq, b.since.at, b.at])).digest('hex');

/**
 * durable: temp file, fsync, rename, fsync the folder (db/atomic-file.ts). Otherwise temp file and rename
 * only: whole old or whole new after a crash of the process, but a power cut may keep the older version.
 */
export function writeAnchor(storeDir: string, key: Buffer, body: AnchorBody, durable: boolean): void {
  writeAnchorFile(anchorPath(storeDir), key, body, durable);
}

export function writeAnchorFile(file: string, key: Buffer, body: AnchorBody, durable: boolean): void {
  const anchor: AuditAnchor = { ...body, mac: macOf(key, body) };
  const text = `${JSON.stringify(anchor, null, 1)}\n`;
  if (durable) return writeFileAtomic(file, text);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Copies of the anchor kept OUTSIDE the store folder (core/audit/anchor-outside.ts): in every backup folder at each
 * backup, and in the per-user app data folder of a desktop. Same body, same MAC; named by the store id, so one
 * folder can hold the copies of several stores. A rollback of the whole store folder takes its own anchor back
 * with it, but not these.
 */
export const outsideAnchorFile = (dir: string, storeId: string): string => path.join(dir, `agencydesk-anchor-${storeId}.json`);

/** The file as found: absent, unreadable (with why), or its fields (the MAC not yet checked). */
export function readAnchor(storeDir: string): { anchor: AuditAnchor | null; damaged: string | null } {
  return readAnchorFile(anchorPath(storeDir));
}

export function readAnchorFile(file: string): { anchor: AuditAnchor | null; damaged: string | null } {
  if (!existsSync(file)) return { anchor: null, damaged: null };
  try {
    const a = JSON.parse(readFileSync(file, 'utf8')) as Partial<AuditAnchor>;
    const ok =
      a.v === 1 &&
      typeof a.storeId === 'string' &&
      Number.isSafeInteger(a.seq) &&
      (a.seq as number) >= 0 &&
      typeof a.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(a.hash) &&
      typeof a.at === 'string' &&
      typeof a.mac === 'string' &&
      /^[0-9a-f]{64}$/.test(a.mac) &&
      Number.isSafeInteger(a.since?.seq) &&
      typeof a.since?.at === 'string';
    return ok ? { anchor: a as AuditAnchor, damaged: null } : { anchor: null, damaged: 'its fields are not an audit anchor' };
  } catch (e) {
    return { anchor: null, damaged: (e as Error).message };
  }
}

/** Set in the store when it is first anchored: a missing anchor file after that is reported, not re-made. */
export const ANCHOR_SINCE_KEY = 'audit_anchor_since';
/**
 * Where dev builds of this version kept an interim anchor secret (readable with the master key, so no protection
 * against a collector): removed at the next unlock. A released store never had it.
 */
export const RETIRED_SECRET_KEY = 'audit_anchor_secret';

/** Settings (JSON in the settings table): the folders backups were written to, each holding an anchor copy. */
export const ANCHOR_FOLDERS_SETTING = 'audit.anchorFolders';
/** The scheduled backups' settings (core/services/backup.ts), read here for their folder. */
const BACKUP_SETTINGS = 'backup.settings';

/** The backup folders a store knows of: its scheduled folder, then those backups were written to (newest first). */
export function knownBackupFolders(getSetting: (key: string) => unknown): string[] {
  const scheduled = (getSetting(BACKUP_SETTINGS) as { folder?: unknown } | undefined)?.folder;
  const used = getSetting(ANCHOR_FOLDERS_SETTING);
  const all = [scheduled, ...(Array.isArray(used) ? used : [])].filter((d): d is string => typeof d === 'string' && d !== '');
  return [...new Set(all.map((d) => path.resolve(d)))];
}

/**
 * A restored folder is anchored at the head its restore verified (a backup holds no anchor file) when the
 * credential that restored it reaches the privileged key (an admin/manager password valid at backup time, or
 * the recovery key): `anchor.key` is its 'audit-anchor' subkey. Otherwise (a collector's password) no anchor is
 * written and the store's anchoring marker is cleared, so the first unlock that holds the privileged key anchors
 * it — instead of reporting the anchor as deleted.
 * The anchor copies outside the store (`outsideDirs`: the backup file's folder, the host's app data folder, and the
 * backup folders the restored store knows) are ahead of a restored store by design: a deliberate restore retires
 * them — rewritten at the restored head with the key, removed without it — so it is not reported as a rollback.
 */
export function anchorRestored(
  storeDir: string,
  dbFile: string,
  masterKey: Buffer,
  anchor: { key: Buffer; privilegedCheck: string } | null,
  head: { seq: number; hash: string },
  storeId: string,
  nowMs: number,
  nativeBinding?: string,
  outsideDirs: string[] = [],
): void {
  const since = { seq: head.seq, at: new Date(nowMs).toISOString() };
  const db = openEncrypted(dbFile, Buffer.from(masterKey), { nativeBinding, migrate: false, quickCheck: false });
  let anchorKey: Buffer | null = null;
  let dirs: string[];
  try {
    // Only the store's own privileged key (its check value, core/store-handle.ts PRIVILEGED_CHECK): another one
    // would make the next admin's unlock report the anchor as forged.
    const check = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'privileged_check'").get()?.value;
    if (anchor && check === anchor.privilegedCheck) anchorKey = anchor.key;
    db.prepare('DELETE FROM meta WHERE key = ?').run(RETIRED_SECRET_KEY);
    if (anchorKey) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(ANCHOR_SINCE_KEY, JSON.stringify(since));
    else db.prepare('DELETE FROM meta WHERE key = ?').run(ANCHOR_SINCE_KEY);
    const setting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    const parsed = (k: string): unknown => {
      try {
        const v = setting.get(k)?.value;
        return v === undefined ? undefined : JSON.parse(v);
      } catch {
        return undefined;
      }
    };
    dirs = [...new Set([...outsideDirs.map((d) => path.resolve(d)), ...knownBackupFolders(parsed)])];
  } finally {
    db.close();
    for (const s of ['-wal', '-shm']) rmSync(dbFile + s, { force: true });
  }
  const body = { v: 1 as const, storeId, seq: head.seq, hash: head.hash, since, at: since.at };
  if (anchorKey) writeAnchor(storeDir, anchorKey, body, true);
  for (const dir of dirs) {
    const file = outsideAnchorFile(dir, storeId);
    try {
      if (anchorKey) {
        if (existsSync(dir)) writeAnchorFile(file, anchorKey, body, true);
      } else rmSync(file, { force: true });
    } catch (e) {
      // An unreachable folder keeps its copy: reported at the unlock, which an admin then accepts.
      console.error(`[agencydesk] the audit anchor copy in ${dir} was not updated after the restore: ${(e as Error).message}`);
    }
  }
}

export function macValid(a: AuditAnchor, key: Buffer): boolean {
  const { mac, ...body } = a;
  return timingSafeEqual(Buffer.from(macOf(key, body), 'hex'), Buffer.from(mac, 'hex'));
}
