// Loads db/memtemp (memtemp.c): a SQLite VFS, stacked on the encrypting one, that keeps temporary files in
// this process's memory. With it a store connection runs temp_store=FILE: SQLite's sorter then builds an
// index in runs it merges (and may use a second thread) instead of merge-sorting one malloc'd record per
// row, ~2x faster for a million cases, while nothing temporary ever reaches the disk in plain text
// (SQLite3 Multiple Ciphers does not encrypt temporary files). Without the compiled extension (no C
// toolchain on the machine that installed) every connection keeps temp_store=MEMORY, as safe and slower.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Database as Db } from 'better-sqlite3-multiple-ciphers';

const FILE = 'agencydesk_memtemp.node';
const ENTRY = 'sqlite3_memtemp_init';

/** better-sqlite3 takes the entry point as a second argument; its typings know only the first. */
const load = (db: Db, file: string) => (db as unknown as { loadExtension(file: string, entryPoint: string): void }).loadExtension(file, ENTRY);

/**
 * Where the compiled extension is: AGENCYDESK_MEMTEMP ('off' disables it), a packaged Electron app's
 * resources, or db/memtemp/build/Release/ of the checkout this module (source or a dist/ bundle) runs from.
 */
export function memtempPath(
  env: Record<string, string | undefined> = process.env,
  resources = (process as { resourcesPath?: string }).resourcesPath,
): string | null {
  if (env.AGENCYDESK_MEMTEMP === 'off') return null;
  if (env.AGENCYDESK_MEMTEMP) return existsSync(env.AGENCYDESK_MEMTEMP) ? path.resolve(env.AGENCYDESK_MEMTEMP) : null;
  const candidates = resources ? [path.join(resources, 'native', 'memtemp', FILE)] : [];
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 3; up++, dir = path.dirname(dir)) candidates.push(path.join(dir, 'db', 'memtemp', 'build', 'Release', FILE));
  return candidates.find((c) => existsSync(c)) ?? null;
}

let loaded: { active: boolean; why: string } | null = null;

/**
 * Makes the memtemp VFS the process's default (once per thread; the extension itself registers once per
 * process) and says whether it is. Connections opened afterwards use it; `why` says why not. Each store
 * connection still checks for itself (servesTemporaryFiles) before it runs temp_store=FILE.
 */
export function memtempActive(nativeBinding?: string): { active: boolean; why: string } {
  if (loaded) return loaded;
  const file = memtempPath();
  if (!file) return (loaded = { active: false, why: 'the extension is not built (or AGENCYDESK_MEMTEMP=off)' });
  const boot = new Database(':memory:', { nativeBinding });
  try {
    load(boot, file);
    loaded = { active: true, why: file };
  } catch (e) {
    loaded = { active: false, why: (e as Error).message };
  } finally {
    // The library pins itself: closing the connection that loaded it does not unload it.
    boot.close();
  }
  return loaded;
}

/**
 * Whether memtemp serves `db`'s temporary files: the extension, loaded into this connection, checks that
 * the connection's VFS is memtemp's (and still the default). Only then may `db` run temp_store=FILE.
 */
export function servesTemporaryFiles(db: Db): boolean {
  const file = memtempPath();
  if (!file) return false;
  try {
    load(db, file); // registers memtemp_serves() and memtemp_stats() on this connection
    return (db.prepare('SELECT memtemp_serves() AS s').get() as { s: number }).s === 1;
  } catch {
    return false;
  }
}

/** Whether this connection's sorter writes runs (temp_store=FILE, set by openEncrypted only with memtemp). */
export function sortsInRuns(db: Db): boolean {
  return db.pragma('temp_store', { simple: true }) === 1;
}

export interface MemtempStats {
  /** Temporary files opened in memory since the process started. */
  opened: number;
  open: number;
  bytes: number;
  peakBytes: number;
}

/** The VFS's process-wide counters, read through `db` (tests and benchmarks). */
export function memtempStats(db: Db): MemtempStats {
  if (!servesTemporaryFiles(db)) throw new Error('memtemp does not serve this connection');
  return JSON.parse((db.prepare('SELECT memtemp_stats() AS s').get() as { s: string }).s) as MemtempStats;
}
