// The team server's per-user upload quota: how many bytes one user's staged uploads (received, not yet
// imported or attached) may hold at once, arriving ones included. The files themselves say what is still
// held: an upload that was used or swept (core/import/uploads.ts) is gone from disk and counts nothing, so
// nothing has to be told when one goes. Uploads still arriving count by what they have received so far.
import type { ApiError } from '../shared/contract/envelope.js';
import { messageText } from '../shared/contract/messages.js';
import { UPLOAD_IDLE_MS, uploadBytes } from '../core/import/uploads.js';

/** Two placement files of the largest kind: enough for any day's work, not enough to fill the disk alone. */
export const DEFAULT_UPLOAD_QUOTA_BYTES = 4 * 1024 * 1024 * 1024;

const mb = (b: number) => Math.ceil(b / 1024 / 1024);

export class UploadQuota {
  /** uploadId → owner and file; entries whose file is gone are dropped as they are met. */
  private held = new Map<string, { userId: number; path: string; arriving: number | null }>();

  constructor(readonly quotaBytes = DEFAULT_UPLOAD_QUOTA_BYTES) {}

  /** Bytes this user holds now, leaving out `except` (the upload being checked). */
  used(userId: number, except?: string): number {
    let total = 0;
    for (const [id, h] of this.held) {
      if (h.userId !== userId || id === except) continue;
      if (h.arriving !== null) total += h.arriving;
      else {
        try {
          total += uploadBytes(h.path); // the bytes the user sent (the file holds them sealed)
        } catch {
          this.held.delete(id); // used or swept
        }
      }
    }
    return total;
  }

  /** The refusal for this user holding `size` more bytes in `uploadId`, or null. */
  check(userId: number, uploadId: string, size: number): ApiError | null {
    const used = this.used(userId, uploadId);
    if (used + size <= this.quotaBytes) return null;
    const params = { usedMb: mb(used), quotaMb: mb(this.quotaBytes), minutes: Math.round(UPLOAD_IDLE_MS / 60_000) };
    return { code: 'BAD_INPUT', message: messageText('uploadQuota', params), key: 'uploadQuota', params };
  }

  /** An upload starts arriving for this user. */
  begin(userId: number, uploadId: string, path: string): void {
    this.held.set(uploadId, { userId, path, arriving: 0 });
  }

  progress(uploadId: string, size: number): void {
    const h = this.held.get(uploadId);
    if (h) h.arriving = size;
  }

  /** It ended: kept (its file now counts) or refused (its file was removed). */
  end(uploadId: string, kept: boolean): void {
    const h = this.held.get(uploadId);
    if (!h) return;
    if (kept) h.arriving = null;
    else this.held.delete(uploadId);
  }
}
