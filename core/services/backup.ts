// Backups through the API and on the sweeper's schedule. The copy runs in a worker thread (core/backup-worker.ts)
// with its own connection: VACUUM INTO reads a snapshot while users keep working. Settings and the last run are
// kept in the store's settings table.
import { Worker } from 'node:worker_threads';
import { readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ErrorCode } from '../../shared/contract/envelope.js';
import { APP_VERSION } from '../../shared/version.js';
import { BACKUP_STALE_MS, DEFAULT_ROTATION, riskyPath, rotate } from '../../shared/domain/backup-rotation.js';
import type { BackupSettings } from '../../shared/contract/backup.js';
import { backupTime, type BackupManifest, type BackupResult } from '../../db/backup.js';
import { workerScript } from '../worker-script.js';
import type { BackupWorkerRequest, RestoreWorkerRequest } from '../backup-worker.js';
import { freeBytes, requireFreeSpace } from '../disk-space.js';
import type { Ctx, Handler } from '../context.js';
import { anchorBackupFolder } from '../audit/anchor.js';

const SETTINGS = 'backup.settings';
const LAST_RUN = 'backup.lastRun';
const LAST_GOOD = 'backup.lastGood';
export const DEFAULT_BACKUP: BackupSettings = { folder: null, everyHours: 24, keepDaily: DEFAULT_ROTATION.daily, keepWeekly: DEFAULT_ROTATION.weekly };

interface RunRecord {
  at: string;
  ok: boolean;
  file: string | null;
  bytes: number | null;
  seconds: number;
  error: string | null;
  scheduled: boolean;
}

/** One backup at a time per process (a scheduled one and an admin's click do not overlap). */
let running: Promise<unknown> | null = null;

function settingsOf(ctx: Ctx): BackupSettings {
  return { ...DEFAULT_BACKUP, ...(ctx.store.repos.meta.getSetting<Partial<BackupSettings>>(SETTINGS) ?? {}) };
}

/** Network file systems by statfs type (Linux): NFS, SMB/CIFS, SMB2, FUSE (rclone, sshfs, sync clients), 9p. */
const NETWORK_FS: Record<number, string> = { 0x6969: 'nfs', 0x517b: 'smb', 0xff534d42: 'cifs', 0xfe534d42: 'smb2', 0x65735546: 'fuse', 0x01021997: '9p', 0x564c: 'ncp' };

/** Where the store sits, as far as is cheap to tell: cloud-sync folder names, UNC paths, network file systems. */
export function storeLocationWarnings(dir: string): string[] {
  const out: string[] = [];
  const byPath = riskyPath(path.resolve(dir));
  if (byPath) out.push(`${byPath}: ${dir}`);
  try {
    const t = statfsSync(dir).type;
    const fs = NETWORK_FS[t >>> 0];
    if (fs) out.push(`network: ${fs} file system`);
  } catch {
    /* statfs unsupported here: the path check stands alone */
  }
  return out;
}

function runWorker(ctx: Ctx, toDir: string): Promise<BackupResult> {
  const req: BackupWorkerRequest = {
    dbPath: ctx.store.files.db,
    slotsPath: ctx.store.files.slots,
    key: new Uint8Array(ctx.store.masterKey),
    nativeBinding: ctx.store.nativeBinding,
    toDir,
    now: ctx.now().toISOString(),
    appVersion: APP_VERSION,
  };
  const done = inWorker<BackupResult>(req, 'backup');
  req.key.fill(0);
  return done;
}

/** Runs core/backup-worker.ts on one request and answers what it posts back. */
function inWorker<T>(workerData: BackupWorkerRequest | RestoreWorkerRequest, what: string): Promise<T> {
  const worker = new Worker(workerScript('backup.mjs', import.meta.url, '../backup-worker-from-source.mjs'), { execArgv: [], workerData });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: { type: 'done'; result: T } | { type: 'error'; code: ErrorCode; message: string }) => {
      settled = true;
      if (m.type === 'done') resolve(m.result);
      else reject(new ApiFailure(m.code, m.message));
    });
    worker.on('error', (e) => {
      if (!settled) reject(new ApiFailure('INTERNAL', `The ${what} failed: ${e.message}`));
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new ApiFailure('INTERNAL', `The ${what} failed: its worker stopped (exit code ${code}).`));
      settled = true;
    });
  });
}

