// Page sizes: new stores record theirs in the slot file (SQLCipher's header is encrypted, so it cannot be
// read from the file); a store made before, with no recorded size, opens with SQLCipher 4's 4 KiB; a store
// with another size opens with it.
import { describe, it, expect } from 'vitest';
import { renameSync, rmSync } from 'node:fs';
import type { Database as Db } from 'better-sqlite3-multiple-ciphers';
import { createBackend } from '../../core/backend.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { readSlotFile, writeSlotFile } from '../../db/keyslots.js';
import { NEW_STORE_PAGE_SIZE, SQLCIPHER4_PAGE_SIZE } from '../../db/page-size.js';
import { ADMIN_PASSWORD, login, masterKeyOf, rawOpen, type TestStore } from '../helpers/store.js';
import { storesPerTest } from '../helpers/stores-per-test.js';

const store = storesPerTest();

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

/** Rebuilds the test store's database with `pageSize` pages and records `recorded` in its slot file. */
function rebuild(s: TestStore, pageSize: number, recorded: number | undefined): void {
  const key = masterKeyOf(s.dir, s.recoveryKey);
  s.close();
  const files = storeFiles(s.dir);
  const from = rawOpen(s.dir, s.recoveryKey);
  const copy = `${files.db}.copy`;
  const to = openEncrypted(copy, Buffer.from(key), { create: true, migrate: false, pageSize });
  copyStore(from, to);
  expect(to.pragma('page_size', { simple: true })).toBe(pageSize);
  from.close();
  to.close();
  for (const suffix of ['-wal', '-shm']) rmSync(files.db + suffix, { force: true });
  renameSync(copy, files.db);
  const slots = readSlotFile(files.slots)!;
  if (recorded === undefined) delete slots.pageSize;
  else slots.pageSize = recorded;
  writeSlotFile(files.slots, slots);
}

/** Logs in through a backend on the store, writes a lender and reads it back. */
async function useStore(dir: string, code: string): Promise<void> {
  const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0 });
  try {
    const admin = await login(backend, 'admin', ADMIN_PASSWORD);
    await admin.call('lenders.create', { code, name: `Lender ${code}` });
    expect((await admin.call('lenders.list', {})).lenders.map((l) => l.code)).toEqual([code]);
  } finally {
    backend.close();
  }
}

describe('store page size', () => {
  it('records a new store\'s page size in the slot file', async () => {
    const s = await store();
    expect(readSlotFile(storeFiles(s.dir).slots)!.pageSize).toBe(NEW_STORE_PAGE_SIZE);
    const db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('page_size', { simple: true })).toBe(NEW_STORE_PAGE_SIZE);
    db.close();
  });

  it('opens a store with the page size its slot file records; the wrong size is refused and changes nothing', async () => {
    const s = await store();
    rebuild(s, 16384, 16384);
    await useStore(s.dir, 'BIG');
    const key = masterKeyOf(s.dir, s.recoveryKey);
    expect(() => openEncrypted(storeFiles(s.dir).db, key, { migrate: false, pageSize: SQLCIPHER4_PAGE_SIZE })).toThrow(/cannot be decrypted/);
    const db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    expect(db.prepare('SELECT code FROM lenders').pluck().all()).toEqual(['BIG']);
    db.close();
  });

  it('opens a store made before the size was recorded with SQLCipher 4\'s 4 KiB pages, and writes to it', async () => {
    const s = await store();
    rebuild(s, SQLCIPHER4_PAGE_SIZE, undefined);
    await useStore(s.dir, 'OLD');
    const db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('page_size', { simple: true })).toBe(SQLCIPHER4_PAGE_SIZE);
    db.close();
  });
});
