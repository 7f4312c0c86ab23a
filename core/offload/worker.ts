// An offload worker (core/offload/pool.ts): its own connection to the store, and the same handlers as the
// request thread. The main thread has already authenticated the caller, checked the permission and parsed
// the input; this builds a Ctx over its own repos and runs the handler, one call at a time. A write that
// meets another connection's write lock waits here (off the request path) and the call is retried whole
// (its transaction rolled back whole), rather than answered BUSY.
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { MethodName } from '../../shared/contract/registry.js';
import { checkpointPassive, openEncrypted } from '../../db/open.js';
import { storeFiles } from '../../db/paths.js';
import { repos as makeRepos } from '../../db/repos/index.js';
import { handlers } from '../handlers.js';
import { appendAudit } from '../audit-entry.js';
import { BUSY_ERROR, isBusy } from '../busy.js';
import { writesInWorker } from './heavy.js';
import { adoptUploadKeys } from '../import/uploads.js';
import type { Ctx, Handler } from '../context.js';
import type { StoreHandle } from '../store-handle.js';
import type { Sessions } from '../sessions.js';
import type { ImportJobs } from '../import/jobs.js';
import type { OffloadAnswer, OffloadCall, OffloadInit, OffloadMessage } from './protocol.js';
import { hostOfCall } from '../serving.js';
import { adoptWritePriority } from '../../db/write-priority.js';
import { auditActor } from '../audit/actor.js';

/** How long one statement waits for another connection's write lock (an import's transaction) before a retry. */
const WORKER_BUSY_MS = 5_000;
/** How long a call keeps retrying before it is answered BUSY after all (a 1M-row import commits within this). */
const RETRY_FOR_MS = 5 * 60_000;

const init = workerData as OffloadInit;
adoptWritePriority(init.writePriority);
const post = (m: OffloadMessage) => parentPort!.postMessage(m);

/** Anything of the main thread's a handler here must not reach: a clear error instead of a wrong answer. */
function mainThreadOnly<T extends object>(what: string, allowed: T): T {
  return new Proxy(allowed, {
    get(target, p) {
      if (p in target) return (target as Record<string | symbol, unknown>)[p];
      if (typeof p === 'symbol' || p === 'then') return undefined;
      throw new Error(`${what}.${p} is on the main thread only; this method must not be in HEAVY_METHODS.`);
    },
  });
}

let repos: ReturnType<typeof makeRepos>;
/** The anchor key the running call was given (system.check on a backend that holds it), else null. */
let callAnchorKey: Buffer | null = null;
let callTampered: string | null = null;
/** Whether the call running now is a heavy writer (heavy.ts: its transactions start IMMEDIATE). */
let writer = false;
try {
  const key = Buffer.from(init.key);
  try {
    // The backend has opened, checked and migrated this store already.
    const db = openEncrypted(init.dbFile, key, { nativeBinding: init.nativeBinding, migrate: false, quickCheck: false, busyTimeoutMs: WORKER_BUSY_MS, cacheMiB: init.cacheMiB });
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn: Parameters<typeof transaction>[0]) => {
      const t = transaction(fn);
      return writer ? t.immediate : t;
    }) as typeof db.transaction;
    repos = makeRepos(db);
  } finally {
    key.fill(0);
    init.key.fill(0);
  }
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'failed', error: e instanceof ApiFailure ? e.toApiError() : { code: 'INTERNAL', message: `The background worker could not open the store: ${(e as Error).message}` } });
  process.exit(1);
}

const store = mainThreadOnly('ctx.store', {
  files: storeFiles(init.storeDir),
  nativeBinding: init.nativeBinding,
  anchorDir: init.anchorDir ?? null,
  get repos() {
    return repos;
  },
  isOpen: () => true,
  // Only the audit anchor's key, and only while a system.check that was given it runs (core/audit/anchor-key.ts).
  privilegedKey: (purpose: string) => (purpose === 'audit-anchor' && callAnchorKey ? Buffer.from(callAnchorKey) : null),
  privilegedTampered: () => callTampered,
  isInitialized: () => true,
  requireInitialized: () => undefined,
}) as unknown as StoreHandle;

