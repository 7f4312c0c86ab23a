// Messages between the offload pool (main thread) and its workers (core/offload/worker.ts).
import type { ApiError } from '../../shared/contract/envelope.js';
import type { HostKind, User } from '../../shared/contract/models.js';

/** Given once, as workerData: where the store is and its key (a copy; the worker wipes it once opened). */
export interface OffloadInit {
  storeDir: string;
  dbFile: string;
  key: Uint8Array;
  nativeBinding?: string | undefined;
  host: HostKind;
  hostLabel: string;
  serverInfo: { url: string; fingerprint: string } | null;
  /** The host's folder for the audit anchor's copy (system.check compares it), or null. */
  anchorDir?: string | null;
  /** The request thread's count of writes waiting for the lock (db/write-priority.ts). */
  writePriority?: SharedArrayBuffer;
  /** The connection's page cache (MiB); the default's 64. */
  cacheMiB?: number;
}

/** One heavy call, already authenticated, permitted and parsed on the main thread. */
export interface OffloadCall {
  type: 'call';
  id: number;
  method: string;
  input: unknown;
  user: User;
  session: string | null;
  client: string;
  /** The backend's clock minus the real one (tests and test clocks): the worker's `now` follows it. */
  clockOffsetMs: number;
  /** system.check only: the audit anchor's MAC key when the backend holds it (core/audit/anchor-key.ts); wiped after the call. */
  anchorKey?: Uint8Array | null;
  /** system.check only: why the main thread refused a slot's privileged key as swapped (core/key-slots.ts), if it did. */
  privilegedTampered?: string | null;
  testClock: { startedAt: string; realStartedAt: string } | null;
  /** uploadId → key of each upload the input names (core/import/uploads.ts); wiped once posted, and by the worker after the call. */
  uploadKeys?: Record<string, Uint8Array> | null;
  /** Import jobs running on the main thread when the call was made (assign.apply refuses during one). */
  importsRunning: number;
}

export type OffloadAnswer = { type: 'answer'; id: number; ok: true; value: unknown } | { type: 'answer'; id: number; ok: false; error: ApiError };

/** Posted once the worker has opened its connection (or failed to). */
export type OffloadReady = { type: 'ready' } | { type: 'failed'; error: ApiError };

export type OffloadMessage = OffloadAnswer | OffloadReady;
