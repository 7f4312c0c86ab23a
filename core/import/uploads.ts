// Files the web host receives for import wait here, inside the store folder (mode 0700, files 0600), only
// until used. They hold personal data in the clear (as the lender's file itself does), so they are kept as
// briefly as possible: removed once imported or attached, after UPLOAD_IDLE_MS without use, when the last
// session ends, and at every start and close (a crash mid-upload leaves nothing past the next start).
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from '../../shared/contract/failure.js';

export const uploadsDir = (storeDir: string) => path.join(storeDir, 'uploads');

/** An upload nobody has used for this long is removed (the import wizard uses it within minutes). */
export const UPLOAD_IDLE_MS = 15 * 60_000;

export function newUpload(storeDir: string): { uploadId: string; path: string } {
  mkdirSync(uploadsDir(storeDir), { recursive: true, mode: 0o700 });
  const uploadId = randomBytes(18).toString('base64url');
  return { uploadId, path: path.join(uploadsDir(storeDir), uploadId) };
}

export function uploadPath(storeDir: string, uploadId: string): string {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(uploadId)) throw new ApiFailure('BAD_INPUT', 'Bad upload id.');
  const p = path.join(uploadsDir(storeDir), uploadId);
  try {
    statSync(p);
    const now = new Date();
    utimesSync(p, now, now); // in use: the idle sweep counts from here
  } catch {
    throw new ApiFailure('NOT_FOUND', 'The uploaded file is gone (uploads are removed after import and at restart): upload it again.');
  }
  return p;
}

export function removeUpload(storeDir: string, uploadId: string): void {
  rmSync(path.join(uploadsDir(storeDir), uploadId), { force: true });
}

/** Removes every upload, or (with `idleMs`) those unused for that long. Returns how many went. */
export function sweepUploads(storeDir: string, idleMs?: number, nowMs = Date.now()): number {
  let names: string[] = [];
  try {
    names = readdirSync(uploadsDir(storeDir));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    const p = path.join(uploadsDir(storeDir), n);
    try {
      if (idleMs !== undefined && nowMs - statSync(p).mtimeMs < idleMs) continue;
      rmSync(p, { force: true });
      removed++;
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}