function ctxFor(call: OffloadCall): Ctx {
  const now = () => new Date(Date.now() + call.clockOffsetMs);
  const ctx: Ctx = {
    store,
    sessions: mainThreadOnly('ctx.sessions', {}) as unknown as Sessions,
    // What a handler may ask of the main thread's jobs: whether an import runs (as of the call).
    jobs: mainThreadOnly('ctx.jobs', { runningCount: call.importsRunning }) as unknown as ImportJobs,
    host: hostOfCall(init.host, call.client),
    hostLabel: init.hostLabel,
    now,
    testClock: call.testClock,
    user: call.user,
    session: call.session,
    client: call.client,
    serverInfo: init.serverInfo,
    audit(action, entity, entityId, detail = {}, actor = ctx.user) {
      appendAudit(repos, {
        at: now().toISOString(),
        ...auditActor(actor, action),
        host: init.hostLabel,
        action,
        entity,
        entityId: entityId === null ? null : String(entityId),
        detail,
      });
    },
    onSettingsChanged: () => {
      throw new Error('Settings change on the main thread only; this method must not be in HEAVY_METHODS.');
    },
  };
  return ctx;
}

async function run(call: OffloadCall): Promise<OffloadAnswer> {
  const handler = handlers[call.method as MethodName] as Handler<MethodName> | undefined;
  if (!handler) return { type: 'answer', id: call.id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${call.method}` } };
  writer = writesInWorker(call.method);
  callAnchorKey = call.anchorKey ? Buffer.from(call.anchorKey) : null;
  callTampered = call.privilegedTampered ?? null;
  call.anchorKey?.fill(0);
  // The keys of the uploads this call reads, for this call only.
  let forgetUploads = () => {};
  try {
    forgetUploads = adoptUploadKeys(init.storeDir, call.uploadKeys);
    return await attempts(call, handler);
  } finally {
    callAnchorKey?.fill(0);
    callAnchorKey = null;
    forgetUploads();
    // What this call wrote is copied into the database file here, not by the request thread's next commit (its
    // automatic checkpoint is off while a worker writes: core/backend.ts): after a 200k-move assignment that copy
    // took seconds on the thread that answers every user.
    if (writer) {
      try {
        checkpointPassive(repos.db);
      } catch (e) {
        console.error('[agencydesk] checkpoint after a heavy write:', e instanceof Error ? e.message : String(e));
      }
    }
  }
}

async function attempts(call: OffloadCall, handler: Handler<MethodName>): Promise<OffloadAnswer> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const value = await handler(call.input as never, ctxFor(call));
      return { type: 'answer', id: call.id, ok: true, value };
    } catch (e) {
      if (e instanceof ApiFailure) return { type: 'answer', id: call.id, ok: false, error: e.toApiError() };
      if (isBusy(e)) {
        if (Date.now() < deadline) {
          await sleep(Math.min(100 * 2 ** attempt, 2_000));
          continue;
        }
        return { type: 'answer', id: call.id, ok: false, error: { ...BUSY_ERROR } };
      }
      // Inputs are never logged: they may hold personal data.
      console.error(`[agencydesk] ${call.method} failed in an offload worker:`, e instanceof Error ? e.stack : String(e));
      return { type: 'answer', id: call.id, ok: false, error: { code: 'INTERNAL', message: 'Internal error. The details are in the log.' } };
    }
  }
}

parentPort!.on('message', (m: OffloadCall | { type: 'close' }) => {
  if (m.type === 'close') {
    repos.db.close();
    parentPort!.close();
    return;
  }
  void run(m).then((answer) => {
    try {
      post(answer);
    } catch (e) {
      // A result that cannot cross to the main thread (it never should: results are plain data).
      post({ type: 'answer', id: m.id, ok: false, error: { code: 'INTERNAL', message: `The result of ${m.method} could not be passed back: ${(e as Error).message}` } });
    }
  });
});
