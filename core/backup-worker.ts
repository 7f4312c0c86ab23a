// Worker thread that writes one backup (db/backup.ts) or restores one into a new folder: VACUUM INTO, the
// unpacking, integrity checks and hashing run here, never on the thread that answers users' calls.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiFailure } from '../shared/contract/failure.js';
import { restoreBackup, writeBackup } from '../db/backup.js';
import { unwrapBackupKeys, type BackupCredential } from './restore-key.js';

export interface BackupWorkerRequest {
  dbPath: string;
  slotsPath: string;
  key: Uint8Array;
  nativeBinding?: string | undefined;
  toDir: string;
  now: string;
  appVersion: string;
}

/** A restore from the Backups screen: the backup `file` into the new folder `target`. */
export interface RestoreWorkerRequest {
  restore: { file: string; target: string; credential: BackupCredential; nativeBinding?: string | undefined; nowMs: number; anchorDir?: string | null };
}

const req = workerData as BackupWorkerRequest | RestoreWorkerRequest;
try {
  if ('restore' in req) {
    const r = req.restore;
    const manifest = await restoreBackup(r.file, r.target, (slots, storeId) => unwrapBackupKeys(slots, storeId, r.credential), { nativeBinding: r.nativeBinding, nowMs: r.nowMs, anchorDir: r.anchorDir ?? null });
    parentPort!.postMessage({ type: 'done', result: manifest });
  } else {
    const key = Buffer.from(req.key);
    const result = writeBackup({ dbPath: req.dbPath, slotsPath: req.slotsPath, masterKey: key, nativeBinding: req.nativeBinding }, req.toDir, { now: new Date(req.now), appVersion: req.appVersion });
    key.fill(0);
    parentPort!.postMessage({ type: 'done', result });
  }
} catch (e) {
  parentPort!.postMessage({ type: 'error', code: e instanceof ApiFailure ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
}
