// Starts the import's reader thread (see reader.ts) from the import worker and delivers its messages in order.
import { Worker } from 'node:worker_threads';
import type { ImportSettings } from './protocol.js';
import type { FileSource } from './read/file-source.js';
import type { ReaderData, ReaderMessage } from './reader.js';
import type { Layout } from './walk.js';
import type { CaseBatch } from './case-batch.js';
import type { FileFactsSummary } from './file-facts.js';
import { FileRejected } from './read/limits.js';
import { ApiFailure } from '../../shared/contract/failure.js';

/** The reader parses hostile files: it gets the heap cap the whole import worker used to have. */
export const READER_MEMORY_MB = 768;

/** The import worker's own script: the bundle (dist/workers/import.mjs), or the TypeScript source under tests. */
function workerScript(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./worker-from-source.mjs', import.meta.url) : new URL(import.meta.url);
}

export interface ReaderHandlers {
  onLayout(layout: Layout): void;
  onBatch(batch: CaseBatch, progress: { rowsRead: number; bytesRead: number }): void;
}

/** What the reader says at the end: rows read, the file's SHA-256 (hex) and what its rows said as a whole. */
export interface ReaderEnd {
  rowsRead: number;
  sha256: string;
  facts: FileFactsSummary;
}

export interface ReaderThread {
  /**
   * Delivers the reader's messages to `handlers` (those that came before are delivered first) and resolves
   * when every row was; rejects with the reader's error or a handler's. Until then the reader stays at most
   * MAX_IN_FLIGHT batches ahead.
   */
  attach(handlers: ReaderHandlers): Promise<ReaderEnd>;
  stop(): Promise<void>;
}

/** Starts reading at once; handlers run synchronously, in file order; one that throws stops the reader. */
export function startReader(src: FileSource, settings: ImportSettings): ReaderThread {
  const flow = new SharedArrayBuffer(4);
  const inFlight = new Int32Array(flow);
  // The reader gets its own copy of an upload's key (workerData is cloned) and wipes it when done.
  const data: ReaderData = { role: 'reader', filePath: src.path, fileKey: src.key ?? undefined, settings, flow };
  // No inherited Node flags: under a parent run with a TypeScript loader (tests, benchmarks) every module
  // load of the worker would also go through the loader's hooks (~0.4 s more at an import's start, on its
  // critical path). The from-source scripts register the loader themselves; the built app has no flags.
  const worker = new Worker(workerScript(), {
    execArgv: [],
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: READER_MEMORY_MB, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
  });
  const queue: (ReaderMessage | { type: 'exit'; code: number })[] = [];
  let handlers: ReaderHandlers | null = null;
  let failure: { error: unknown } | null = null;
  let finished: ReaderEnd | null = null;
  let stopped = false;
  let settle: { resolve: (v: ReaderEnd) => void; reject: (e: unknown) => void } | null = null;

  const fail = (error: unknown) => {
    if (failure || finished || stopped) return;
    failure = { error };
    void worker.terminate();
    settle?.reject(error);
  };
  const pump = () => {
    if (!handlers) return;
    while (queue.length && !failure && !stopped) {
      const m = queue.shift()!;
      try {
        if (m.type === 'batch') {
          handlers.onBatch(m.batch, m);
          Atomics.sub(inFlight, 0, 1);
          Atomics.notify(inFlight, 0);
        } else if (m.type === 'layout') handlers.onLayout(m.layout);
        else if (m.type === 'end') {
          finished = { rowsRead: m.rowsRead, sha256: m.sha256, facts: m.facts };
          settle?.resolve(finished);
        } else if (m.type === 'exit') {
          fail(new Error(`the reader stopped unexpectedly (exit ${m.code})`));
        } else if (m.type === 'error') {
          fail(m.kind === 'file' ? new FileRejected(m.message) : m.kind === 'api' ? new ApiFailure(m.code!, m.message) : new Error(m.message));
        }
      } catch (e) {
        fail(e);
      }
    }
  };
  worker.on('message', (m: ReaderMessage) => {
    queue.push(m);
    pump();
  });
  worker.on('error', (e: Error & { code?: string }) =>
    fail(
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new FileRejected(`Reading the file needed more than ${READER_MEMORY_MB} MB; nothing was imported.`)
        : new Error(`the reader failed: ${e.message}`),
    ),
  );
  // Messages sent before the exit are delivered first; an exit before 'end' is a failure.
  worker.on('exit', (code) => {
    queue.push({ type: 'exit', code });
    pump();
  });
  return {
    attach(h) {
      handlers = h;
      return new Promise((resolve, reject) => {
        settle = { resolve, reject };
        if (failure) return reject(failure.error);
        pump();
        if (finished) resolve(finished);
      });
    },
    async stop() {
      stopped = true;
      await worker.terminate();
    },
  };
}
