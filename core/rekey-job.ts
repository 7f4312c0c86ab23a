// A master-key change as a background job. The copy — VACUUM INTO, PRAGMA rekey, integrity check — runs in a
// worker thread (core/rekey-worker.ts) whose own connection holds the store's write lock, so the request thread
// goes on answering: reads as usual, writes BUSY at once with "the store key is being changed (N%)" (clients
// retry). When the copy is ready the offload workers let go of the store, the worker lets the lock go, and the
// request thread switches files in one short synchronous step (db/rekey.ts switchToRekeyed) and reopens under
// the new key. A crash anywhere leaves the old or the new key opening the store (db/rekey.ts).
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { ApiFailure } from '../shared/contract/failure.js';
import type { MethodOutput } from '../shared/contract/registry.js';
import { rekeyFiles } from '../db/rekey.js';
import type { SlotFile } from '../db/keyslots.js';
import { workerScript } from './worker-script.js';
import type { StoreHandle } from './store-handle.js';
import type { RekeyWorkerCommand, RekeyWorkerMessage, RekeyWorkerRequest } from './rekey-worker.js';

export type RekeyJob = MethodOutput<'keys.rekeyStatus'>;
type Result = NonNullable<RekeyJob['result']>;

interface Entry {
  job: RekeyJob;
  startedBy: number;
  worker: Worker | null;
  percent(): number;
}

/** The jobs of one store (one backend): the running one, and those finished since the backend started. */
const registry = new WeakMap<StoreHandle, Map<string, Entry>>();
const jobsOf = (store: StoreHandle) => registry.get(store) ?? registry.set(store, new Map()).get(store)!;

export interface RekeyStart {
  /** Wiped here once the job ends (the store keeps its own copy after the switch). */
  newKey: Buffer;
  /** The new slot file, sealed under the new key. */
  slots: SlotFile;
  /** meta rows for the copy (generation, last change, slot-file version). */
  meta: Record<string, string>;
  startedBy: number;
  /** After the switch, on the request thread under the new key: the result, and the audit entry (must not throw). */
  finished(seconds: number): Omit<Result, 'seconds'>;
  /** Called when the job fails (wipe what it holds). */
  failed(): void;
}

export function runningRekey(store: StoreHandle): RekeyJob | null {
  for (const e of jobsOf(store).values()) if (e.job.state === 'running') return view(e);
  return null;
}

export function rekeyJob(store: StoreHandle, jobId: string, userId: number): RekeyJob {
  const e = jobsOf(store).get(jobId);
  if (!e) throw new ApiFailure('NOT_FOUND', 'No such key change (jobs are forgotten when the app restarts).');
  const v = view(e);
  // The new recovery key is shown to the admin who started the change only.
  if (v.result && userId !== e.startedBy) v.result = { ...v.result, recoveryKey: null };
  return v;
}

function view(e: Entry): RekeyJob {
  const job = { ...e.job };
  if (job.state === 'running') {
    job.percent = Math.floor(e.percent() * 10) / 10;
    job.seconds = (Date.now() - Date.parse(job.startedAt)) / 1000;
  }
  return job;
}

/** Stops a running change (the backend closes): its worker goes, the copy is thrown away at the next open. */
export async function stopRekey(store: StoreHandle): Promise<void> {
  const running = [...jobsOf(store).values()].filter((e) => e.job.state === 'running' && e.worker);
  await Promise.all(running.map((e) => e.worker!.terminate()));
}

