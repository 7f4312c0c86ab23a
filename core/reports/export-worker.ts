// The export worker: opens its own connection to the store and writes a report package (all but its
// signature) from one read snapshot, off the backend's thread — the backend keeps answering while a
// million-case package is written, and the package agrees with itself whatever is committed meanwhile.
// The same script runs the worker's helper thread, which formats chunks of cases (case-reports.ts).
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { inReadSnapshot, openEncrypted } from '../../db/open.js';
import { repos } from '../../db/repos/index.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { writeUnsignedPackage } from './package.js';
import { chunkHelper, runChunkHelper } from './case-reports.js';
import type { FormatSetup } from './format-chunk.js';
import type { ExportMessage, ExportRequest } from './export-protocol.js';

/** This script: the bundle (dist/workers/export.mjs), or the TypeScript source under tests. */
function ownScript(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./export-worker-from-source.mjs', import.meta.url) : new URL(import.meta.url);
}

async function runExport(req: ExportRequest): Promise<void> {
  const post = (m: ExportMessage) => parentPort!.postMessage(m);
  const key = Buffer.from(req.keyHex, 'hex');
  try {
    // The backend checked the store when it opened it.
    const db = openEncrypted(req.dbFile, key, { nativeBinding: req.nativeBinding, migrate: false, quickCheck: false });
    key.fill(0);
    // Every cursor reads its pages once, in order: a small page cache does as well as the default 64 MiB,
    // which a million-case scan would otherwise fill (memory the package's 600 MB budget needs elsewhere).
    db.pragma('cache_size = -16384');
    try {
      const r = repos(db);
      const { spec } = req;
      const startHelper = (setup: FormatSetup) =>
        chunkHelper(new Worker(ownScript(), { execArgv: [], workerData: { role: 'format', setup }, resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 96, stackSizeMb: 8 } }));
      const result = await inReadSnapshot(db, () => writeUnsignedPackage(r, req.dir, { ...spec, auditHead: r.audit.headHash() }, { startHelper }));
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
}

const data = workerData as ExportRequest | { role: 'format'; setup: FormatSetup };
if ('role' in data) runChunkHelper(data.setup, parentPort!);
else await runExport(data);
