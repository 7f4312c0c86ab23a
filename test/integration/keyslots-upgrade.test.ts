// A store from before slot format 2 and the signing lock: format-1 slots (the master key wrapped straight under
// the password's scrypt key), no slot-file version, a signing key in the clear. The first admin login makes the
// lock and encrypts the signing key; each user's slot becomes format 2 at their login; a rekey drops the format-1
// slots that are left (their users get a password reset) and replaces a format-1 recovery slot with a new recovery
// key, shown once.
import { describe, it, expect, afterEach } from 'vitest';
import { createCipheriv, createPrivateKey, createPublicKey, hkdfSync, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeStore, removeDir, login, Client, ADMIN_PASSWORD, masterKeyOf, type TestStore } from '../helpers/store.js';
import { rekeyAndWait } from '../helpers/rekey.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { fingerprintOf, makeKeyPair } from '../../core/reports/keys.js';
import { formatRecoveryKey } from '../../shared/domain/recovery-key.js';

const PW = 'manager password 1';
let opened: TestStore[] = [];
afterEach(() => {
  for (const s of opened) {
    s.close();
    removeDir(s.dir);
  }
  opened = [];
});

/** Format 1, as AgencyDesk wrote it before: AES-256-GCM of the master key under the KEK, bound to store/slot/user. */
function legacyWrap(storeId: string, head: { id: string; kind: string; username?: string }, master: Buffer, kek: Buffer) {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(Buffer.from(`agencydesk:${storeId}:${head.id}:${head.kind}:${head.username ?? ''}`));
  const ct = Buffer.concat([c.update(master), c.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64') };
}
function legacyPasswordSlot(storeId: string, master: Buffer, username: string, password: string) {
  const salt = randomBytes(16);
  const kek = scryptSync(password.normalize('NFC'), salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 2 ** 17 * 8 + 2 ** 20 });
  const head = { id: randomUUID(), kind: 'password', username };
  return { ...head, kdf: { alg: 'scrypt', N: 2 ** 17, r: 8, p: 1, salt: salt.toString('base64') }, ...legacyWrap(storeId, head, master, kek), createdAt: new Date().toISOString() };
}

describe('a store from before key slots v2 and the signing lock', () => {
  it('upgrades slots at login, locks the signing key at the first admin login, and a rekey drops what is left', async () => {
    const s = await makeStore();
    opened.push(s);
    await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'manager', password: PW });
    await s.admin.call('auth.logout', {});
    // Turn it into an old store: format-1 slot file, no versions or lock in meta, a signing key in the clear.
    const files = storeFiles(s.dir);
    const master = masterKeyOf(s.dir, s.recoveryKey);
    const storeId = (JSON.parse(readFileSync(files.slots, 'utf8')) as { storeId: string }).storeId;
    const rk = randomBytes(32);
    const rsalt = randomBytes(16);
    const rhead = { id: randomUUID(), kind: 'recovery' };
    const recoverySlot = { ...rhead, kdf: { alg: 'hkdf-sha256', salt: rsalt.toString('base64') }, ...legacyWrap(storeId, rhead, master, Buffer.from(hkdfSync('sha256', rk, rsalt, 'agencydesk recovery slot', 32))), createdAt: new Date().toISOString() };
    writeFileSync(files.slots, JSON.stringify({ format: 'agencydesk-keyslots/1', storeId, slots: [legacyPasswordSlot(storeId, master, 'admin', ADMIN_PASSWORD), legacyPasswordSlot(storeId, master, 'li', PW), recoverySlot] }));
    writeFileSync(files.slots + '.bak', readFileSync(files.slots));
    const clear = makeKeyPair();
    const db = openEncrypted(files.db, Buffer.from(master), { migrate: false });
    db.prepare("DELETE FROM meta WHERE key IN ('keyslots_version', 'privileged_check', 'lockout_id')").run();
    db.prepare("UPDATE signing_keys SET retired_at = '2026-01-01T00:00:00Z' WHERE retired_at IS NULL").run();
    db.prepare('INSERT INTO signing_keys (public_pem, private_der, fingerprint, created_at) VALUES (?, ?, ?, ?)').run(clear.publicPem, clear.privateDer, clear.fingerprint, '2026-01-02T00:00:00Z');
    db.close();

    const admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    const after = JSON.parse(readFileSync(files.slots, 'utf8')) as { format: string; version: number; slots: { kind: string; username?: string; v?: number; privileged?: unknown }[] };
    expect(after.format).toBe('agencydesk-keyslots/2');
    const by = Object.fromEntries(after.slots.map((x) => [x.username ?? x.kind, x]));
    expect(by.admin).toMatchObject({ v: 2 });
    expect(by.admin!.privileged).toBeDefined();
    expect(by.li!.v).toBeUndefined(); // not logged in yet
    // The clear signing key is now locked: nothing in the row is a usable private key.
    const raw = openEncrypted(files.db, Buffer.from(master), { migrate: false });
    const row = raw.prepare('SELECT private_der, private_enc FROM signing_keys WHERE fingerprint = ?').get(clear.fingerprint) as { private_der: Buffer; private_enc: Buffer | null };
    raw.close();
    expect(row.private_der.length).toBe(0);
    expect(row.private_enc).not.toBeNull();
    expect(() => createPrivateKey({ key: row.private_enc!, format: 'der', type: 'pkcs8' })).toThrow();
    const status = await admin.call('keys.status', {});
    expect(status.slots.filter((x) => x.format === 1).map((x) => x.username ?? x.kind).sort()).toEqual(['li', 'recovery']);
    // The same key still signs (admin holds the lock): the package names its fingerprint.
    expect((await admin.call('signing.keys', {})).current.fingerprint).toBe(clear.fingerprint);

    // A rekey now: li's format-1 slot is dropped (reset the password), the recovery key replaced and shown once.
    const r = await rekeyAndWait(admin, {});
    expect(r.dropped).toEqual([{ username: 'li', reason: expect.stringMatching(/reset this password/) }]);
    expect(r.recoveryKey).toMatch(/\S/);
    expect(r.recoveryKey).not.toBe(formatRecoveryKey(rk));
    expect((await new Client(s.backend).error('auth.login', { username: 'li', password: PW })).code).toBe('WRONG_PASSWORD');
    const li = (await admin.call('users.list', {})).users.find((u) => u.username === 'li')!;
    await admin.call('users.resetPassword', { id: li.id, password: 'new manager password 2' });
    const liClient = await login(s.backend, 'li', 'new manager password 2');
    const final = JSON.parse(readFileSync(files.slots, 'utf8')) as { slots: { username?: string; v?: number; privileged?: unknown }[] };
    expect(final.slots.find((x) => x.username === 'li')).toMatchObject({ v: 2, privileged: expect.anything() });
    const lenderId = (await admin.call('lenders.create', { code: 'UP', name: '升级' })).id;
    const out = await liClient.call('reports.export', { lenderId, from: '2026-01-01', to: '2026-01-31', formats: ['csv'], zip: false });
    expect(out.fingerprint).toBe(clear.fingerprint);
    expect(fingerprintOf(createPublicKey(clear.publicPem).export({ type: 'spki', format: 'pem' }).toString())).toBe(clear.fingerprint);
  });
});
