// The audit anchor (issue 17): the audit chain's head (entry number + hash) kept outside the store, in
// audit-anchor.json beside it, MAC'd with a key the store's collectors cannot derive (core/audit/anchor-key.ts).
// Whoever holds the master key can rebuild the chain inside the store, and a page-level or WAL rollback leaves a
// consistent older store: neither can make the store's chain reach an anchored entry with the anchored hash.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { openEncrypted, type Db } from './open.js';

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
  const anchor: AuditAnchor = { ...body, mac: macOf(key, body) };
  const text = `${JSON.stringify(anchor, null, 1)}\n`;
  const file = anchorPath(storeDir);
  if (durable) return writeFileAtomic(file, text);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The file as found: absent, unreadable (with why), or its fields (the MAC not yet checked). */
export function readAnchor(storeDir: string): { anchor: AuditAnchor | null; damaged: string | null } {
  const file = anchorPath(storeDir);
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

/**
 * Interim anchor key (see core/audit/anchor-key.ts, which the lead switches to the privileged key; the restore
 * switches with it): a random secret kept in the store's meta, made at the first anchoring. Readable by whoever
 * holds the master key — no better than a key derived from it — but it survives a master-key change (the store's
 * content is carried over), so a rekey a kill interrupted does not make the anchor's MAC look forged.
 */
export function anchorSecret(db: Db, create: boolean): Buffer | null {
  const hex = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = '${SECRET_KEY}'`).get()?.value;
  if (hex) return Buffer.from(hex, 'hex');
  if (!create) return null;
  const secret = randomBytes(32);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(SECRET_KEY, secret.toString('hex'));
  return secret;
}
const SECRET_KEY = 'audit_anchor_secret';

/** A restored folder is anchored at the head its restore verified (a backup holds no anchor file). */
export function anchorRestored(storeDir: string, dbFile: string, masterKey: Buffer, head: { seq: number; hash: string }, storeId: string, nowMs: number, nativeBinding?: string): void {
  const db = openEncrypted(dbFile, Buffer.from(masterKey), { nativeBinding, migrate: false, quickCheck: false });
  let key: Buffer;
  try {
    key = anchorSecret(db, true)!;
  } finally {
    db.close();
    for (const s of ['-wal', '-shm']) rmSync(dbFile + s, { force: true });
  }
  const since = { seq: head.seq, at: new Date(nowMs).toISOString() };
  writeAnchor(storeDir, key, { v: 1, storeId, seq: head.seq, hash: head.hash, since, at: since.at }, true);
}

export function macValid(a: AuditAnchor, key: Buffer): boolean {
  const { mac, ...body } = a;
  return timingSafeEqual(Buffer.from(macOf(key, body), 'hex'), Buffer.from(mac, 'hex'));
}
