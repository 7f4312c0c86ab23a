// Free disk space before large writes (imports, exports, backups, uploads): refused up front with a clear
// message rather than failing half-way with SQLITE_FULL or ENOSPC.
import { statfsSync } from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../shared/contract/failure.js';

/** Kept free besides any estimate: the WAL, temporary files and the rest of the machine need room too. */
export const DISK_MARGIN_BYTES = 256 * 1024 * 1024;

/** Bytes this process may still write in `dir`'s file system, or null where statfs cannot tell. */
export function freeBytes(dir: string): number | null {
  // A folder still to be made: its nearest existing parent's file system.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const s = statfsSync(d);
      return Number(s.bavail) * Number(s.bsize);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d) return null;
    }
  }
}

/** Throws a keyed `diskSpaceLow` refusal unless `dir` has `estimate` + the margin free. */
export function requireFreeSpace(dir: string, estimate: number): void {
  const free = freeBytes(dir);
  const need = Math.ceil(estimate) + DISK_MARGIN_BYTES;
  if (free === null || free >= need) return;
  throw ApiFailure.keyed('CONFLICT', 'diskSpaceLow', { dir: path.resolve(dir), freeMb: Math.floor(free / 2 ** 20), needMb: Math.ceil(need / 2 ** 20) });
}
