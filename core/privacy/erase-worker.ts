// The erasure worker (erase.ts): its own connection to the store, the due cases found, the cases scrubbed and the
// WAL truncated here, never on the thread that answers every user's calls. It holds no privileged key: the
// request thread signs the certificate between 'erase' and 'reclaim'.
//
// Each transaction erases cases until CHUNK_MS has passed (at most CHUNK_CASES), then the worker pauses PAUSE_MS:
// a collector's write that meets a chunk is tried again by the backend a few ms later (core/backend.ts dispatch),
// so it waits at most one short chunk and gets the lock in the pause, instead of BUSY for the whole run.
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiFailure } from '../../shared/contract/failure.js';
import { openEncrypted } from '../../db/open.js';
import { repos as makeRepos } from '../../db/repos/index.js';
import { reclaimSpace } from '../../db/reclaim.js';
import { isBusy } from '../busy.js';
import { dueCasesAt } from './due.js';
import { eraseChunk } from './scrub.js';
import type { EraseAnswer, EraseRequest, EraseWorkerInit } from './erase-protocol.js';
import { adoptWritePriority, interactiveWaiters } from '../../db/write-priority.js';

const CHUNK_MS = 60;
const CHUNK_CASES = 100;
const PAUSE_MS = 15;
/** How long one statement waits for another connection's write lock (an import's transaction) before a retry. */
const WORKER_BUSY_MS = 5_000;

const init = workerData as EraseWorkerInit;
adoptWritePriority(init.writePriority);
const post = (m: EraseAnswer) => parentPort!.postMessage(m);

const key = Buffer.from(init.key);
let r: ReturnType<typeof makeRepos>;
try {
  const db = openEncrypted(init.dbFile, key, { nativeBinding: init.nativeBinding, migrate: false, quickCheck: false, busyTimeoutMs: WORKER_BUSY_MS });
  // Writes take the lock first (IMMEDIATE): begun DEFERRED, a chunk would read and then lose its upgrade to
  // the request thread's short writes (SQLITE_BUSY_SNAPSHOT).
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<typeof transaction>[0]) => transaction(fn).immediate) as typeof db.transaction;
  r = makeRepos(db);
} finally {
  key.fill(0);
  init.key.fill(0);
}

function plan(req: Extract<EraseRequest, { type: 'plan' }>): number[] {
  const dueIds = new Set(dueCasesAt(r, req.lenderId, new Date(req.nowIso)).map((c) => c.id));
  const ids = req.caseIds ? [...new Set(req.caseIds)] : [...dueIds];
  const notDue = ids.filter((id) => !dueIds.has(id));
  if (notDue.length) throw new ApiFailure('BAD_INPUT', `Not due for erasure (open, not this lender's, already erased, or within retention): case ids ${notDue.slice(0, 20).join(', ')}${notDue.length > 20 ? ' …' : ''}.`);
  if (!ids.length) throw new ApiFailure('CONFLICT', 'No case of this lender is due for erasure.');
  return ids;
}

async function erase(req: Extract<EraseRequest, { type: 'erase' }>): Promise<number> {
  let erased = 0;
  let i = 0;
  while (i < req.ids.length) {
    const chunk = req.ids.slice(i, i + CHUNK_CASES);
    let out: { done: number; erased: number };
    try {
      out = eraseChunk(r, req.runId, chunk, new Date(Date.now() + req.clockOffsetMs).toISOString(), req.actor, req.host, CHUNK_MS);
    } catch (e) {
      if (!isBusy(e)) throw e;
      await sleep(100); // another writer held the lock past the busy timeout (an import's commit): the chunk again
      continue;
    }
    erased += out.erased;
    i += out.done;
    post({ type: 'progress', erased });
    await sleep(PAUSE_MS);
    // A user's write waiting for the lock goes first (db/write-priority.ts), for at most a second.
    for (const until = performance.now() + 1_000; interactiveWaiters() > 0 && performance.now() < until; ) await sleep(5);
  }
  r.privacy.scrubFinishedGroups();
  return erased;
}

parentPort!.on('message', (m: EraseRequest | { type: 'close' }) => {
  if (m.type === 'close') {
    r.db.close();
    parentPort!.close();
    return;
  }
  void (async () => {
    try {
      if (m.type === 'plan') post({ type: 'planned', ids: plan(m) });
      else if (m.type === 'erase') post({ type: 'erased', erased: await erase(m) });
      else {
        const t = reclaimSpace(r.db);
        post({ type: 'reclaimed', vacuumMs: 0, freedPages: t.freedPages, reclaimed: t.reclaimed });
      }
    } catch (e) {
      if (e instanceof ApiFailure) post({ type: 'error', code: e.code, message: e.message });
      else {
        console.error('[agencydesk] erasure worker:', e instanceof Error ? e.stack : String(e));
        post({ type: 'error', code: 'INTERNAL', message: 'Internal error in the erasure worker. The details are in the log.' });
      }
    }
  })();
});
