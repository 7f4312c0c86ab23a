// Issue 17, finding 1: one master key, never changed. Every slot wrapped the same key forever: a disabled
// collector's old slot file, keyslots.json.bak, or an old keyslots.json put back opened the store.
// Now: .bak is a second copy of the current file (never an older one), an older slot file is refused (version
// counter, MAC'd, recorded in the store), and a rekey gives the store a new master key, sealed into every
// remaining slot — old slot files then unwrap a key that opens nothing. Plus the IT key export.
import { describe, it, expect, afterEach } from 'vitest';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { makeStore, removeDir, login, Client, ADMIN_PASSWORD, masterKeyOf, tempDir, type TestStore } from '../helpers/store.js';
import { rekeyAndWait } from '../helpers/rekey.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { findPasswordSlot, findRecoverySlot, openPasswordSlot, openRecoverySlot, readSlotFile } from '../../db/keyslots.js';
import { parseRecoveryKey } from '../../shared/domain/recovery-key.js';
import { createBackend } from '../../core/backend.js';
import { restoreBackup } from '../../db/backup.js';

const PW = 'collector password 1';
let opened: TestStore[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of opened) {
    s.close();
    removeDir(s.dir);
  }
  for (const d of dirs.splice(0)) removeDir(d);
  opened = [];
});

async function store() {
  const s = await makeStore();
  opened.push(s);
  const lender = (await s.admin.call('lenders.create', { code: 'K', name: '测试' })).id;
  const zhang = await s.admin.call('users.create', { username: 'zhang', displayName: '张', role: 'collector', password: PW });
  await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'manager', password: PW });
  return { ...s, files: storeFiles(s.dir), zhang, lender };
}

/** What an attacker holding a slot file and a password gets: a key — and whether that key opens the store. */
async function keyFrom(slotsText: string, username: string, password: string): Promise<Buffer | null> {
  const dir = tempDir();
  dirs.push(dir);
  const f = path.join(dir, 'slots.json');
  writeFileSync(f, slotsText);
  const file = readSlotFile(f)!;
  const slot = findPasswordSlot(file, username);
  return slot ? openPasswordSlot(file.storeId, slot, password) : null;
}
function opensStore(dbFile: string, key: Buffer | null): boolean {
  if (!key) return false;
  try {
    openEncrypted(dbFile, key, { migrate: false, quickCheck: false }).close();
    return true;
  } catch {
    return false;
  }
}

