// Backups that restore: backup.run writes one encrypted, verified file; the live store is then damaged; the
// restore into a new folder gives the same data and audit head, and the password valid at backup time logs in.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted, type Db } from '../../db/open.js';
import { BACKUP_EXT, readBackup, backupTime } from '../../db/backup.js';
import { listTar, readEntry } from '../../db/tar.js';
import { restore } from '../../cli/backup.js';
import { makeStore, masterKeyOf, login, tempDir, removeDir, ADMIN_PASSWORD, type TestStore } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { importFile } from '../helpers/import.js';

const quiet = { json: true, print: () => undefined };

function snapshot(db: Db) {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const counts = Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  const cases = db.prepare('SELECT * FROM cases ORDER BY id LIMIT 5').all();
  const lastCases = db.prepare('SELECT * FROM cases ORDER BY id DESC LIMIT 3').all();
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get();
  return { counts, cases, lastCases, head };
}

describe('backup and restore', () => {
  let s: TestStore;
  let root: string;
  let rows: string[][];
  beforeAll(async () => {
    root = tempDir('agencydesk-backup-');
    s = await makeStore({ storeDir: path.join(root, 'store') });
    const lender = (await s.admin.call('lenders.create', { code: 'BK', name: '备份测试' })).id;
    rows = makeRows(400, 11);
    const csv = path.join(root, 'cases.csv');
    writeFileSync(csv, toCsv([PLACEMENT_HEADERS, ...rows]));
    const job = await importFile(s.admin, lender, csv, { batchNo: 'BK-1' });
    expect(job.state).toBe('done');
  }, 120_000);
  afterAll(() => {
    s.close();
    removeDir(root);
  });

  it('backs up, survives a damaged live store, and restores the same data and audit head', async () => {
    const out = path.join(root, 'backups');
    const key = masterKeyOf(s.dir, s.recoveryKey);
    const live = openEncrypted(storeFiles(s.dir).db, Buffer.from(key), { migrate: false, quickCheck: false });
    // The import's worker writes the batch's search rows (尾号) just after it reports the import done: the
    // snapshot waits for them, or it would race the backup.
    for (const until = Date.now() + 30_000; (live.prepare('SELECT count(*) AS n FROM case_search_pending').get() as { n: number }).n > 0; ) {
      if (Date.now() > until) throw new Error('the import never wrote its search rows');
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = snapshot(live);
    live.close();

    const r = await s.admin.call('backup.run', { folder: out });
    expect(path.dirname(r.file)).toBe(out);
    expect(r.file.endsWith(BACKUP_EXT)).toBe(true);
    expect(backupTime(path.basename(r.file))).not.toBeNull();
    // Only the finished file (and the audit anchor's copy kept beside backups): no partial copy, no -wal/-shm.
    expect(readdirSync(out).sort()).toEqual([path.basename(r.file), `agencydesk-anchor-${r.manifest.storeId}.json`].sort());
    expect(r.manifest.counts.cases).toBe(400);
    expect(r.manifest.auditHead).toEqual(before.head);

    // One file: the encrypted db, the slots and the manifest; the db part is not a plaintext SQLite file.
    const fd = openSync(r.file, 'r');
    const entries = listTar(fd);
    expect(entries.map((e) => e.name).sort()).toEqual(['agency.db', 'keyslots.json', 'manifest.json']);
    const dbHead = readEntry(fd, { ...entries.find((e) => e.name === 'agency.db')!, size: 16 });
    closeSync(fd);
    expect(dbHead.toString('latin1')).not.toBe('SQLite format 3\0');
    // No borrower's name, ID number or phone anywhere in the file.
    const whole = readFileSync(r.file);
    for (const row of rows.slice(0, 50)) for (const v of [row[1]!, row[2]!, row[3]!]) expect(whole.includes(Buffer.from(v)), v).toBe(false);

    const status = await s.admin.call('backup.status', {});
    expect(status.stale).toBe(false);
    expect(status.lastGood?.file).toBe(r.file);

    // Damage the live store: overwrite a page in the middle of agency.db (the backend closed first).
    s.close();
    const dbFile = storeFiles(s.dir).db;
    const size = statSync(dbFile).size;
    const w = openSync(dbFile, 'r+');
    writeSync(w, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 4096 / 2) * 4096);
    closeSync(w);
    expect(() => {
      const d = openEncrypted(dbFile, Buffer.from(key), { migrate: false });
      try {
        d.prepare('SELECT count(*) FROM cases').get();
        d.prepare('SELECT * FROM cases').all();
        d.prepare('SELECT * FROM audit_log').all();
      } finally {
        d.close();
      }
    }).toThrow();

    // Restore into a new folder, checked with the admin's password as it was at backup time.
    const target = path.join(root, 'restored');
    await restore(target, { from: r.file, store: target }, { AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: ADMIN_PASSWORD }, quiet);
    const restored = openEncrypted(storeFiles(target).db, Buffer.from(key), { migrate: false });
    const after = snapshot(restored);
    restored.close();
    expect(after).toEqual(before);
    expect(readdirSync(root).filter((n) => n.includes('.restoring-'))).toEqual([]);

    // The restored store opens like any other: log in with the password, the chain checks.
    const b = createBackend({ storeDir: target, host: 'test', sweepEveryMs: 0 });
    try {
      const admin = await login(b, 'admin', ADMIN_PASSWORD);
      const check = await admin.call('system.check', {});
      expect(check.integrityOk).toBe(true);
      expect(check.audit.ok).toBe(true);
      // The restore anchored the restored head (the live store's anchor file is not in a backup).
      expect(check.anchor).toMatchObject({ ok: true, status: 'ok', since: { seq: (before.head as { seq: number }).seq } });
      expect(check.refs.ok).toBe(true);
    } finally {
      b.close();
    }
    // Reopen the original backend handle's folder later tests do not need; keep `s` closed.
    s = { ...s, close: () => undefined };
  }, 180_000);

  it('refuses a non-empty target, a wrong password, and a damaged backup file', async () => {
    const src = path.join(root, 'backups');
    const file = path.join(src, readdirSync(src).find((n) => n.endsWith(BACKUP_EXT))!);
    const busy = path.join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'agency.db'), 'live');
    await expect(restore(busy, { from: file, store: busy }, { AGENCYDESK_PASSWORD: ADMIN_PASSWORD }, quiet)).rejects.toThrow(/not empty/);
    expect(readFileSync(path.join(busy, 'agency.db'), 'utf8')).toBe('live');

    const wrong = path.join(root, 'wrong');
    await expect(restore(wrong, { from: file, store: wrong }, { AGENCYDESK_PASSWORD: 'not the password' }, quiet)).rejects.toThrow(/password/);
    expect(existsSync(wrong)).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('.restoring-'))).toEqual([]);

    // One flipped byte in the db part: refused by its SHA-256 before anything is unpacked.
    const bad = path.join(root, 'bad' + BACKUP_EXT);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5000) ^ 0xff, bytes.length - 5000);
    writeFileSync(bad, bytes);
    expect(() => readBackup(bad)).toThrow(/SHA-256|damaged|readable/);
    const t2 = path.join(root, 't2');
    await expect(restore(t2, { from: bad, store: t2 }, { AGENCYDESK_PASSWORD: ADMIN_PASSWORD }, quiet)).rejects.toThrow();
    expect(existsSync(t2)).toBe(false);
  }, 120_000);
});

