// The export worker: opens its own connection to the store and writes a report package (all but its
// signature) from one read snapshot, off the backend's thread — the backend keeps answering while a
// million-case package is written, and the package agrees with itself whatever is committed meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { inReadSnapshot, openEncrypted } from '../../db/open.js';
import { repos } from '../../db/repos/index.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { writeUnsignedPackage } from './package.js';
import type { ExportMessage, ExportRequest } from './export-protocol.js';

const req = workerData as ExportRequest;
const post = (m: ExportMessage) => parentPort!.postMessage(m);
const key = Buffer.from(req.keyHex, 'hex');
try {
  // The backend checked the store when it opened it.
  const db = openEncrypted(req.dbFile, key, { nativeBinding: req.nativeBinding, migrate: false, quickCheck: false });
  key.fill(0);
  try {
    const r = repos(db);
    const result = await inReadSnapshot(db, () => writeUnsignedPackage(r, req.dir, { ...req.spec, auditHead: r.audit.headHash() }));
    post({ type: 'done', result });
  } finally {
    db.close();
  }
} catch (e) {
  if (e instanceof ApiFailure) post({ type: 'error', code: e.code, message: e.message });
  else post({ type: 'error', code: 'INTERNAL', message: `The report package could not be written: ${(e as Error).message}` });
} finally {
  key.fill(0);
}