describe('finding 1: old slot files and passwords after disable / reset', () => {
  it('keyslots.json.bak holds no slot of a disabled user', async () => {
    const s = await store();
    await s.admin.call('users.disable', { id: s.zhang.id });
    const bak = readFileSync(s.files.slots + '.bak', 'utf8');
    expect(opensStore(s.files.db, await keyFrom(bak, 'zhang', PW))).toBe(false);
  });

  it('an older keyslots.json put back is refused with a clear message (the reset password stays reset)', async () => {
    const s = await store();
    const before = readFileSync(s.files.slots, 'utf8');
    await s.admin.call('users.resetPassword', { id: s.zhang.id, password: 'new zhang password 2' });
    await s.admin.call('auth.logout', {});
    writeFileSync(s.files.slots, before);
    const err = await new Client(s.backend).error('auth.login', { username: 'zhang', password: PW });
    expect(err.code).toBe('STORE_CORRUPT');
    expect(err.message).toMatch(/older than this store/);
    // The current file (its second copy, .bak) opens again, with the new password only.
    copyFileSync(s.files.slots + '.bak', s.files.slots);
    expect((await new Client(s.backend).error('auth.login', { username: 'zhang', password: PW })).code).toBe('WRONG_PASSWORD');
    await login(s.backend, 'zhang', 'new zhang password 2');
  });

  it('after disable + rekey, the disabled user’s old slot file unwraps a key that opens nothing; everyone else goes on', async () => {
    const s = await store();
    const oldSlots = readFileSync(s.files.slots, 'utf8');
    const oldKey = await keyFrom(oldSlots, 'zhang', PW);
    expect(opensStore(s.files.db, oldKey)).toBe(true); // the attack works before the rekey
    await s.admin.call('users.disable', { id: s.zhang.id });
    const due = await s.admin.call('keys.status', {});
    expect(due.rekeyDue?.reasons).toContainEqual({ username: 'zhang', why: 'disabled' });
    const li = await login(s.backend, 'li', PW);
    const casesBefore = await s.admin.call('lenders.list', {});
    const r = await rekeyAndWait(s.admin, {});
    expect(r.generation).toBe(1);
    expect(r.recoveryKey).toBeNull();
    // The old slot file, its .bak and the disabled password: a key, but not this store's.
    expect(opensStore(s.files.db, await keyFrom(oldSlots, 'zhang', PW))).toBe(false);
    expect(opensStore(s.files.db, await keyFrom(oldSlots, 'admin', ADMIN_PASSWORD))).toBe(false);
    // No file left in the folder unwraps the old key.
    for (const n of readdirSync(s.dir)) {
      const text = readFileSync(path.join(s.dir, n)).toString('utf8');
      if (!text.includes('agencydesk-keyslots')) continue;
      const k = await keyFrom(text, 'admin', ADMIN_PASSWORD);
      expect(k && oldKey && k.equals(oldKey), n).toBeFalsy();
      expect(opensStore(s.files.db, k), n).toBe(true);
    }
    // Sessions go on; data is all there; the due flag is gone; every remaining password logs in.
    expect(await s.admin.call('lenders.list', {})).toEqual(casesBefore);
    expect(await li.call('lenders.list', {})).toEqual(casesBefore);
    expect((await s.admin.call('keys.status', {})).rekeyDue).toBeNull();
    expect((await s.admin.call('audit.verify', {})).ok).toBe(true);
    await s.admin.call('auth.logout', {});
    await li.call('auth.logout', {});
    await login(s.backend, 'li', PW);
    // The recovery key (resealed, not replaced) still opens it.
    expect(opensStore(s.files.db, masterKeyOf(s.dir, s.recoveryKey))).toBe(true);
  });

  it('after an admin reset + rekey, the old password in an old slot file opens nothing; a restart opens with the new one', async () => {
    const s = await store();
    const oldSlots = readFileSync(s.files.slots, 'utf8');
    await s.admin.call('users.resetPassword', { id: s.zhang.id, password: 'new zhang password 2' });
    expect((await s.admin.call('keys.status', {})).rekeyDue?.reasons.some((r) => r.why === 'reset')).toBe(true);
    await rekeyAndWait(s.admin, {});
    expect(opensStore(s.files.db, await keyFrom(oldSlots, 'zhang', PW))).toBe(false);
    s.backend.close();
    const b2 = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
    opened = [{ ...s, close: () => b2.close() }];
    await login(b2, 'zhang', 'new zhang password 2');
    expect((await new Client(b2).error('auth.login', { username: 'zhang', password: PW })).code).toBe('WRONG_PASSWORD');
  });

  it('a rekey with a new recovery key: the old recovery key stops working, the new one works', async () => {
    const s = await store();
    const r = await rekeyAndWait(s.admin, { newRecoveryKey: true });
    expect(r.recoveryKey).toMatch(/\S/);
    const slots = readSlotFile(s.files.slots)!;
    expect(openRecoverySlot(slots.storeId, findRecoverySlot(slots)!, parseRecoveryKey(s.recoveryKey)!)).toBeNull();
    expect(opensStore(s.files.db, masterKeyOf(s.dir, r.recoveryKey!))).toBe(true);
    // On the record, without the key itself.
    const audit = JSON.stringify(await s.admin.call('audit.list', { action: 'keys.rekey' }));
    expect(audit).toMatch(/"newRecoveryKey":true/);
    expect(audit).not.toContain(r.recoveryKey!);
  });

  it('a backup taken before a rekey restores and opens with the passwords of that time', async () => {
    const s = await store();
    const out = tempDir();
    dirs.push(out);
    const b = await s.admin.call('backup.run', { folder: out });
    await s.admin.call('users.resetPassword', { id: s.zhang.id, password: 'new zhang password 2' });
    await rekeyAndWait(s.admin, {});
    const after = await s.admin.call('backup.run', { folder: path.join(out, 'after') });
    const target = path.join(out, 'restored');
    await restoreBackup(b.file, target, async (slotsPath, storeId) => {
      const f = readSlotFile(slotsPath)!;
      expect(f.storeId).toBe(storeId);
      return (await openPasswordSlot(storeId, findPasswordSlot(f, 'zhang')!, PW))!;
    }, { nowMs: Date.now() });
    const b2 = createBackend({ storeDir: target, host: 'test', sweepEveryMs: 0 });
    try {
      await login(b2, 'zhang', PW);
    } finally {
      b2.close();
    }
    // The backup after the rekey opens with the new password, not the old one.
    const target2 = path.join(out, 'restored2');
    await expect(restoreBackup(after.file, target2, async (slotsPath, storeId) => {
      const k = await openPasswordSlot(storeId, findPasswordSlot(readSlotFile(slotsPath)!, 'zhang')!, PW);
      if (!k) throw new Error('old password refused');
      return k;
    }, { nowMs: Date.now() })).rejects.toThrow(/old password refused/);
  });
});

