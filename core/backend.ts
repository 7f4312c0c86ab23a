// The backend every host runs: one store folder, sessions, and dispatch(method, input) → envelope.
// Permission checks happen here, for every method, whatever the host.
import os from 'node:os';
import path from 'node:path';
import { contract, isMethodName, type MethodName } from '../shared/contract/registry.js';
import { parseCall } from '../shared/contract/validate.js';
import { BACKGROUND_METHODS } from '../shared/contract/background.js';
import type { Envelope } from '../shared/contract/envelope.js';
import { ApiFailure } from '../shared/contract/failure.js';
import type { HostKind, User } from '../shared/contract/models.js';
import { can } from '../shared/domain/roles.js';
import { rekeyBusy, StoreHandle } from './store-handle.js';
import { runningRekey, stopRekey } from './rekey-job.js';
import { erasureRunning } from './privacy/erase.js';
import { Sessions } from './sessions.js';
import { ImportJobs } from './import/jobs.js';
import { exportUploadKeys, newUpload, uploadIdsIn, sweepUploads, UPLOAD_IDLE_MS, type UploadTarget } from './import/uploads.js';
import { sweepSpooledSheets } from './import/temp-sweep.js';
import { sweepPartialPackages } from './reports/staging.js';
import { handlers } from './handlers.js';
import { asUserCtx, runDueSchedules } from './services/report-schedules.js';
import { backupIdle, runDueBackup } from './services/backup.js';
import type { Ctx, Handler } from './context.js';
import { idleLockMinutes } from './services/session-info.js';
import { TEST_CLOCK_HOSTS, type TestClock } from './test-clock.js';
import { appendAudit } from './audit-entry.js';
import { advanceAnchor, anchorOnOpen } from './audit/anchor.js';
import { finishInterruptedAssignments } from './assignment/apply.js';
import { moveViews, openViewJournal, viewsWaiting } from './privacy/view-journal.js';
import { anchorKey as anchorKeyOf } from './audit/anchor-key.js';
import { BUSY_ERROR, isBusy, LOCK_QUEUE_MS, LOCKED, retryWhileLocked, untilUnlocked } from './busy.js';
import { isHeavy, isReader, writesInWorker } from './offload/heavy.js';
import { SERVER_POOL_SIZE, OffloadPool } from './offload/pool.js';
import { hostOfCall, type TeamServing } from './serving.js';
import { setAutoCheckpoint } from '../db/open.js';
import { auditActor } from './audit/actor.js';

export interface BackendOptions {
  storeDir: string;
  host: HostKind;
  /** Path to better_sqlite3.node built for the running ABI (Electron). */
  nativeBinding?: string | undefined;
  /** Injectable clock, for tests of lockouts and idle locks. */
  now?: () => Date;
  /** A clock starting at a set time (web host and tests only; never Electron or the CLI). */
  testClock?: TestClock;
  /** The team server's address and certificate fingerprint, for the admins' sessions screen. */
  serverInfo?: { url: string; fingerprint: string };
  /** The desktop app's backend process: the team server's listener over this backend (serve.*). */
  serving?: TeamServing;
  /** How often idle sessions are swept (ms); 0 disables the timer. */
  sweepEveryMs?: number;
  /**
   * Worker threads for the heavy methods (core/offload/heavy.ts); 0 runs them on the request thread. Default:
   * AGENCYDESK_HEAVY_WORKERS, else on the team server 1–2 by the number of cores, on the desktop 1, elsewhere 0.
   */
  heavyWorkers?: number;
  /**
   * Worker threads for collectors' own reads (READER_METHODS in core/offload/heavy.ts); 0 answers them on the
   * request thread. Default: AGENCYDESK_READER_WORKERS, else 2 on the team server, 0 elsewhere.
   */
  readerWorkers?: number;
  /**
   * A folder outside the store where a copy of the audit anchor is kept (core/audit/anchor-outside.ts): the
   * desktop passes its per-user app data folder; the CLI and the team server take AGENCYDESK_ANCHOR_DIR.
   */
  anchorDir?: string | null | undefined;
}

