// Files the web host receives for import wait here, inside the store folder, only until imported.
// They hold personal data in the clear (as the lender's file itself does): removed after the import
// and swept at every start.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from '../../shared/contract/failure.js';

export const uploadsDir = (storeDir: string) => path.join(storeDir, 'uploads');

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
  } catch {
    throw new ApiFailure('NOT_FOUND', 'The uploaded file is gone (uploads are removed after import and at restart): upload it again.');
  }
  return p;
}

export function removeUpload(storeDir: string, uploadId: string): void {
  rmSync(path.join(uploadsDir(storeDir), uploadId), { force: true });
}

export function sweepUploads(storeDir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(uploadsDir(storeDir));
  } catch {
    return;
  }
  for (const n of names) rmSync(path.join(uploadsDir(storeDir), n), { force: true });
}
