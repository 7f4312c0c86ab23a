// Files the web host and the team server receive wait here, inside the store folder (mode 0700, files 0600),
// only until used, and never in the clear: each is sealed as it streams in (core/import/sealed-file.ts) under
// a random key that exists only in this process's memory — never on disk, never logged. Readers get the key
// with the path (uploadSource); an import worker or offload worker is handed a copy for its call and wipes it
// after. A restart loses every key, so what a crash left is unreadable, and it is removed at start anyway.
// Uploads are still removed once imported or attached, after UPLOAD_IDLE_MS without use, when the last
// session ends, and at every start and close.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Transform } from 'node:stream';
import { ApiFailure } from '../../shared/contract/failure.js';
import { newSealKey, sealedPlainSize, sealStream } from './sealed-file.js';
import type { FileSource } from './read/file-source.js';

export const uploadsDir = (storeDir: string) => path.join(storeDir, 'uploads');

/** Hosts whose callers are not on the store's machine: they send files by upload, never a path to read there. */
export const UPLOAD_ONLY_HOSTS: readonly string[] = ['web', 'server'];

/** An upload nobody has used for this long is removed (the import wizard uses it within minutes). */
export const UPLOAD_IDLE_MS = 15 * 60_000;

/**
 * Upload file path → its key. Module state on purpose: the keys belong to this thread's memory and nothing
 * else (a worker thread has its own, empty, map until it is handed the keys of its call).
 */
const keys = new Map<string, Buffer>();

export interface UploadTarget {
  uploadId: string;
  path: string;
  /** An encrypting stream to pipe the upload through on its way into `path`. */
  seal(): Transform;
  /** The upload was refused or failed: the file and its key go. */
  discard(): void;
}

export function newUpload(storeDir: string): UploadTarget {
  mkdirSync(uploadsDir(storeDir), { recursive: true, mode: 0o700 });
  const uploadId = randomBytes(18).toString('base64url');
  const p = path.join(uploadsDir(storeDir), uploadId);
  const key = newSealKey();
  // The file exists from now on (empty), so a sweep meanwhile does not take its key for an orphan's.
  writeFileSync(p, '', { mode: 0o600, flag: 'wx' });
  keys.set(p, key);
  return { uploadId, path: p, seal: () => sealStream(key), discard: () => removeUpload(storeDir, uploadId) };
}

const checkedId = (uploadId: string) => {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(uploadId)) throw new ApiFailure('BAD_INPUT', 'Bad upload id.');
  return uploadId;
};
const gone = () => new ApiFailure('NOT_FOUND', 'The uploaded file is gone (uploads are removed after import and at restart): upload it again.');

/** The upload to read: its path and (a copy of) its key. Marks it in use: the idle sweep counts from here. */
export function uploadSource(storeDir: string, uploadId: string): FileSource & { key: Uint8Array } {
  const p = path.join(uploadsDir(storeDir), checkedId(uploadId));
  const key = keys.get(p);
  try {
    statSync(p);
    if (!key) {
      // Written by a process that is gone (its key with it): unreadable, so useless.
      rmSync(p, { force: true });
      throw gone();
    }
    const now = new Date();
    utimesSync(p, now, now);
  } catch (e) {
    throw e instanceof ApiFailure ? e : gone();
  }
  return { path: p, key: new Uint8Array(key) };
}

/** The path of an upload (the key stays here); use uploadSource to read it. */
export function uploadPath(storeDir: string, uploadId: string): string {
  return uploadSource(storeDir, uploadId).path;
}

/** Bytes the user sent for this upload file (what it holds sealed, less the format's overhead). */
export function uploadBytes(file: string): number {
  const size = statSync(file).size;
  return sealedPlainSize(size)?.plain ?? size;
}

/** The uploads a call's input names (`file` or `package` given as {uploadId}). */
export function uploadIdsIn(input: unknown): string[] {
  if (!input || typeof input !== 'object') return [];
  return Object.values(input as Record<string, unknown>)
    .map((v) => (v && typeof v === 'object' && typeof (v as { uploadId?: unknown }).uploadId === 'string' ? (v as { uploadId: string }).uploadId : null))
    .filter((id): id is string => id !== null);
}

/** Copies of the keys of these uploads, for a worker thread's call (it wipes them after). */
export function exportUploadKeys(storeDir: string, uploadIds: readonly string[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const id of uploadIds) {
    const k = keys.get(path.join(uploadsDir(storeDir), id));
    if (k) out[id] = new Uint8Array(k);
  }
  return out;
}

/** A worker thread takes the keys of its call; the returned function wipes and forgets them. */
export function adoptUploadKeys(storeDir: string, given: Record<string, Uint8Array> | null | undefined): () => void {
  const paths: string[] = [];
  for (const [id, k] of Object.entries(given ?? {})) {
    const p = path.join(uploadsDir(storeDir), checkedId(id));
    keys.set(p, Buffer.from(k));
    k.fill(0);
    paths.push(p);
  }
  return () => paths.forEach(forget);
}

function forget(p: string): void {
  keys.get(p)?.fill(0);
  keys.delete(p);
}

export function removeUpload(storeDir: string, uploadId: string): void {
  const p = path.join(uploadsDir(storeDir), uploadId);
  rmSync(p, { force: true });
  forget(p);
}

/** Removes every upload, or (with `idleMs`) those unused for that long. Returns how many went. */
export function sweepUploads(storeDir: string, idleMs?: number, nowMs = Date.now()): number {
  const dir = uploadsDir(storeDir);
  // Keys of files that went another way (a worker thread used and removed its upload) go too.
  for (const p of keys.keys()) if (path.dirname(p) === dir && !existsSync(p)) forget(p);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    const p = path.join(dir, n);
    try {
      if (idleMs !== undefined && nowMs - statSync(p).mtimeMs < idleMs) continue;
      rmSync(p, { force: true });
      forget(p);
      removed++;
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}