export { LOCK_QUEUE_MS } from './busy.js';

/** Calls that start writers with connections of their own: refused while the master key changes. */
const REFUSED_DURING_REKEY = (method: MethodName): boolean => writesInWorker(method) || ['import.start', 'backup.run', 'reports.export', 'reportSchedules.runDue', 'privacy.erase'].includes(method);

/** The anchor key as bytes for an offload worker's system.check (null when this backend does not hold it). */
function anchorKeyBytes(store: StoreHandle): Uint8Array | null {
  const k = anchorKeyOf(store);
  if (!k) return null;
  const bytes = new Uint8Array(k);
  k.fill(0);
  return bytes;
}

/**
 * A reader's page cache. SQLite empties a connection's cache whenever another connection commits, which on a busy
 * server is every few hundred ms, so a reader keeps little between calls: enough for one call's pages.
 */
const READER_CACHE_MIB = 128;

/** Readers on the team server: two, so one collector's Today never waits for another's (the cores were not all busy). */
const SERVER_READERS = 2;

function readerPoolSize(opts: BackendOptions): number {
  if (opts.readerWorkers !== undefined) return opts.readerWorkers;
  const env = process.env.AGENCYDESK_READER_WORKERS;
  if (env !== undefined && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0) return Number(env);
  return opts.host === 'server' ? SERVER_READERS : 0;
}

function poolSize(opts: BackendOptions): number {
  if (opts.heavyWorkers !== undefined) return opts.heavyWorkers;
  const env = process.env.AGENCYDESK_HEAVY_WORKERS;
  if (env !== undefined && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0) return Number(env);
  // The desktop backend serves one person, but their dashboard or assignment must not freeze their own next
  // call: one worker. The loopback web host (one user, and the e2e tests) keeps everything on its thread.
  if (opts.host === 'desktop') return 1;
  return opts.host === 'server' ? SERVER_POOL_SIZE : 0;
}

export interface DispatchMeta {
  session?: string | undefined;
  /** The caller's address (team server), kept with the session and in the audit detail of logins. */
  client?: string | undefined;
}

/** Refused attempts of one username from one address for one reason (server/login-guard.ts). */
export interface RefusedLogins {
  address: string;
  username: string;
  reason: string;
  count: number;
  firstAt: string;
  lastAt: string;
}

export interface Backend {
  dispatch(method: string, input: unknown, meta?: DispatchMeta): Promise<Envelope<unknown>>;
  /**
   * The team server keeps the store open once an administrator unlocked it, whoever is logged in (the
   * desktop and web hosts lock it when the last session ends). `false` lets it lock again, at once when no
   * session is left.
   */
  holdStoreOpen(on: boolean): void;
  /** The live sessions (team server: who is connected). */
  readonly sessions: Sessions;
  /** The heavy methods' worker pool (core/offload/), null when they run on the request thread. */
  readonly offload: OffloadPool | null;
  /** The collectors' reads' worker pool (READER_METHODS), null when they run on the request thread. */
  readonly readers: OffloadPool | null;
  /** For the web host's upload endpoint: a place to write a file, if the session may import. */
  newUpload(session: string | undefined): UploadTarget & { userId: number };
  /** Locks the store, releases the store lock file. */
  close(): void;
  /**
   * Graceful close (the team server on SIGTERM): no new sweeps, running imports cancelled (their transactions
   * roll back) and their workers gone, a running backup finished, the WAL checkpointed into the main file,
   * then close().
   */
  shutdown(): Promise<void>;
  /** Cancels running imports (their transactions roll back); shutdown() does it too, after the host's last call. */
  stopJobs(): Promise<void>;
  /**
   * Logins a host refused before any key derivation (the team server's login guard), into the audit log as
   * `auth.refused`, one entry per address, username and reason. false while the store is locked: nothing written.
   */
  recordRefusedLogins(refusals: readonly RefusedLogins[]): Promise<boolean>;
  readonly storeDir: string;
}