/** Deletes what the rotation rule lets go among this folder's finished backups. */
function rotateFolder(dir: string, s: BackupSettings): string[] {
  const found = readdirSync(dir).flatMap((name) => {
    const at = backupTime(name);
    return at ? [{ name, at }] : [];
  });
  const { remove } = rotate(found, { daily: s.keepDaily, weekly: s.keepWeekly });
  for (const r of remove) rmSync(path.join(dir, r.name), { force: true });
  return remove.map((r) => r.name);
}

async function backupNow(ctx: Ctx, folder: string, scheduled: boolean) {
  if (running) throw new ApiFailure('BUSY', 'A backup is already running.', { retryAfterSeconds: 10 });
  const started = Date.now();
  const toDir = path.resolve(folder);
  const at = ctx.now().toISOString();
  const job = runWorker(ctx, toDir);
  running = job;
  try {
    const result = await job;
    const seconds = (Date.now() - started) / 1000;
    const removed = scheduled ? rotateFolder(toDir, settingsOf(ctx)) : [];
    const rec: RunRecord = { at, ok: true, file: result.file, bytes: result.bytes, seconds, error: null, scheduled };
    const r = ctx.store.repos;
    r.db.transaction(() => {
      r.meta.setSetting(LAST_RUN, rec);
      r.meta.setSetting(LAST_GOOD, rec);
      ctx.audit('backup.written', 'backup', path.basename(result.file), { folder: toDir, bytes: result.bytes, sha256: result.manifest.db.sha256, auditHead: result.manifest.auditHead, scheduled, removed });
    })();
    // A copy of the audit anchor beside the backup, outside the store folder: a rollback of the whole folder
    // (anchor file included) is then still found (core/audit/anchor-outside.ts).
    anchorBackupFolder(ctx.store, toDir);
    return { file: result.file, bytes: result.bytes, seconds, manifest: result.manifest, removed };
  } catch (e) {
    const rec: RunRecord = { at, ok: false, file: null, bytes: null, seconds: (Date.now() - started) / 1000, error: (e as Error).message, scheduled };
    try {
      const r = ctx.store.repos;
      r.db.transaction(() => {
        r.meta.setSetting(LAST_RUN, rec);
        ctx.audit('backup.failed', 'backup', null, { folder: toDir, error: rec.error, scheduled });
      })();
    } catch {
      /* the store was locked meanwhile: the failure is still thrown */
    }
    throw e;
  } finally {
    running = null;
  }
}

/** Settles once no backup is running (graceful shutdown lets a started backup finish: it is one snapshot). */
export function backupIdle(): Promise<void> {
  return running ? running.then(() => undefined, () => undefined) : Promise.resolve();
}

/** Called by the backend's sweeper: starts a scheduled backup when one is due; never waits for it. */
export function runDueBackup(ctx: Ctx): void {
  if (running || !ctx.store.isOpen()) return;
  const s = settingsOf(ctx);
  if (!s.folder) return;
  const last = ctx.store.repos.meta.getSetting<RunRecord>(LAST_RUN);
  // A failed run is retried after an hour, not every sweep.
  const wait = last && !last.ok ? Math.min(3600_000, s.everyHours * 3600_000) : s.everyHours * 3600_000;
  if (last && ctx.now().getTime() - Date.parse(last.at) < wait) return;
  backupNow(ctx, s.folder, true).catch((e: unknown) => console.error('[agencydesk] scheduled backup:', e instanceof Error ? e.message : String(e)));
}

const status: Handler<'backup.status'> = (_input, ctx) => {
  const meta = ctx.store.repos.meta;
  const lastGood = meta.getSetting<RunRecord>(LAST_GOOD) ?? null;
  return {
    settings: settingsOf(ctx),
    lastRun: meta.getSetting<RunRecord>(LAST_RUN) ?? null,
    lastGood,
    stale: !lastGood || ctx.now().getTime() - Date.parse(lastGood.at) > BACKUP_STALE_MS,
    running: running !== null,
    storeDir: ctx.store.files.dir,
    storeWarnings: storeLocationWarnings(ctx.store.files.dir),
  };
};

