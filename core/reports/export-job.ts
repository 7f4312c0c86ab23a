// Runs an export worker (export-worker.ts) and waits for its unsigned package. The worker has its own
// heap limits; a young generation larger than the default halves the garbage collector's share of
// building a million rows.
import { Worker } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ExportMessage, ExportRequest } from './export-protocol.js';
import type { UnsignedPackage } from './package.js';
import { workerScript } from '../worker-script.js';

const MEMORY_MB = 1024;
const YOUNG_MB = 96;

export function runExportWorker(req: ExportRequest): Promise<UnsignedPackage> {
  // No inherited Node flags (see core/import/reader-thread.ts).
  const worker = new Worker(workerScript('export.mjs', import.meta.url, './export-worker-from-source.mjs'), {
    execArgv: [],
    workerData: req,
    resourceLimits: { maxOldGenerationSizeMb: MEMORY_MB, maxYoungGenerationSizeMb: YOUNG_MB, stackSizeMb: 8 },
  });
  return new Promise<UnsignedPackage>((resolve, reject) => {
    let settled = false;
    const fail = (e: ApiFailure) => {
      if (settled) return;
      settled = true;
      // A worker that died half-way (out of memory, say) leaves no half-written package behind.
      rmSync(req.dir, { recursive: true, force: true });
      reject(e);
    };
    worker.on('message', (m: ExportMessage) => {
      if (m.type === 'error') fail(new ApiFailure(m.code, m.message));
      else if (!settled) {
        settled = true;
        resolve(m.result);
      }
    });
    worker.on('error', (e) => fail(new ApiFailure('INTERNAL', `The report package could not be written: ${e.message}`)));
    worker.on('exit', (code) => fail(new ApiFailure('INTERNAL', `The report package could not be written: its worker stopped (exit code ${code}).`)));
  });
}
