// The import worker: reads the file, finds the header row, maps columns, normalises and validates every
// row, and (import mode) writes the whole batch: all of it lands, or none of it (one transaction, or parts
// out of sight until one last transaction publishes them; 'undo' mode takes out a stopped import's parts).
// The same script also runs the import's reader thread (reader.ts), which the import worker starts
// first thing, so that both load their code at the same time.
import { parentPort, workerData } from 'node:worker_threads';
import { requestSource, type WorkerMessage, type WorkerRequest } from './protocol.js';
import type { ReaderData, ReaderMessage } from './reader.js';
import { startReader } from './reader-thread.js';
import { FileRejected } from './read/limits.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { adoptWritePriority } from '../../db/write-priority.js';

if ((workerData as { role?: string }).role === 'reader') {
  const { runReader } = await import('./reader.js');
  await runReader(workerData as ReaderData, (m: ReaderMessage, transfer?: ArrayBuffer[]) => parentPort!.postMessage(m, transfer));
} else {
  const req = workerData as WorkerRequest;
  adoptWritePriority(req.writePriority);
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  const reader = req.mode === 'import' ? startReader(requestSource(req), req.settings) : null;
  try {
    const { runPreview, runImport } = await import('./pipeline.js');
    if (reader) await runImport(req, post, reader); // posts 'imported' once committed, then checkpoints
    else if (req.mode === 'undo') post({ type: 'undone', loads: (await import('./pipeline.js')).runUndo(req) });
    else post({ type: 'preview', preview: await runPreview(req, post) });
  } catch (e) {
    if (e instanceof FileRejected) post({ type: 'error', code: 'BAD_INPUT', message: e.message });
    else if (e instanceof ApiFailure) post({ type: 'error', code: e.code, message: e.message });
    else post({ type: 'error', code: 'INTERNAL', message: `The import failed: ${(e as Error).message}` });
  } finally {
    await reader?.stop();
    req.fileKey?.fill(0); // this thread's copy of an upload's key
  }
}
