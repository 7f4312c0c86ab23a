// Opens the SQLCipher-4 encrypted store with a raw 256-bit key. The key goes through sqlite3_key, never SQL text.
import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Database as Db } from 'better-sqlite3-multiple-ciphers';
import { ApiFailure } from '../shared/contract/failure.js';
import { migrate } from './migrations/index.js';
import { memtempActive, servesTemporaryFiles } from './memtemp.js';

export type { Db };

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string | undefined;
  /** Create the file if missing (setup only). */
  create?: boolean;
  /** Run migrations after opening (default true). */
  migrate?: boolean;
  /**
   * Run SQLite's quick_check at open (default true). A worker's second connection to a store the backend
   * has already opened and checked skips it: it reads every page (seconds at a million cases).
   */
  quickCheck?: boolean;
  /**
   * How long a statement waits for another connection's write lock before failing with SQLITE_BUSY (default
   * 5 s, for workers). The backend's request connection uses none: better-sqlite3 waits synchronously, so any
   * wait would stall every other user's call; core queues the call and tries it again with timers instead.
   */
  busyTimeoutMs?: number;
  /**
   * The most this connection's page cache may hold, in MiB (default 64). SQLCipher decrypts and HMAC-checks
   * every page it reads that is not in the cache; the cache grows only with pages actually read.
   */
  cacheMiB?: number;
  /** Verify each page's HMAC when it is read (default true); applies to this connection only. */
  hmacCheck?: boolean;
  /** WAL (default) or DELETE: a copy being re-encrypted (db/rekey.ts) stays in rollback-journal mode. */
  journalMode?: 'WAL' | 'DELETE';
}

export function openEncrypted(file: string, masterKey: Buffer, opts: OpenOptions = {}): Db {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  // Before opening: the connection takes the process's default VFS as it is at that moment.
  const memtemp = memtempActive(opts.nativeBinding).active;
  const db = new Database(file, { fileMustExist: !opts.create, nativeBinding: opts.nativeBinding });
  try {
    // Temporary data in memory from the first statement on; FILE below only where memtemp serves it.
    db.pragma('temp_store = MEMORY');
    // Owner-only; SQLite gives the -wal and -shm files the same mode as the database file.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    db.pragma("cipher = 'sqlcipher'");
    // SQLCipher 4's 4 KiB pages. Measured (1M cases): 32 KiB pages made a bulk import ~20% faster, but each
    // page read decrypts and HMAC-checks the whole page and the cache holds 8x fewer: a collector's queue of
    // 5,000 scattered cases took 698 ms instead of 133 ms, their case list 457 ms instead of 22 ms.
    db.pragma('legacy = 4');
    if (opts.hmacCheck === false) db.pragma('hmac_check = 0');
    // SQLCipher's raw-key form x'<hex>' skips PBKDF2; the buffer is wiped after use.
    const keySpec = Buffer.from(`x'${masterKey.toString('hex')}'`);
    db.key(keySpec);
    keySpec.fill(0);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch {
      throw new ApiFailure('STORE_CORRUPT', 'The store cannot be decrypted with this key (wrong key, or the file is damaged).');
    }
    db.pragma(`journal_mode = ${opts.journalMode ?? 'WAL'}`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Freed cells and pages are zeroed on every connection, so no stale copy of a changed or erased value stays in
    // a page's free space: a privacy erasure then needs no VACUUM (which holds off every writer) to leave no trace.
    db.pragma('secure_delete = ON');
    // Temporary files in memory either way (db/memtemp.ts): SQLite's faster sorter where memtemp serves them.
    if (memtemp && servesTemporaryFiles(db)) db.pragma('temp_store = FILE');
    db.pragma(`cache_size = -${Math.max(2, Math.trunc(opts.cacheMiB ?? 64)) * 1024}`); // encrypted pages are costly to re-read
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`);
    const qc = opts.quickCheck === false ? 'ok' : db.pragma('quick_check', { simple: true });
    if (qc !== 'ok') throw new ApiFailure('STORE_CORRUPT', `The store failed its integrity check at open: ${String(qc)}`);
    if (opts.migrate !== false) migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** SQLite's quick_check ('ok' or the first problem): every b-tree page and the freelist read once. */
/** How long this connection waits for another's write lock before SQLITE_BUSY (0: not at all). */
export function setBusyTimeout(db: Db, ms: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
}

/**
 * Whether this connection copies the WAL into the database file at its own commits (SQLite's automatic
 * checkpoint, after 1,000 pages) or leaves that to another connection.
 */
export function setAutoCheckpoint(db: Db, on: boolean): void {
  db.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
}

/** Copies what it can of the WAL into the database file, waiting for no reader or writer. */
export function checkpointPassive(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}

/** A connection that may only read (a write is refused by SQLite), or may write again. */
export function setQueryOnly(db: Db, on: boolean): void {
  db.pragma(`query_only = ${on ? 'ON' : 'OFF'}`);
}

export function quickCheck(db: Db): string {
  try {
    return String(db.pragma('quick_check', { simple: true }));
  } catch (e) {
    return (e as Error).message;
  }
}

export function integrityCheck(db: Db): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
}

/**
 * Runs `read` in one read transaction: every statement sees the same snapshot of the store, whatever other
 * connections commit meanwhile (a report's cases, payments and contact log agree with each other).
 */
export async function inReadSnapshot<T>(db: Db, read: () => Promise<T>): Promise<T> {
  db.exec('BEGIN');
  try {
    // A deferred transaction takes its snapshot at the first read.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return await read();
  } finally {
    db.exec('COMMIT');
  }
}
