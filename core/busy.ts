// SQLite's "database is locked" family, as better-sqlite3 reports it, and the answer a caller gets for it.
import type { ApiError } from '../shared/contract/envelope.js';

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * The call's transaction rolled back whole, so nothing of it is written; the client retries after the pause.
 * Sent only after the backend has itself tried again for LOCK_QUEUE_MS (core/backend.ts).
 */
export const BUSY_ERROR: ApiError = { code: 'BUSY', message: 'Another job is writing to the store right now; nothing was saved yet. Retrying.', retryAfterSeconds: 1 };