describe('scheduled backups', () => {
  it('the sweeper writes a due backup off the request path, rotates, and status warns when none is recent', async () => {
    const root = tempDir('agencydesk-sched-');
    let clock = Date.parse('2026-03-02T09:00:00Z');
    const s = await makeStore({ storeDir: path.join(root, 'store'), host: 'web', sweepEveryMs: 100, now: () => new Date(clock) });
    // The clock jumps by days: the idle lock ends each session, so log in again after each jump (backups run
    // while the store is unlocked).
    const jump = async (ms: number) => {
      clock += ms;
      s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    };
    try {
      expect((await s.admin.call('backup.status', {})).stale).toBe(true); // never backed up
      const out = path.join(root, 'nas');
      await s.admin.call('backup.configure', { folder: out, keepDaily: 2, keepWeekly: 1 });
      const waitFor = async (n: number) => {
        for (let i = 0; i < 300 && (existsSync(out) ? readdirSync(out).filter((f) => f.endsWith(BACKUP_EXT)).length : 0) < n; i++) await new Promise((r) => setTimeout(r, 50));
        for (let i = 0; i < 100 && (await s.admin.call('backup.status', {})).running; i++) await new Promise((r) => setTimeout(r, 50));
      };
      await waitFor(1);
      let st = await s.admin.call('backup.status', {});
      expect(st.lastGood?.scheduled).toBe(true);
      expect(st.stale).toBe(false);
      // Not due again within the day.
      await jump(3600_000);
      await new Promise((r) => setTimeout(r, 400));
      expect(readdirSync(out).filter((f) => f.endsWith(BACKUP_EXT))).toHaveLength(1);
      // Three more days: one backup each; keep 2 daily + 1 weekly (the newest is in both) → 2 files left.
      for (let d = 1; d <= 3; d++) {
        await jump(24 * 3600_000);
        await waitFor(Math.min(d + 1, 3));
        await new Promise((r) => setTimeout(r, 300));
      }
      const left = readdirSync(out).filter((f) => f.endsWith(BACKUP_EXT)).sort();
      expect(left.map((f) => backupTime(f)!.toISOString().slice(0, 10))).toEqual(['2026-03-04', '2026-03-05']);
      // Two days and a bit without a backup (schedule off): the admins are warned.
      await s.admin.call('backup.configure', { folder: null });
      await jump(2 * 24 * 3600_000 + 60_000);
      st = await s.admin.call('backup.status', {});
      expect(st.stale).toBe(true);
    } finally {
      s.close();
      removeDir(root);
    }
  }, 120_000);
});
