// Issue 17, finding 2: the signing key was in reach of every user's password. A collector unwrapped the master key
// with their own password, read the Ed25519 private key from signing_keys, changed a report and re-signed it.
// Now the private half is stored encrypted under a subkey of the privileged key, which is sealed only into the
// slots of users who may sign (admins, managers) and the recovery slot.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, login, tempDir, type TestStore } from '../helpers/store.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { findPasswordSlot, openPasswordSlot, readSlotFile } from '../../db/keyslots.js';
import { fingerprintOf } from '../../core/reports/keys.js';

const PW = 'collector password 1';
let s: TestStore;
let out: string;
beforeAll(async () => {
  s = await makeStore();
  out = tempDir();
  await s.admin.call('users.create', { username: 'zhang', displayName: '张', role: 'collector', password: PW });
  await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'manager', password: PW });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(out);
});

/** Every way a holder of the master key might turn a signing_keys row into a private key. */
function usableKeys(masterKey: Buffer): string[] {
  const db = openEncrypted(storeFiles(s.dir).db, masterKey, { migrate: false, quickCheck: false });
  try {
    const rows = db.prepare('SELECT * FROM signing_keys').all() as { public_pem: string; private_der: Buffer; fingerprint: string }[];
    expect(rows.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const r of rows) {
      for (const blob of Object.values(r).filter((v): v is Buffer => Buffer.isBuffer(v))) {
        try {
          const k = createPrivateKey({ key: blob, format: 'der', type: 'pkcs8' });
          if (fingerprintOf(createPublicKey(k).export({ type: 'spki', format: 'pem' }).toString()) === r.fingerprint) found.push(r.fingerprint);
        } catch {
          /* not a key */
        }
      }
    }
    return found;
  } finally {
    db.close();
  }
}

describe("finding 2: a collector's password does not reach the signing key", () => {
  it('the master key from a collector’s slot opens the store, but no row of signing_keys holds a usable private key', async () => {
    const slots = readSlotFile(storeFiles(s.dir).slots)!;
    const key = (await openPasswordSlot(slots.storeId, findPasswordSlot(slots, 'zhang')!, PW))!;
    expect(key).not.toBeNull();
    expect(usableKeys(key)).toEqual([]);
    // The collector's slot carries the master key only; the admin's and the manager's carry the signing lock.
    const raw = JSON.parse(readFileSync(storeFiles(s.dir).slots, 'utf8')) as { slots: { kind: string; username?: string; privileged?: unknown }[] };
    const has = Object.fromEntries(raw.slots.map((x) => [x.username ?? x.kind, !!x.privileged]));
    expect(has).toEqual({ admin: true, recovery: true, zhang: false, li: true });
  });

  it('a manager still exports a signed package; a collector still may not; the signature verifies with the published key', async () => {
    const li = await login(s.backend, 'li', PW);
    const zhang = await login(s.backend, 'zhang', PW);
    const lenderId = (await s.admin.call('lenders.create', { code: 'SIG', name: '签名测试' })).id;
    expect((await zhang.error('reports.export', { lenderId, from: '2026-01-01', to: '2026-01-31', formats: ['csv'], zip: false })).code).toBe('FORBIDDEN');
    const r = await li.call('reports.export', { lenderId, from: '2026-01-01', to: '2026-01-31', formats: ['csv'], zip: false, outDir: out });
    const { current } = await li.call('signing.keys', {});
    expect(r.fingerprint).toBe(current.fingerprint);
    const manifest = readFileSync(path.join(r.path, 'manifest.json'));
    expect(verify(null, manifest, current.publicPem, readFileSync(path.join(r.path, 'manifest.sig')))).toBe(true);
    // A rotated key is locked the same way.
    await s.admin.call('signing.rotate', { reason: 'test' });
    const slots = readSlotFile(storeFiles(s.dir).slots)!;
    expect(usableKeys((await openPasswordSlot(slots.storeId, findPasswordSlot(slots, 'zhang')!, PW))!)).toEqual([]);
    await li.call('reports.export', { lenderId, from: '2026-01-01', to: '2026-01-31', formats: ['csv'], zip: false, outDir: out });
  });

  it('a manager demoted to collector loses the signing lock from their slot, and a rekey is due', async () => {
    const liId = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'li')!.id;
    await s.admin.call('users.update', { id: liId, role: 'collector' });
    const raw = JSON.parse(readFileSync(storeFiles(s.dir).slots, 'utf8')) as { slots: { username?: string; privileged?: unknown }[] };
    expect(raw.slots.find((x) => x.username === 'li')!.privileged).toBeUndefined();
    expect((await s.admin.call('keys.status', {})).rekeyDue?.reasons).toContainEqual({ username: 'li', why: 'demoted', from: 'manager', to: 'collector' });
    await s.admin.call('users.update', { id: liId, role: 'manager' });
    const again = JSON.parse(readFileSync(storeFiles(s.dir).slots, 'utf8')) as { slots: { username?: string; privileged?: unknown }[] };
    expect(again.slots.find((x) => x.username === 'li')!.privileged).toBeDefined();
  });
});
