// The offload pool: a few worker threads (core/offload/worker.ts), each with its own connection to the
// store, that run the heavy contract methods (heavy.ts) so the thread answering every user's calls never
// waits for a dashboard, an assignment or a repayment file. Workers start at the first heavy call after
// an unlock, take one call at a time (the rest queue, first come first served), and stop when the store
// locks (they hold the key) or the backend closes. A worker that dies answers its call with a clear error
// and is replaced at the next call.
import { Worker } from 'node:worker_threads';
import type { ApiError } from '../../shared/contract/envelope.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { User } from '../../shared/contract/models.js';
import { workerScript } from '../worker-script.js';
import type { OffloadCall, OffloadInit, OffloadMessage } from './protocol.js';
import { writePriorityBuffer } from '../../db/write-priority.js';

/**
 * How many workers the team server has by default: 2, whatever the cores. One call can keep a worker for a minute
 * (an assignment of 200,000 cases); with one worker, another manager's dashboard waited behind it (34.7 s in the
 * server bench). More would compete with the import workers for the cores.
 */
export const SERVER_POOL_SIZE = 2;

/** Heap limit per worker: a dashboard or an assignment at 1M cases stays well under it. */
const MEMORY_MB = 2048;

export interface CallMeta {
  user: User;
  session: string | null;
  client: string;
  clockOffsetMs: number;
  testClock: OffloadCall['testClock'];
  importsRunning: number;
  anchorKey?: Uint8Array | null;
  privilegedTampered?: string | null;
  uploadKeys?: OffloadCall['uploadKeys'];
}

interface Pending {
  call: OffloadCall;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  current: Pending | null;
}

export class OffloadPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private inFlight = 0;
  /** A master-key change is switching files: queued calls wait, idle workers are gone (pause/resume). */
  private paused = false;
  private idleWaiters: (() => void)[] = [];

  /** `init` gives a fresh copy of the store's key for each new worker (the worker wipes it once opened). */
  constructor(
    readonly size: number,
    private readonly init: () => OffloadInit,
  ) {}

  /** Calls queued or running: while any is, the store stays unlocked (its key is in use). */
  get busy(): number {
    return this.inFlight;
  }

  /** Runs a parsed, permitted call in a worker; resolves with the handler's result or rejects with ApiFailure. */
  run(method: string, input: unknown, meta: CallMeta): Promise<unknown> {
    const call: OffloadCall = { type: 'call', id: this.nextId++, method, input, ...meta };
    this.inFlight++;
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      this.pump();
    }).finally(() => this.inFlight--);
  }

  private pump(): void {
    if (this.paused) {
      if (this.slots.every((s) => s.current === null)) for (const w of this.idleWaiters.splice(0)) w();
      return;
    }
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.current === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      slot.current = p;
      const s = slot;
      s.ready.then(
        () => {
          s.worker.postMessage(p.call);
          p.call.anchorKey?.fill(0); // the worker has its copy
          for (const k of Object.values(p.call.uploadKeys ?? {})) k.fill(0);
        },
        (e: unknown) => this.finish(s, (q) => q.reject(e)),
      );
    }
  }

  private spawn(): Slot {
    const init = this.init();
    const worker = new Worker(workerScript('offload.mjs', import.meta.url, './worker-from-source.mjs'), {
      execArgv: [],
      workerData: { ...init, writePriority: writePriorityBuffer() },
      resourceLimits: { maxOldGenerationSizeMb: MEMORY_MB },
    });
    init.key.fill(0);
    // An idle worker does not keep the process alive (the CLI's one-shot commands, tests).
    worker.unref();
    let markReady!: () => void;
    let markFailed!: (e: unknown) => void;
    const ready = new Promise<void>((res, rej) => ((markReady = res), (markFailed = rej)));
    ready.catch(() => undefined); // observed by whichever call waits on it
    const slot: Slot = { worker, ready, current: null };
    worker.on('message', (m: OffloadMessage) => {
      if (m.type === 'ready') markReady();
      else if (m.type === 'failed') markFailed(new ApiFailure(m.error.code, m.error.message));
      else if (slot.current?.call.id === m.id) this.finish(slot, (q) => (m.ok ? q.resolve(m.value) : q.reject(failure(m.error))));
    });
    const died = (why: string) => {
      this.slots = this.slots.filter((s) => s !== slot);
      const err = new ApiFailure('INTERNAL', `The background worker running this call stopped unexpectedly (${why}); the call did not finish and a change it was making was rolled back. Try again.`);
      markFailed(err);
      const p = slot.current;
      slot.current = null;
      p?.reject(err);
      this.pump(); // a new worker takes the queue
    };
    worker.on('error', (e: Error & { code?: string }) => died(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than ${MEMORY_MB} MB` : e.message));
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) died(`exit ${code}`);
    });
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, settle: (p: Pending) => void): void {
    const p = slot.current;
    slot.current = null;
    if (p) settle(p);
    this.pump();
  }

  /**
   * For a master-key change's switch (core/rekey-job.ts): running calls finish, new ones queue, then every worker
   * closes its connection to the store. resume() starts workers again (under the key the store has then).
   */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.slots.some((s) => s.current !== null)) await new Promise<void>((r) => this.idleWaiters.push(r));
    const slots = this.slots;
    this.slots = [];
    await Promise.all(
      slots.map(async (s) => {
        s.worker.postMessage({ type: 'close' });
        const t = setTimeout(() => void s.worker.terminate(), 1_000);
        await new Promise((r) => s.worker.once('exit', r));
        clearTimeout(t);
      }),
    );
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Stops every worker (the store locked or the backend closes); queued and running calls are answered with an error. */
  async stop(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    const stopped = new ApiFailure('UNAUTHENTICATED', 'The store was locked while this call waited: log in again.');
    for (const p of this.queue.splice(0)) p.reject(stopped);
    await Promise.all(
      slots.map(async (s) => {
        s.current?.reject(stopped);
        s.current = null;
        // Closing the connection first lets a running read finish its statement; terminate makes sure.
        s.worker.postMessage({ type: 'close' });
        const t = setTimeout(() => void s.worker.terminate(), 1_000);
        await new Promise((r) => s.worker.once('exit', r));
        clearTimeout(t);
      }),
    );
  }

  /** Workers running now (tests). */
  get workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }
}

function failure(e: ApiError): ApiFailure {
  const { code, message, ...extra } = e;
  return new ApiFailure(code, message, extra);
}