/** Creates a backend on a store folder; throws ApiFailure('STORE_BUSY') if another process has it. */
export function createBackend(opts: BackendOptions): Backend {
  if (opts.testClock && !TEST_CLOCK_HOSTS.includes(opts.host)) throw new Error(`A test clock is for the web host only, not the ${opts.host} host.`);
  // Every audit entry names its host: one on a test clock says so.
  const hostLabel = `${opts.host}@${os.hostname()}${opts.testClock ? ' (test clock)' : ''}`;
  const store = new StoreHandle(opts.storeDir, hostLabel, opts.nativeBinding);
  store.anchorDir = opts.anchorDir ? path.resolve(opts.anchorDir) : null;
  const sessions = new Sessions();
  const jobs = new ImportJobs();
  const size = poolSize(opts);
  const offload =
    size > 0
      ? new OffloadPool(size, () => ({ storeDir: opts.storeDir, dbFile: store.files.db, key: new Uint8Array(store.masterKey), nativeBinding: opts.nativeBinding, host: opts.host, hostLabel, serverInfo: opts.serverInfo ?? null, anchorDir: store.anchorDir }))
      : null;
  // Collectors' own reads on the team server (READER_METHODS), with a page cache as large as the request thread's.
  const readerSize = readerPoolSize(opts);
  const readers =
    readerSize > 0
      ? new OffloadPool(readerSize, () => ({ storeDir: opts.storeDir, dbFile: store.files.db, key: new Uint8Array(store.masterKey), nativeBinding: opts.nativeBinding, host: opts.host, hostLabel, serverInfo: opts.serverInfo ?? null, anchorDir: store.anchorDir, cacheMiB: READER_CACHE_MIB }))
      : null;
  // Its workers hold the key: once the store locks, they go.
  const stopOffloadIfLocked = () => {
    if (offload && !store.isOpen()) void offload.stop();
    if (readers && !store.isOpen()) void readers.stop();
  };
  // An import (and its worker writing search rows after it is done), a heavy call or an erasure holds its own
  // connection and key: the store stays unlocked until it ends.
  store.setBusyCheck(
    () => jobs.runningCount > 0 || jobs.workersAlive > 0 || (offload?.busy ?? 0) > 0 || (readers?.busy ?? 0) > 0 || runningRekey(store) !== null || (store.isOpen() && erasureRunning(store.repos.db)),
  );
  /** Views journaled while the lock was taken (core/privacy/view-journal.ts) into the audit log, once it is free. */
  const moveWaitingViews = () => {
    if (!store.isOpen() || !viewsWaiting(store)) return;
    try {
      moveViews(store, hostLabel);
    } catch (e) {
      console.error('[agencydesk] moving journaled views into the audit log:', e instanceof Error ? e.message : String(e));
    }
  };
  // The audit anchor (core/audit/anchor.ts): compared when the store opens, advanced after every call, on the
  // sweeper's tick (entries workers committed) and before the store closes.
  // An assignment a killed process was writing in chunks is finished when the store opens (core/assignment/apply.ts).
  store.watch({
    opened: () => {
      anchorOnOpen(store, hostLabel);
      finishInterruptedAssignments(store.repos, hostLabel, now);
      try {
        openViewJournal(store, hostLabel);
      } catch (e) {
        // Without a journal a view waits for the lock like any write: nothing is lost, logins still work.
        console.error('[agencydesk] the view journal could not be opened:', e instanceof Error ? e.message : String(e));
      }
    },
    closing: () => {
      moveWaitingViews();
      advanceAnchor(store, { durable: true });
    },
  });
  // A master-key change (core/rekey-job.ts) switches files: offload workers finish their calls and close their
  // connections first (heavy calls arriving meanwhile wait), then start again under the new key.
  store.onRekeySwitch({
    pause: async () => {
      await Promise.all([offload?.pause(), readers?.pause()]);
    },
    resume: () => {
      offload?.resume();
      readers?.resume();
    },
  });
  sweepUploads(opts.storeDir);
  // Plain-text worksheets older versions spooled to the temp folder, left by a crash: gone at start.
  for (const f of sweepSpooledSheets()) console.error(`[agencydesk] removed a worksheet left in the temp folder by an earlier crash: ${f}`);
  // Report packages a killed export left half-written in the store's exports folder (others: at the next export there).
  sweepPartialPackages(path.join(opts.storeDir, 'exports'));
  const now = opts.now ?? opts.testClock?.now ?? (() => new Date());
  const testClock = opts.testClock ? { startedAt: opts.testClock.startedAt, realStartedAt: opts.testClock.realStartedAt } : null;
  let idleMs = 0;
  const refreshIdle = () => {
    idleMs = store.isOpen() ? idleLockMinutes(baseCtx(null, null)) * 60_000 : 0;
  };

  /** While the desktop serves its store, the admins' sessions screen shows its address and fingerprint. */
  const servingInfo = () => {
    const st = opts.serving?.state();
    return st ? { url: st.urls[0] ?? '', fingerprint: st.fingerprint } : null;
  };

  function baseCtx(user: User | null, session: string | null, client = ''): Ctx {
    const ctx: Ctx = {
      store,
      sessions,
      jobs,
      host: hostOfCall(opts.host, client),
      hostLabel,
      now,
      testClock,
      user,
      session,
      client,
      serverInfo: servingInfo() ?? opts.serverInfo ?? null,
      serving: opts.serving ?? null,
      audit(action, entity, entityId, detail = {}, actor = ctx.user) {
        appendAudit(store.repos, {
          at: now().toISOString(),
          ...auditActor(actor, action),
          host: hostLabel,
          action,
          entity,
          entityId: entityId === null ? null : String(entityId),
          detail,
        });
      },
      onSettingsChanged: refreshIdle,
    };
    return ctx;
  }

  function authenticate(token: string | undefined, method = ''): { user: User; token: string } {
    if (!token || !store.isOpen()) throw new ApiFailure('UNAUTHENTICATED', 'Please log in.');
    if (!idleMs) refreshIdle();
    const userId = sessions.resolve(token, now().getTime(), idleMs, !BACKGROUND_METHODS.has(method as MethodName));
    if (userId === 'expired') {
      if (sessions.size === 0) store.lockStore();
      throw new ApiFailure('SESSION_EXPIRED', 'Locked after inactivity: log in again.');
    }
    if (userId === null) throw new ApiFailure('UNAUTHENTICATED', 'Please log in.');
    const user = store.repos.users.byId(userId);
    if (!user || user.status !== 'active') {
      sessions.delete(token);
      throw new ApiFailure('UNAUTHENTICATED', 'Your account is disabled.');
    }
    return { user, token };
  }

  /**
   * A call whose transaction met another connection's write lock (a worker's chunk, an import's load) is kept
   * here and sent again, with timers, never by blocking this thread (the request connection's busy timeout is
   * 0): other users' calls go on being answered meanwhile. Only after LOCK_QUEUE_MS is it answered BUSY with a
   * retry-after, which clients retry. Each try's transaction rolled back whole, so a retry is the same call
   * again, as a client's retry would be.
   */
  async function dispatch(method: string, raw: unknown, meta: DispatchMeta = {}): Promise<Envelope<unknown>> {
    const env = await untilUnlocked(() => dispatchOnce(method, raw, meta), LOCK_QUEUE_MS);
    return env === LOCKED ? { ok: false, error: { ...BUSY_ERROR } } : env;
  }

  /**
   * While a worker writes (an import and then its search rows, a heavy call, an erasure), the request connection
   * does not checkpoint at its commits: SQLite's automatic checkpoint would copy the worker's pages into the file
   * on the thread that answers every user (2.5 s for a write after a 240 MB WAL on a quiet machine). Each of those
   * writers checkpoints on its own thread when it is done; then the request connection's own goes on again.
   */
  const autoCheckpointOn = new WeakMap<object, boolean>();
  function syncAutoCheckpoint(): void {
    if (!store.isOpen()) return;
    const db = store.repos.db;
    const on = !(jobs.workersAlive > 0 || (offload?.busy ?? 0) > 0 || erasureRunning(db));
    if ((autoCheckpointOn.get(db) ?? true) !== on) {
      setAutoCheckpoint(db, on);
      autoCheckpointOn.set(db, on);
    }
  }

  async function dispatchOnce(method: string, raw: unknown, meta: DispatchMeta): Promise<Envelope<unknown> | typeof LOCKED> {
    syncAutoCheckpoint();
    try {
      // Who may call comes before what they sent: an unauthorised caller learns nothing about the input.
      if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${method}` } };
      const spec = contract[method];
      let ctx: Ctx;
      if (spec.access === 'public') ctx = baseCtx(null, null, meta.client ?? '');
      else {
        const { user, token } = authenticate(meta.session, method);
        if (spec.access !== 'session' && !can(user.role, spec.access)) {
          throw new ApiFailure('FORBIDDEN', `Your role (${user.role}) may not do this (${method} needs ${spec.access}).`);
        }
        ctx = baseCtx(user, token, meta.client ?? '');
      }
      const parsed = parseCall(method, raw);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      // While the master key changes, writes are answered BUSY: jobs that would write with connections of
      // their own (heavy writers, imports, exports, backups) are not started at all.
      if (REFUSED_DURING_REKEY(parsed.method) && store.isOpen()) {
        const rk = runningRekey(store);
        if (rk) throw rekeyBusy(rk.percent);
      }
      const handler = handlers[parsed.method] as Handler<MethodName>;
      // Heavy methods run in a worker with its own connection, so this thread goes on answering others.
      // Heavy methods, and on the team server collectors' reads, run in a worker with its own connection.
      const pool = !ctx.user ? null : offload && isHeavy(parsed.method) ? offload : readers && isReader(parsed.method) ? readers : null;
      const result =
        pool && ctx.user
          ? await pool.run(parsed.method, parsed.input, {
              user: ctx.user,
              session: ctx.session,
              client: ctx.client,
              clockOffsetMs: now().getTime() - Date.now(),
              testClock,
              importsRunning: jobs.runningCount,
              // The anchor's MAC is checked there too (the worker's store cannot derive the privileged key).
              anchorKey: parsed.method === 'system.check' ? anchorKeyBytes(store) : null,
              privilegedTampered: parsed.method === 'system.check' ? store.privilegedTampered() : null,
              // The keys of the uploads it reads (repayment and recall files): copies, wiped once posted.
              uploadKeys: exportUploadKeys(opts.storeDir, uploadIdsIn(parsed.input)),
            })
          : await handler(parsed.input as never, ctx);
      if (parsed.method === 'auth.login' || parsed.method === 'system.setup' || parsed.method === 'auth.recover') refreshIdle();
      // Parsing the output strips anything the contract does not promise (no secret leaks by accident).
      const out = spec.output.safeParse(result);
      if (!out.success) {
        console.error(`[agencydesk] ${parsed.method} returned output outside its contract`, out.error.issues);
        return { ok: false, error: { code: 'INTERNAL', message: 'Internal error: the result did not match the contract.' } };
      }
      return { ok: true, value: out.data };
    } catch (e) {
      if (e instanceof ApiFailure) return { ok: false, error: e.toApiError() };
      // A long writer (an import, an export's record) holds the write lock: this call's transaction rolled
      // back whole, so nothing of it is written; the client retries after the pause.
      // During a master-key change the request connection refuses writes (BUSY, or READONLY right before the switch).
      const pct = store.isOpen() ? store.rekeyPercent() : null;
      if (isBusy(e) || (pct !== null && (e as { code?: unknown }).code === 'SQLITE_READONLY')) {
        return pct === null ? LOCKED : { ok: false, error: rekeyBusy(pct).toApiError() };
      }
      // Inputs are never logged: they may hold passwords or personal data.
      console.error(`[agencydesk] ${method} failed:`, e instanceof Error ? e.stack : String(e));
      return { ok: false, error: { code: 'INTERNAL', message: 'Internal error. The details are in the log.' } };
    } finally {
      syncAutoCheckpoint();
      moveWaitingViews();
      if (store.isOpen()) advanceAnchor(store);
      stopOffloadIfLocked(); // a logout, an expired session or a disabled user may have locked the store
    }
  }

  const sweeper =
    opts.sweepEveryMs === 0
      ? null
      : setInterval(() => {
          if (store.isOpen() && idleMs && sessions.sweep(now().getTime(), idleMs) === 0) store.lockStore();
          stopOffloadIfLocked();
          syncAutoCheckpoint();
          moveWaitingViews();
          if (store.isOpen()) advanceAnchor(store);
          // Uploads hold personal data (sealed, but still): none outlives its use (never under a running import).
          if (jobs.runningCount === 0) sweepUploads(opts.storeDir, store.isOpen() ? UPLOAD_IDLE_MS : 0);
          // Saved report schedules run while the store is open (someone is logged in) on the app's hosts.
          if (store.isOpen() && !runningRekey(store) && (opts.host === 'desktop' || opts.host === 'web' || opts.host === 'server')) {
            const ctx = baseCtx(null, null);
            runDueSchedules(ctx, (id) => asUserCtx(ctx, id)).catch((e: unknown) => console.error('[agencydesk] report schedules:', e instanceof Error ? e.message : String(e)));
            // A due scheduled backup starts in its own worker thread; the sweeper does not wait for it.
            runDueBackup(ctx);
          }
        }, opts.sweepEveryMs ?? 30_000);
  sweeper?.unref();

  return {
    dispatch,
    sessions,
    offload,
    readers,
    holdStoreOpen(on) {
      if (on) return sessions.hold();
      sessions.release();
      // Released with nobody logged in (the desktop stopped serving after its user logged out): lock now, not at
      // the next sweep. Expired sessions the sweep has not reached yet do not count.
      if (!store.isOpen()) return;
      if (!idleMs) refreshIdle();
      if (sessions.sweep(now().getTime(), idleMs) === 0) store.lockStore();
      stopOffloadIfLocked();
    },
    storeDir: opts.storeDir,
    newUpload(session) {
      const { user } = authenticate(session);
      // Placement files (import.run) and case files — proofs, recordings — that whoever works cases attaches.
      if (!can(user.role, 'import.run') && !can(user.role, 'cases.work')) throw new ApiFailure('FORBIDDEN', `Your role (${user.role}) may not upload files.`);
      return { ...newUpload(opts.storeDir), userId: user.id };
    },
    stopJobs: () => jobs.stopAll(),
    async recordRefusedLogins(refusals) {
      if (!refusals.length) return true;
      if (!store.isOpen()) return false;
      const ctx = baseCtx(null, null);
      const write = store.repos.db.transaction(() => {
        for (const r of refusals) {
          ctx.audit('auth.refused', 'user', r.username, { address: r.address, reason: r.reason, attempts: r.count, firstAt: r.firstAt, lastAt: r.lastAt }, null);
        }
      });
      // Like a user's write: queued on timers while another connection holds the lock, never a sleep here.
      await retryWhileLocked(() => write.immediate(), LOCK_QUEUE_MS);
      advanceAnchor(store);
      return true;
    },
    async shutdown() {
      if (sweeper) clearInterval(sweeper);
      await stopRekey(store); // its copy is thrown away at the next open; the old key stands
      await jobs.stopAll();
      await backupIdle();
      await offload?.stop();
      await readers?.stop();
      if (store.isOpen()) store.repos.db.pragma('wal_checkpoint(TRUNCATE)');
      this.close();
    },
    close() {
      if (sweeper) clearInterval(sweeper);
      void stopRekey(store);
      void offload?.stop();
      void readers?.stop();
      void jobs.stopAll();
      sessions.clear();
      store.close();
      sweepUploads(opts.storeDir);
    },
  };
}