describe('rekey beside worker threads', () => {
  it('idle heavy-method workers let go of the store for the rekey and come back under the new key', async () => {
    const s = await makeStore({ heavyWorkers: 1 });
    opened.push(s);
    const { tookMs: _t1, ...before } = await s.admin.call('dashboard.get', {} as never); // starts a worker with its own connection
    const r = await rekeyAndWait(s.admin, {});
    expect(r.generation).toBe(1);
    const { tookMs: _t2, ...after } = await s.admin.call('dashboard.get', {} as never);
    expect(after).toEqual(before);
  });
});

describe('IT key export', () => {
  it('asks the password again, is audited, and gives the PRAGMA key line that opens the store with SQLCipher 4 settings', async () => {
    const s = await store();
    expect((await s.admin.error('keys.revealMasterKey', { password: 'wrong password 9' })).code).toBe('WRONG_PASSWORD');
    const li = await login(s.backend, 'li', PW);
    expect((await li.error('keys.revealMasterKey', { password: PW })).code).toBe('FORBIDDEN');
    const r = await s.admin.call('keys.revealMasterKey', { password: ADMIN_PASSWORD });
    expect(r.pragma).toMatch(/^PRAGMA key = "x'[0-9a-f]{64}'";$/);
    // The exact line, as IT would type it into SQLCipher 4 (here: the same cipher scheme, sqlcipher legacy 4).
    const copy = path.join(tempDir(), 'agency.db');
    dirs.push(path.dirname(copy));
    await s.admin.call('auth.logout', {});
    await li.call('auth.logout', {});
    copyFileSync(s.files.db, copy);
    const db = new Database(copy, { readonly: true });
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.exec(r.pragma);
    expect((db.prepare("SELECT value FROM meta WHERE key = 'agency_name'").get() as { value: string }).value).toBe('华信催收服务有限公司');
    db.close();
    // Audited, and it changes at a rekey.
    const admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    const log = JSON.stringify(await admin.call('audit.list', { action: 'keys.revealMasterKey' }));
    expect(log).toMatch(/keys\.revealMasterKey/);
    expect(log).not.toContain(/x'([0-9a-f]{64})'/.exec(r.pragma)![1]!);
    await rekeyAndWait(admin, {});
    const r2 = await admin.call('keys.revealMasterKey', { password: ADMIN_PASSWORD });
    expect(r2.pragma).not.toBe(r.pragma);
    expect(r2.generation).toBe(1);
  });
});

