// Worker thread that makes the re-encrypted copy of the store for a master-key change (db/rekey.ts copyForRekey):
// its own connection holds the write lock while VACUUM INTO, PRAGMA rekey and the integrity check run here, so
// the thread answering users' calls goes on serving reads. It then waits, lock held, until the request thread
// is ready to switch (offload workers closed), lets the lock go and says so; the switch itself is done there.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiFailure } from '../shared/contract/failure.js';
import { copyForRekey, type RekeyPhase } from '../db/rekey.js';
import type { StoreFiles } from '../db/paths.js';
import type { SlotFile } from '../db/keyslots.js';

export interface RekeyWorkerRequest {
  files: StoreFiles;
  /** Copies of the keys, wiped here once the copy is made. */
  oldKey: Uint8Array;
  newKey: Uint8Array;
  slots: SlotFile;
  meta: Record<string, string>;
  nativeBinding?: string | undefined;
}

export type RekeyWorkerMessage =
  | { type: 'locked'; totalBytes: number }
  | { type: 'phase'; phase: RekeyPhase }
  /** The copy is made and verified; the write lock is still held. */
  | { type: 'ready' }
  | { type: 'released' }
  | { type: 'error'; code: string; message: string };

/** From the request thread: let the lock go (then switch), or throw the copy away. */
export type RekeyWorkerCommand = { type: 'release' } | { type: 'discard' };

const req = workerData as RekeyWorkerRequest;
const post = (m: RekeyWorkerMessage) => parentPort!.postMessage(m);
const oldKey = Buffer.from(req.oldKey);
const newKey = Buffer.from(req.newKey);
req.oldKey.fill(0);
req.newKey.fill(0);
try {
  const copy = copyForRekey(
    req.files,
    { oldKey, newKey, slots: req.slots, meta: req.meta, nativeBinding: req.nativeBinding },
    { locked: (totalBytes) => post({ type: 'locked', totalBytes }), phase: (phase) => post({ type: 'phase', phase }) },
  );
  oldKey.fill(0);
  newKey.fill(0);
  parentPort!.once('message', (c: RekeyWorkerCommand) => {
    try {
      if (c.type === 'release') copy.release();
      else copy.discard();
      post({ type: 'released' });
    } catch (e) {
      post({ type: 'error', code: e instanceof ApiFailure ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
    }
  });
  post({ type: 'ready' });
} catch (e) {
  oldKey.fill(0);
  newKey.fill(0);
  const busy = String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
  post(
    busy
      ? { type: 'error', code: 'BUSY', message: 'Another job kept writing to the store: the key was not changed; try again.' }
      : { type: 'error', code: e instanceof ApiFailure ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
  );
}
