// Import jobs: each runs in a worker thread with its own connection to the store, under memory and time
// limits, so a million-row file never blocks the backend (or the UI behind it) and a hostile file only
// costs its worker.
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { ImportJob, ImportPreview, ImportResult } from '../../shared/contract/placements.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { recogniseMessage } from '../../shared/contract/messages.js';
import type { WorkerRequest, WorkerMessage } from './protocol.js';
import { workerScript } from '../worker-script.js';
import { writePriorityBuffer } from '../../db/write-priority.js';

const MEMORY_MB = 768;
const PREVIEW_TIMEOUT_MS = 10 * 60_000;
const IMPORT_TIMEOUT_MS = 60 * 60_000;


interface Running {
  job: ImportJob;
  worker: Worker;
  cancel(): void;
}

export function runWorker(req: WorkerRequest, onProgress: (m: Extract<WorkerMessage, { type: 'progress' }>) => void): { done: Promise<WorkerMessage>; worker: Worker } {
  // No inherited Node flags (see reader-thread.ts).
  const worker = new Worker(workerScript('import.mjs', import.meta.url, './worker-from-source.mjs'), {
    execArgv: [],
    workerData: { ...req, writePriority: writePriorityBuffer() },
    resourceLimits: { maxOldGenerationSizeMb: MEMORY_MB, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
  });
  // The worker has its copy of an upload's key (workerData is cloned): this one is not needed any more.
  req.fileKey?.fill(0);
  const done = new Promise<WorkerMessage>((resolve) => {
    let settled = false;
    const settle = (m: WorkerMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(m);
    };
    const timer = setTimeout(() => {
      settle({ type: 'error', code: 'BAD_INPUT', message: 'Reading the file took too long; it was stopped and nothing was imported.' });
      void worker.terminate();
    }, req.mode === 'preview' ? PREVIEW_TIMEOUT_MS : IMPORT_TIMEOUT_MS);
    worker.on('message', (m: WorkerMessage) => (m.type === 'progress' ? onProgress(m) : settle(m)));
    worker.on('error', (e: Error & { code?: string }) =>
      settle(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { type: 'error', code: 'BAD_INPUT', message: `Reading the file needed more than ${MEMORY_MB} MB; nothing was imported.` }
          : { type: 'error', code: 'INTERNAL', message: `The import failed: ${e.message}` },
      ),
    );
    worker.on('exit', (code) => settle({ type: 'error', code: 'INTERNAL', message: `The import stopped unexpectedly (exit ${code}); nothing was imported.` }));
  });
  return { done, worker };
}

/** Runs a preview to completion and returns it (or throws the file's rejection). */
export async function previewInWorker(req: WorkerRequest): Promise<ImportPreview> {
  const m = await runWorker(req, () => undefined).done;
  if (m.type === 'preview') return m.preview;
  if (m.type === 'error') throw new ApiFailure(m.code, m.message);
  throw new ApiFailure('INTERNAL', 'Unexpected answer from the import worker.');
}

export class ImportJobs {
  private jobs = new Map<string, Running | { job: ImportJob }>();
  /** Workers not yet exited: one goes on writing search rows and checkpointing after its job is done (pipeline.ts). */
  private workers = new Set<Worker>();
  /** stopAll: the store is closing (its next unlock undoes a stopped load: core/store-handle.ts). */
  private stopping = false;

  /** `onDone` runs once the batch is committed (the automatic rules); the job says done after it has finished. */
  start(req: WorkerRequest, totalBytes: number, onDone: (result: ImportResult) => void | Promise<void>): string {
    const jobId = randomBytes(12).toString('base64url');
    const job: ImportJob = { jobId, state: 'running', phase: 'reading', rowsRead: 0, bytesRead: 0, totalBytes, result: null, error: null };
    this.stopping = false;
    // Its load in parts is marked with the job's id (case_loading.owner).
    req.loadOwner = jobId;
    const undoReq: WorkerRequest = { ...req, mode: 'undo', fileKey: undefined };
    const { done, worker } = runWorker(req, (p) => {
      job.rowsRead = p.rowsRead;
      job.bytesRead = p.bytesRead;
      job.phase = p.phase;
    });
    this.workers.add(worker);
    worker.once('exit', (code) => {
      this.workers.delete(worker);
      // Stopped (cancelled, out of time or memory, crashed) before it could undo what its load had written:
      // undone now, by a worker that takes out this job's load only (another import may be writing its own).
      // When the store is closing, its next unlock does it.
      if (code !== 0 && !this.stopping) this.undoStopped(undoReq);
    });
    let cancelled = false;
    this.jobs.set(jobId, { job, worker, cancel: () => ((cancelled = true), void worker.terminate()) });
    void done.then(async (m) => {
      if (cancelled) {
        job.state = 'cancelled';
        job.error = { code: 'CANCELLED', message: 'Cancelled: nothing of this import was kept.' };
      } else if (m.type === 'imported') {
        try {
          await onDone(m.result);
        } catch (e) {
          console.error('[agencydesk] after the import:', e instanceof Error ? e.message : String(e));
        }
        job.result = m.result;
        job.phase = 'done';
        job.state = 'done';
      } else if (m.type === 'error') {
        job.state = 'failed';
        job.error = { code: m.code, message: m.message, ...recogniseMessage(m.message) };
      }
      this.jobs.set(jobId, { job });
    });
    return jobId;
  }

  private undoStopped(req: WorkerRequest): void {
    const { done, worker } = runWorker(req, () => undefined);
    this.workers.add(worker);
    worker.once('exit', () => this.workers.delete(worker));
    void done.then((m) => {
      if (m.type === 'error') console.error('[agencydesk] undoing a stopped import:', m.message);
    });
  }

  get(jobId: string): ImportJob {
    const j = this.jobs.get(jobId);
    if (!j) throw new ApiFailure('NOT_FOUND', 'No such import job (jobs are forgotten when the app restarts).');
    return { ...j.job };
  }

  cancel(jobId: string): ImportJob {
    const j = this.jobs.get(jobId);
    if (!j) throw new ApiFailure('NOT_FOUND', 'No such import job.');
    if ('cancel' in j && j.job.state === 'running') j.cancel();
    return { ...j.job };
  }

  /**
   * Stops every running job (the store is being locked or closed); their transactions roll back. A finished job's
   * worker still writing search rows stops too: they stay owed and the next writer completes them.
   */
  stopAll(): Promise<void> {
    this.stopping = true;
    const running = [...this.jobs.values()].filter((j): j is Running => 'worker' in j && j.job.state === 'running');
    running.forEach((j) => j.cancel());
    return Promise.all([...this.workers].map((w) => w.terminate())).then(() => undefined);
  }

  /** Import workers still running, finished jobs' included (a master-key change waits for them: core/key-slots.ts). */
  get workersAlive(): number {
    return this.workers.size;
  }

  get runningCount(): number {
    return [...this.jobs.values()].filter((j) => j.job.state === 'running').length;
  }
}
