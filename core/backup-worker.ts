// Worker thread that writes one backup (db/backup.ts): VACUUM INTO and the hashing run here, never on the
// thread that answers users' calls.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiFailure } from '../shared/contract/failure.js';
import { writeBackup } from '../db/backup.js';

export interface BackupWorkerRequest {
  dbPath: string;
  slotsPath: string;
  key: Uint8Array;
  nativeBinding?: string | undefined;
  toDir: string;
  now: string;
  appVersion: string;
}

const req = workerData as BackupWorkerRequest;
try {
  const key = Buffer.from(req.key);
  const result = writeBackup({ dbPath: req.dbPath, slotsPath: req.slotsPath, masterKey: key, nativeBinding: req.nativeBinding }, req.toDir, { now: new Date(req.now), appVersion: req.appVersion });
  key.fill(0);
  parentPort!.postMessage({ type: 'done', result });
} catch (e) {
  parentPort!.postMessage({ type: 'error', code: e instanceof ApiFailure ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
}
