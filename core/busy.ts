// SQLite's "database is locked" family, as better-sqlite3 reports it, and the answer a caller gets for it.
import type { ApiError } from '../shared/contract/envelope.js';
import { interactiveWaiting } from '../db/write-priority.js';

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * The call's transaction rolled back whole, so nothing of it is written; the client retries after the pause.
 * Sent only after the backend has itself tried again for LOCK_QUEUE_MS (core/backend.ts).
 */
export const BUSY_ERROR: ApiError = { code: 'BUSY', message: 'Another job is writing to the store right now; nothing was saved yet. Retrying.', retryAfterSeconds: 1 };

/** How long a call that meets another connection's write lock is queued before it is answered BUSY. */
export const LOCK_QUEUE_MS = 3_000;
/** The first pause before trying again, doubling up to the last (a worker's write chunk lasts tens of ms). */
const LOCK_FIRST_PAUSE_MS = 5;
/** Writers that work in chunks pause longer than this (+25 % jitter) between them, so a waiting call gets in. */
export const LOCK_MAX_PAUSE_MS = 50;
/** What `once` answers when its transaction met another connection's write lock (and rolled back whole). */
export const LOCKED = Symbol('locked');

/**
 * Runs `once` and, while it answers LOCKED, runs it again on timers — never by sleeping the thread, which
 * answers every user — for up to `limitMs`; then answers LOCKED. An expensive try (a login's key derivation) is
 * not repeated more often than it takes: at most half the time is spent trying.
 */
export async function untilUnlocked<T>(once: () => Promise<T | typeof LOCKED>, limitMs: number): Promise<T | typeof LOCKED> {
  const deadline = performance.now() + limitMs;
  let waiting = false;
  try {
    for (let pause = LOCK_FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LOCK_MAX_PAUSE_MS)) {
      const started = performance.now();
      const out = await once();
      if (out !== LOCKED) return out;
      // Workers writing in chunks let this write in before their next chunk (db/write-priority.ts).
      if (!waiting) interactiveWaiting(+1);
      waiting = true;
      const wait = Math.max(pause, performance.now() - started) * (0.75 + Math.random() * 0.5);
      if (performance.now() + wait > deadline) return LOCKED;
      await new Promise((r) => setTimeout(r, wait));
    }
  } finally {
    if (waiting) interactiveWaiting(-1);
  }
}

/** `fn` run as `untilUnlocked` runs it: a lock error is tried again; after `limitMs` the last one is thrown. */
export async function retryWhileLocked<T>(fn: () => T, limitMs: number): Promise<T> {
  let last: unknown;
  const out = await untilUnlocked(async () => {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e)) throw e;
      last = e;
      return LOCKED;
    }
  }, limitMs);
  if (out === LOCKED) throw last;
  return out;
}
