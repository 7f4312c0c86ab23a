// Page sizes: new stores use 32 KiB pages and record it in the slot file (SQLCipher's header is encrypted);
// a store made before, with 4 KiB pages and no recorded size, still opens and takes writes.
import { describe, it, expect, afterEach } from 'vitest';
import { renameSync, rmSync } from 'node:fs';
import type { Database as Db } from 'better-sqlite3-multiple-ciphers';
import { createBackend } from '../../core/backend.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { readSlotFile, writeSlotFile } from '../../db/keyslots.js';
import { NEW_STORE_PAGE_SIZE, SQLCIPHER4_PAGE_SIZE } from '../../db/page-size.js';
import { ADMIN_PASSWORD, login, makeStore, masterKeyOf, rawOpen, removeDir, type TestStore } from '../helpers/store.js';

const open: TestStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.close();
    } catch {
      /* closed by the test */
    }
    removeDir(s.dir);
  }
});

/** Copies every table's rows, then indexes and triggers, from one open store into another. */
function copyStore(from: Db, to: Db): void {
  to.pragma('foreign_keys = OFF');
  const objects = from.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC, rowid").all() as { type: string; name: string; sql: string }[];
  to.transaction(() => {
    for (const o of objects.filter((o) => o.type === 'table')) {
      to.exec(o.sql);
      const cols = (from.prepare(`PRAGMA table_info("${o.name}")`).all() as unknown[]).length;
      const insert = to.prepare(`INSERT INTO "${o.name}" VALUES (${Array(cols).fill('?').join(',')})`);
      for (const row of from.prepare(`SELECT * FROM "${o.name}"`).raw().iterate()) insert.run(row as unknown[]);
    }
    for (const o of objects.filter((o) => o.type !== 'table')) to.exec(o.sql);
  })();
  to.pragma(`user_version = ${from.pragma('user_version', { simple: true }) as number}`);
}

describe('store page size', () => {
  it('makes new stores with 32 KiB pages and records the size in the slot file', async () => {
    const s = await makeStore();
    open.push(s);
    expect(readSlotFile(storeFiles(s.dir).slots)!.pageSize).toBe(NEW_STORE_PAGE_SIZE);
    const db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('page_size', { simple: true })).toBe(NEW_STORE_PAGE_SIZE);
    db.close();
    // Opened with the wrong page size, the store is refused as undecryptable, and nothing is changed.
    expect(() => openEncrypted(storeFiles(s.dir).db, masterKeyOf(s.dir, s.recoveryKey), { migrate: false, pageSize: SQLCIPHER4_PAGE_SIZE })).toThrow(/cannot be decrypted/);
    const again = rawOpen(s.dir, s.recoveryKey);
    expect(again.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    again.close();
  });

  it('opens a store made with 4 KiB pages before the size was recorded, and writes to it', async () => {
    const s = await makeStore();
    open.push(s);
    const key = masterKeyOf(s.dir, s.recoveryKey);
    s.close();
    const files = storeFiles(s.dir);
    const from = rawOpen(s.dir, s.recoveryKey);
    const old = `${files.db}.old`;
    const to = openEncrypted(old, Buffer.from(key), { create: true, migrate: false });
    copyStore(from, to);
    expect(to.pragma('page_size', { simple: true })).toBe(SQLCIPHER4_PAGE_SIZE);
    from.close();
    to.close();
    for (const suffix of ['-wal', '-shm']) rmSync(files.db + suffix, { force: true });
    renameSync(old, files.db);
    const slots = readSlotFile(files.slots)!;
    delete slots.pageSize;
    writeSlotFile(files.slots, slots);

    const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
    try {
      const admin = await login(backend, 'admin', ADMIN_PASSWORD);
      await admin.call('lenders.create', { code: 'OLD', name: 'Old store lender' });
      expect((await admin.call('lenders.list', {})).lenders.map((l) => l.code)).toEqual(['OLD']);
    } finally {
      backend.close();
    }
    const db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('page_size', { simple: true })).toBe(SQLCIPHER4_PAGE_SIZE);
    expect(db.prepare('SELECT code FROM lenders').pluck().all()).toEqual(['OLD']);
    db.close();
  });
});
