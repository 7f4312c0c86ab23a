// Messages between an erasure run (erase.ts, on the request thread) and its worker (erase-worker.ts).
import type { ErrorCode } from '../../shared/contract/envelope.js';

/** Given once, as workerData: the store and a copy of its key (the worker wipes it once the store is open). */
export interface EraseWorkerInit {
  dbFile: string;
  key: Uint8Array;
  nativeBinding?: string | undefined;
  /** The request thread's count of writes waiting for the lock (db/write-priority.ts). */
  writePriority?: SharedArrayBuffer;
}

export type EraseRequest =
  /** The due cases of a lender as of `nowIso` (the agency's day), or the given ones once checked due. */
  | { type: 'plan'; lenderId: number; caseIds: number[] | null; nowIso: string }
  /** Erases the cases under run `runId`, each with its audit entry by `actor` on `host`. */
  | { type: 'erase'; runId: number; ids: number[]; actor: { id: number; username: string }; host: string; clockOffsetMs: number }
  /** Checkpoints and truncates the WAL (and VACUUMs once for a store older than secure_delete everywhere). */
  | { type: 'reclaim' };

export type EraseAnswer =
  | { type: 'planned'; ids: number[] }
  | { type: 'progress'; erased: number }
  | { type: 'erased'; erased: number }
  | { type: 'reclaimed'; vacuumMs: number; freedPages: number; reclaimed: boolean }
  | { type: 'error'; code: ErrorCode; message: string };
