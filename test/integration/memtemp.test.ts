// db/memtemp: SQLite's temporary files (the sorter's runs, temp tables, spilled statement journals) live in
// memory behind a VFS stacked on the encrypting one, so that stores can run temp_store=FILE (faster sorts and
// index builds) without plain-text index keys ever going to disk. Without the compiled extension, stores
// fall back to temp_store=MEMORY.
import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { openEncrypted, integrityCheck } from '../../db/open.js';
import { memtempActive, memtempPath, memtempStats, sortsInRuns } from '../../db/memtemp.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-memtemp-'));
  dirs.push(d);
  return d;
};

const ext = memtempPath();
const series = (n: number) => `WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < ${n})`;
const child = (script: string, args: string[], env: Record<string, string> = {}) =>
  JSON.parse(execFileSync(process.execPath, [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim().split('\n').at(-1)!);

describe('memtemp', () => {
  it('is built by npm install on this machine (it has a C toolchain) and loads', () => {
    expect(ext, 'db/memtemp/build/Release/agencydesk_memtemp.node (scripts/build-memtemp.mjs)').not.toBeNull();
    expect(memtempActive()).toMatchObject({ active: true });
  });

  // Linux only: it reads /proc/self/fd.
  it.skipIf(process.platform !== 'linux')('keeps a sort’s runs out of the file system; without it SQLite writes them to temporary files', { timeout: 60_000 }, () => {
    // Control: SQLite3 Multiple Ciphers' own VFS with temp_store=FILE opens a real (unlinked) temp file.
    const plain = child('test/helpers/temp-files-probe.mjs', ['plain']);
    expect(plain).toEqual({ sortedOk: true, tempFds: 1, memFiles: 0 });
    const mem = child('test/helpers/temp-files-probe.mjs', [ext!]);
    expect(mem.sortedOk).toBe(true);
    expect(mem.tempFds).toBe(0);
    expect(mem.memFiles).toBeGreaterThan(0);
  });

  it('says per connection whether it serves its temporary files: not for one opened before it loaded', () => {
    expect(child('test/helpers/temp-files-probe.mjs', [ext!, 'late'])).toEqual({ early: 0, later: 1 });
  });

  it('stores use temp_store=FILE only where memtemp serves temporary files', { timeout: 60_000 }, () => {
    expect(child('test/helpers/temp-store-mode.ts', [tempDir()])).toEqual({ tempStore: 1 });
    expect(child('test/helpers/temp-store-mode.ts', [tempDir()], { AGENCYDESK_MEMTEMP: 'off' })).toEqual({ tempStore: 2 });
    expect(child('test/helpers/temp-store-mode.ts', [tempDir()], { AGENCYDESK_MEMTEMP: path.join(tempDir(), 'missing.node') })).toEqual({ tempStore: 2 });
    expect(memtempPath({ AGENCYDESK_MEMTEMP: 'off' })).toBeNull();
  });

  it('is found in a packaged app’s resources first (electron-builder.yml ships it there)', () => {
    const resources = tempDir();
    const packaged = path.join(resources, 'native', 'memtemp', 'agencydesk_memtemp.node');
    mkdirSync(path.dirname(packaged), { recursive: true });
    copyFileSync(ext!, packaged);
    expect(memtempPath({}, resources)).toBe(packaged);
    expect(memtempPath({}, tempDir())).toBe(ext);
    expect(readFileSync('electron-builder.yml', 'utf8')).toContain('to: native/memtemp/agencydesk_memtemp.node');
  });

  it('sorts, builds indexes in runs on two threads, and frees (wiped) memory files when done, on an encrypted store', () => {
    const db = openEncrypted(path.join(tempDir(), 'agency.db'), randomBytes(32), { create: true });
    try {
      expect(sortsInRuns(db)).toBe(true);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, phone TEXT, amount INTEGER)');
      const rows = Array.from({ length: 40_000 }, (_, i) => ({ phone: `1${String((i * 104_729) % 9_999_991).padStart(10, '0')}`, amount: (i * 7_919) % 100_003 }));
      const insert = db.prepare('INSERT INTO t (phone, amount) VALUES (?, ?)');
      db.transaction(() => rows.forEach((r) => insert.run(r.phone, r.amount)))();
      db.pragma('cache_size = -128'); // runs of 128 KiB: many of them to merge
      db.pragma('threads = 1');
      const before = memtempStats(db);
      const sorted = db.prepare('SELECT phone FROM t ORDER BY phone DESC').pluck().all() as string[];
      expect(sorted).toEqual(rows.map((r) => r.phone).sort().reverse());
      db.exec('CREATE INDEX t_amount ON t(amount, phone)');
      const after = memtempStats(db);
      expect(after.opened).toBeGreaterThan(before.opened + 1);
      expect(after.open).toBe(before.open);
      expect(after.bytes).toBe(before.bytes);
      expect(after.peakBytes).toBeGreaterThan(before.bytes);
      const byIndex = db.prepare('SELECT amount FROM t INDEXED BY t_amount ORDER BY amount, phone').pluck().all() as number[];
      expect(byIndex).toEqual(rows.map((r) => r.amount).sort((a, b) => a - b));
      expect(integrityCheck(db)).toEqual(['ok']);
    } finally {
      db.close();
    }
  });

  it('holds temp tables in memory files too, and rolls a statement back from a spilled statement journal', () => {
    const db = openEncrypted(path.join(tempDir(), 'agency.db'), randomBytes(32), { create: true });
    try {
      const before = memtempStats(db);
      db.exec("CREATE TEMP TABLE scratch (v TEXT); CREATE TABLE keep (id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
      db.pragma('temp.cache_size = -64'); // the temp database writes its file once 64 KiB of pages are dirty
      db.prepare(`${series(20_000)} INSERT INTO scratch SELECT printf('%08d', value) FROM s`).run();
      expect(db.prepare('SELECT count(*) FROM scratch').pluck().get()).toBe(20_000);
      expect(memtempStats(db).opened).toBeGreaterThan(before.opened);
      db.exec('BEGIN');
      db.prepare(`${series(5000)} INSERT INTO keep (v) SELECT printf('k%06d', value) FROM s`).run();
      // Changes 5,000 rows (journalled for this statement, past the 64 KiB a statement journal keeps in
      // memory before it opens a file), then fails on a duplicate: only this statement is undone.
      const opened = memtempStats(db).opened;
      expect(() => db.prepare("UPDATE keep SET v = CASE WHEN id = 5000 THEN 'k000002-x' ELSE v || '-x' END").run()).toThrow(/UNIQUE/);
      expect(memtempStats(db).opened).toBeGreaterThan(opened);
      db.exec('COMMIT');
      expect(db.prepare("SELECT count(*) FROM keep WHERE v LIKE '%-x'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM keep').pluck().get()).toBe(5000);
    } finally {
      db.close();
    }
  });
});