export function startRekey(store: StoreHandle, s: RekeyStart): string {
  if (runningRekey(store)) throw new ApiFailure('BUSY', 'The master key is already being changed.', { retryAfterSeconds: 10 });
  const jobId = randomBytes(12).toString('base64url');
  const started = Date.now();
  const job: RekeyJob = { jobId, state: 'running', phase: 'starting', percent: 0, copiedBytes: 0, totalBytes: 0, startedAt: new Date(started).toISOString(), seconds: 0, result: null, error: null };
  const copyFile = rekeyFiles(store.files).db;
  let phaseAt = started;
  let copyMs = 1;
  const percent = (): number => {
    const t = Date.now() - phaseAt;
    switch (job.phase) {
      case 'copying': {
        let size = 0;
        try {
          size = statSync(copyFile).size;
        } catch {
          /* not there yet */
        }
        job.copiedBytes = Math.min(size, job.totalBytes);
        return 2 + 38 * (job.totalBytes ? job.copiedBytes / job.totalBytes : 0);
      }
      // No progress from inside PRAGMA rekey or integrity_check: estimated from the copy's time (each took
      // about as long as the copy here), never reaching the next phase.
      case 'encrypting':
        return 40 + 40 * Math.min(0.97, t / (copyMs * 1.3));
      case 'checking':
        return 80 + 16 * Math.min(0.97, t / (copyMs * 0.6));
      case 'switching':
        return 97;
      case 'done':
        return 100;
      default:
        return 0;
    }
  };
  // From now on a write that meets a lock is answered at once, saying why: the worker may hold the lock before its
  // "locked" message arrives here.
  store.beginRekeyWrites(percent);
  const req: RekeyWorkerRequest = { files: store.files, oldKey: new Uint8Array(store.masterKey), newKey: new Uint8Array(s.newKey), slots: s.slots, meta: s.meta, nativeBinding: store.nativeBinding };
  const worker = new Worker(workerScript('rekey.mjs', import.meta.url, './rekey-worker-from-source.mjs'), { execArgv: [], workerData: req });
  req.oldKey.fill(0); // the worker has its copies
  req.newKey.fill(0);
  const entry: Entry = { job, startedBy: s.startedBy, worker, percent };
  jobsOf(store).set(jobId, entry);

  let copiedAt = 0;
  let writesHeld = true;
  let paused = false;
  const end = (error: { code: string; message: string } | null, result: Result | null) => {
    if (job.state !== 'running') return;
    job.percent = Math.floor(percent() * 10) / 10; // where it stopped (a failed job keeps it)
    if (writesHeld) store.endRekeyWrites();
    writesHeld = false;
    if (paused) store.rekeySwitchHooks.resume();
    paused = false;
    job.state = error ? 'failed' : 'done';
    job.error = error;
    job.result = result;
    job.seconds = (Date.now() - started) / 1000;
    if (!error) {
      job.phase = 'done';
      job.percent = 100;
      job.copiedBytes = job.totalBytes;
    } else s.failed();
    s.newKey.fill(0);
    entry.worker = null;
  };
  const send = (c: RekeyWorkerCommand) => worker.postMessage(c);

  worker.on('message', (m: RekeyWorkerMessage) => {
    if (job.state !== 'running') return;
    try {
      onMessage(m);
    } catch (e) {
      // The store was locked or closed under the job: the copy goes, the old key stands.
      send({ type: 'discard' });
      end(e instanceof ApiFailure ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: (e as Error).message }, null);
    }
  });
  const onMessage = (m: RekeyWorkerMessage): void => {
    switch (m.type) {
      case 'locked':
        // Nobody commits while the worker holds the lock: the copy will be the store as it is now.
        job.totalBytes = m.totalBytes;
        copiedAt = store.dataVersion();
        return;
      case 'phase':
        if (m.phase === 'encrypting') {
          copyMs = Math.max(1, Date.now() - phaseAt);
          job.copiedBytes = job.totalBytes;
        }
        job.phase = m.phase;
        phaseAt = Date.now();
        return;
      case 'ready':
        job.phase = 'switching';
        phaseAt = Date.now();
        // Offload workers finish their calls and close their connections (new heavy calls wait), then the lock goes.
        paused = true;
        store.rekeySwitchHooks.pause().then(
          () => {
            if (job.state !== 'running') return;
            try {
              store.freezeWrites(); // see 'released'
            } catch (e) {
              send({ type: 'discard' });
              end({ code: 'UNAUTHENTICATED', message: `The store was locked during the key change: ${(e as Error).message}` }, null);
              return;
            }
            send({ type: 'release' });
          },
          (e: unknown) => {
            send({ type: 'discard' });
            end({ code: 'INTERNAL', message: `The key change could not pause the background workers: ${(e as Error).message}` }, null);
          },
        );
        return;
      case 'released':
        // The lock went in the worker a moment ago. This thread's connection has refused writes since before that
        // (freezeWrites: "released" is a separate event, calls ran in between); other connections' commits are
        // caught by data_version in db/rekey.ts.
        try {
          store.switchRekey(s.newKey, copiedAt);
        } catch (e) {
          end(e instanceof ApiFailure ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: (e as Error).message }, null);
          return;
        }
        store.endRekeyWrites();
        writesHeld = false;
        {
          const seconds = (Date.now() - started) / 1000;
          end(null, { ...s.finished(seconds), seconds });
        }
        return;
      case 'error':
        end({ code: m.code, message: m.message }, null);
        return;
    }
  };
  worker.on('error', (e) => end({ code: 'INTERNAL', message: `The key change failed: ${e.message}` }, null));
  worker.on('exit', (code) => end({ code: 'INTERNAL', message: `The key change stopped (exit ${code}); the old key stands.` }, null));
  return jobId;
}
