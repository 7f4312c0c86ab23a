// The erasure run: a run row first, then the cases in small transactions (each case is erased whole with its
// audit entry, or not at all: a kill between them leaves every case either erased or untouched), then the
// signed certificate, then the WAL truncated. A run a kill interrupted is finished (certificate) by the next.
//
// Off the request thread (issue 16): finding the due cases, scrubbing them and truncating the WAL run in a worker
// with its own connection (erase-worker.ts); this thread only writes the run row and signs the certificate, which
// needs the privileged signing key that no worker is given. Each scrubbing transaction is kept short (see
// erase-worker.ts), so other users' writes get the lock between them.
//
// secure_delete is on for every connection (db/open.ts): freed cells and pages are zeroed before SQLite writes
// them; the WAL is then checkpointed and truncated so no older image of an erased page stays in it.
import { Worker } from 'node:worker_threads';
import type { Ctx } from '../context.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { workerScript } from '../worker-script.js';
import { writeCertificate } from './certificate.js';
import type { EraseAnswer, EraseRequest, EraseWorkerInit } from './erase-protocol.js';
import { writePriorityBuffer } from '../../db/write-priority.js';

function finishRun(ctx: Ctx, runId: number): void {
  const r = ctx.store.repos;
  // A run killed before its first case has nothing to certify: closed without a certificate.
  if (r.privacy.erasedIn(runId).length === 0) {
    r.db.transaction(() => {
      r.privacy.closeEmptyRun(runId, ctx.now().toISOString());
      ctx.audit('privacy.certificate', 'erasure_run', runId, { cases: 0, path: null });
    })();
    return;
  }
  const cert = writeCertificate(ctx, runId);
  r.db.transaction(() => {
    r.privacy.finishRun(runId, ctx.now().toISOString(), cert.cases, cert.path, cert.fingerprint, cert.manifestSha256);
    ctx.audit('privacy.certificate', 'erasure_run', runId, { cases: cert.cases, path: cert.path, fingerprint: cert.fingerprint, manifestSha256: cert.manifestSha256 });
  })();
}

/** Runs a kill interrupted: their erased cases get their certificate now. */
export function finishInterruptedRuns(ctx: Ctx): number[] {
  const ids = ctx.store.repos.privacy.unfinishedRuns().map((x) => x.id);
  for (const id of ids) finishRun(ctx, id);
  return ids;
}

/** One erasure worker for one run: requests answered in order. */
class EraseJob {
  private readonly worker: Worker;
  private waiting: { resolve(a: EraseAnswer): void; reject(e: unknown): void } | null = null;
  private dead: ApiFailure | null = null;

  constructor(ctx: Ctx) {
    const init: EraseWorkerInit = { dbFile: ctx.store.files.db, key: new Uint8Array(ctx.store.masterKey), nativeBinding: ctx.store.nativeBinding };
    this.worker = new Worker(workerScript('erase.mjs', import.meta.url, './erase-worker-from-source.mjs'), { execArgv: [], workerData: { ...init, writePriority: writePriorityBuffer() } });
    init.key.fill(0);
    this.worker.on('message', (m: EraseAnswer) => {
      if (m.type === 'progress') return;
      const w = this.waiting;
      this.waiting = null;
      if (m.type === 'error') w?.reject(new ApiFailure(m.code, m.message));
      else w?.resolve(m);
    });
    const died = (why: string) => {
      this.dead = new ApiFailure('INTERNAL', `The erasure worker stopped unexpectedly (${why}); every case it finished is erased, the others are untouched, and the next erasure certifies them. Try again.`);
      this.waiting?.reject(this.dead);
      this.waiting = null;
    };
    this.worker.on('error', (e) => died(e.message));
    this.worker.on('exit', (code) => died(`exit ${code}`));
  }

  ask<T extends EraseAnswer['type']>(req: EraseRequest, want: T): Promise<Extract<EraseAnswer, { type: T }>> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<EraseAnswer>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(req);
    }).then((a) => {
      if (a.type !== want) throw new ApiFailure('INTERNAL', `The erasure worker answered ${a.type} to ${req.type}.`);
      return a as Extract<EraseAnswer, { type: T }>;
    });
  }

  close(): void {
    this.worker.removeAllListeners('exit');
    this.worker.postMessage({ type: 'close' });
  }
}

type Db = Ctx['store']['repos']['db'];
const immediateDepth = new WeakMap<Db, { depth: number; original: Db['transaction'] }>();

/**
 * While the worker scrubs, this thread's transactions begin IMMEDIATE: one begun DEFERRED reads first, then finds
 * that a chunk committed meanwhile (SQLITE_BUSY_SNAPSHOT) and has to start again; begun IMMEDIATE it meets the
 * chunk's lock before doing anything, and the backend tries it again a few ms later (core/backend.ts dispatch),
 * after the chunk (≤ ~60 ms). Restored after.
 */
async function immediateWhile<T>(db: Db, work: Promise<T>): Promise<T> {
  let e = immediateDepth.get(db);
  if (!e) {
    const original = db.transaction;
    e = { depth: 0, original };
    immediateDepth.set(db, e);
    db.transaction = ((fn: Parameters<Db['transaction']>[0]) => original.call(db, fn).immediate) as Db['transaction'];
  }
  e.depth++;
  try {
    return await work;
  } finally {
    if (--e.depth === 0) {
      db.transaction = e.original;
      immediateDepth.delete(db);
    }
  }
}

/** Erasures running per store connection: a master-key change waits for them (its switch needs the file alone). */
const runningErasures = new WeakMap<Db, number>();
export function erasureRunning(db: Db): boolean {
  return (runningErasures.get(db) ?? 0) > 0;
}

/** What privacy.erase does once the lender exists and interrupted runs are certified. */
export async function runErasure(
  ctx: Ctx,
  lenderId: number,
  caseIds: number[] | null,
): Promise<{ runId: number; erased: number; vacuumMs: number; freedPages: number; reclaimed: boolean }> {
  const r = ctx.store.repos;
  const job = new EraseJob(ctx);
  runningErasures.set(r.db, (runningErasures.get(r.db) ?? 0) + 1);
  try {
    const { ids } = await job.ask({ type: 'plan', lenderId, caseIds, nowIso: ctx.now().toISOString() }, 'planned');
    const runId = r.db.transaction(() => {
      const id = r.privacy.addRun(lenderId, ctx.now().toISOString(), ctx.user!.id);
      ctx.audit('privacy.eraseStarted', 'lender', lenderId, { runId: id, cases: ids.length });
      return id;
    })();
    const user = ctx.user!;
    const { erased } = await immediateWhile(
      r.db,
      job.ask({ type: 'erase', runId, ids, actor: { id: user.id, username: user.username }, host: ctx.hostLabel, clockOffsetMs: ctx.now().getTime() - Date.now() }, 'erased'),
    );
    // Signing needs the privileged key: here, a few milliseconds (the list of case numbers and one signature).
    finishRun(ctx, runId);
    const t0 = performance.now();
    const rec = await job.ask({ type: 'reclaim' }, 'reclaimed');
    return { runId, erased, vacuumMs: Math.round(performance.now() - t0), freedPages: rec.freedPages, reclaimed: rec.reclaimed };
  } finally {
    runningErasures.set(r.db, (runningErasures.get(r.db) ?? 1) - 1);
    job.close();
  }
}