const configure: Handler<'backup.configure'> = (input, ctx) => {
  const r = ctx.store.repos;
  const before = settingsOf(ctx);
  const after = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as BackupSettings;
  if (after.folder) after.folder = path.resolve(after.folder);
  r.db.transaction(() => {
    r.meta.setSetting(SETTINGS, after);
    ctx.audit('settings.update', 'setting', SETTINGS, { before, after });
  })();
  return after;
};

const run: Handler<'backup.run'> = async (input, ctx) => {
  const folder = input.folder ?? settingsOf(ctx).folder;
  if (!folder) throw new ApiFailure('BAD_INPUT', 'No backup folder: give one, or set the scheduled backup folder first.');
  return backupNow(ctx, folder, false);
};

const storage: Handler<'system.storage'> = (_input, ctx) => {
  const dir = ctx.store.files.dir;
  let storeBytes = 0;
  for (const f of [ctx.store.files.db, `${ctx.store.files.db}-wal`]) {
    try {
      storeBytes += statSync(f).size;
    } catch {
      /* no WAL right now */
    }
  }
  return { storeDir: dir, warnings: storeLocationWarnings(dir), freeBytes: freeBytes(dir), storeBytes };
};

const list: Handler<'backup.list'> = (input, ctx) => {
  const folder = input.folder ? path.resolve(input.folder) : settingsOf(ctx).folder;
  if (!folder) return { folder: null, files: [] };
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    throw new ApiFailure('NOT_FOUND', `Cannot read the folder ${folder}.`);
  }
  const files = names.flatMap((name) => {
    const at = backupTime(name);
    if (!at) return [];
    const file = path.join(folder, name);
    return [{ file, name, at: at.toISOString(), bytes: statSync(file).size }];
  });
  files.sort((a, b) => b.at.localeCompare(a.at));
  return { folder, files };
};

/**
 * Restores a backup into a new folder on the machine the backend runs on (the team server's, on a server).
 * The live store is never touched: the target must be new or empty and may not be inside the store folder.
 * Unpacking and checking run in the backup worker; the store stays as it is, and the admin opens the restored
 * copy by starting AgencyDesk on that folder.
 */
const restore: Handler<'backup.restore'> = async (input, ctx) => {
  const file = path.resolve(input.file);
  const target = path.resolve(input.target);
  const live = path.resolve(ctx.store.files.dir);
  if (target === live || target.startsWith(live + path.sep) || live.startsWith(target + path.sep)) {
    throw new ApiFailure('CONFLICT', `${target} is the live store's folder (or holds it): restore into a new folder beside it.`);
  }
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    throw new ApiFailure('NOT_FOUND', `No backup file at ${file}.`);
  }
  requireFreeSpace(path.dirname(target), bytes);
  const credential = input.recoveryKey ? { recoveryKey: input.recoveryKey } : { username: input.username ?? ctx.user!.username, password: input.password ?? '' };
  if (!input.recoveryKey && !input.password) throw new ApiFailure('BAD_INPUT', 'Give the password (as it was when the backup was taken) or the recovery key.');
  const req: RestoreWorkerRequest = { restore: { file, target, credential, nativeBinding: ctx.store.nativeBinding, nowMs: ctx.now().getTime(), anchorDir: ctx.store.anchorDir } };
  try {
    const manifest = await inWorker<BackupManifest>(req, 'restore');
    ctx.audit('backup.restored', 'backup', path.basename(file), { file, target, auditHead: manifest.auditHead, createdAt: manifest.createdAt });
    return { store: target, manifest };
  } catch (e) {
    ctx.audit('backup.restore_failed', 'backup', path.basename(file), { file, target, code: e instanceof ApiFailure ? e.code : 'INTERNAL' });
    throw e;
  }
};

export const backupHandlers = { 'backup.status': status, 'backup.configure': configure, 'backup.run': run, 'backup.list': list, 'backup.restore': restore, 'system.storage': storage };
