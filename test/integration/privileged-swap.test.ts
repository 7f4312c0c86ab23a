// Issue 17 follow-up: the privileged key (signing lock, audit-anchor key) swapped by a holder of the master key.
// A collector's password gives the master key; with it they could make a NEW privileged key, seal it into every
// slot (sealing needs only public keys), point the store's privileged_check at it, re-MAC keyslots.json, rebuild
// the audit chain and re-MAC audit-anchor.json with the new key — and the next admin unlock accepted it all.
// Now each slot holding the privileged key carries a tag only its owner (or whoever set its password) can make;
// a sealed key that does not match it (or a stripped tag) is refused, reported, and `check` fails.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login, makeStore, removeDir, type TestStore } from '../helpers/store.js';
import { rekeyAndWait } from '../helpers/rekey.js';
import { storeFiles } from '../../db/paths.js';
import { anchorPath, readAnchor, writeAnchor } from '../../db/audit-anchor.js';
import { findPasswordSlot, isV2, readSlotFile, resealSlot, sealSlotFile, unlockPasswordSlot, writeSlotFile, type Slot } from '../../db/keyslots.js';
import { openEncrypted, type Db } from '../../db/open.js';
import { auditRepo, entryHash, GENESIS_HASH } from '../../db/repos/audit.js';
import { privilegedCheckOf, privilegedSubkey } from '../../core/store-handle.js';

const PW = 'collector password 1';
const clock = new Date('2026-11-23T10:00:00+08:00');
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.reverse()) f();
  cleanup = [];
  vi.restoreAllMocks();
});

async function store(): Promise<TestStore> {
  const s = await makeStore({ now: () => clock });
  cleanup.push(() => s.close(), () => removeDir(s.dir));
  await s.admin.call('lenders.create', { code: 'SWP', name: '换钥银行' });
  await s.admin.call('users.create', { username: 'zhang', displayName: '张', role: 'collector', password: PW });
  await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'collector', password: PW });
  expect((await s.admin.call('system.check', {})).anchor).toMatchObject({ ok: true, verified: true });
  return s;
}

/** Drops the triggers and writes a new, self-consistent chain without the entries `keep` rejects. */
function rebuildChain(db: Db, keep: (r: Record<string, unknown>) => boolean): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  const rows = (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[]).filter(keep);
  db.exec('DELETE FROM audit_log');
  const insert = db.prepare('INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let prev = GENESIS_HASH;
  rows.forEach((r, i) => {
    const base = { seq: i + 1, at: r.at as string, actor_id: r.actor_id as number | null, actor: r.actor as string, host: r.host as string, action: r.action as string, entity: r.entity as string, entity_id: r.entity_id as string | null, detail: r.detail as string, prev_hash: prev };
    prev = entryHash(base);
    insert.run(base.seq, base.at, base.actor_id, base.actor, base.host, base.action, base.entity, base.entity_id, base.detail, base.prev_hash, prev);
  });
  db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
           CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`);
}

/**
 * The attack, with only zhang's password: a new privileged key sealed into every slot, the store's check value
 * pointed at it, the slot file re-MAC'd, the lenders.create entry cut from a rebuilt chain, the anchor re-MAC'd.
 * `stripTags`: also remove the owners' tags, as if the slots had never been confirmed.
 */
async function swap(dir: string, stripTags: boolean): Promise<void> {
  const files = storeFiles(dir);
  const slots = readSlotFile(files.slots)!;
  const o = (await unlockPasswordSlot(slots.storeId, findPasswordSlot(slots, 'zhang')!, PW))!;
  expect(o.privileged).toBeNull();
  o.kek.fill(0);
  const mk = o.masterKey;
  const forged = randomBytes(32);
  const db = openEncrypted(files.db, Buffer.from(mk), { migrate: false });
  rebuildChain(db, (r) => r.action !== 'lenders.create');
  db.prepare("UPDATE meta SET value = ? WHERE key = 'privileged_check'").run(privilegedCheckOf(forged));
  const head = auditRepo(db).head();
  db.close();
  const next = slots.slots.map((s): Slot => {
    if (!isV2(s)) return s;
    const r = resealSlot(slots.storeId, s, null, forged) as Slot & { ptag?: string };
    if (stripTags) delete r.ptag;
    return r;
  });
  writeSlotFile(files.slots, sealSlotFile({ ...slots, slots: next }, (slots.version ?? 0) + 1, mk));
  const { anchor } = readAnchor(dir);
  writeAnchor(dir, privilegedSubkey(forged, slots.storeId, 'audit-anchor'), { v: 1, storeId: slots.storeId, seq: head.seq, hash: head.hash, since: anchor!.since, at: new Date().toISOString() }, true);
}

describe('a privileged key swapped in with only the master key', () => {
  it.each([false, true])('is refused at the admin unlock, reported, and check fails (tags stripped: %s)', async (stripTags) => {
    const s = await store();
    s.close();
    await swap(s.dir, stripTags);
    const anchorBefore = readFileSync(anchorPath(s.dir), 'utf8');
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));

    // The second variant runs system.check in an offload worker, as a team server does.
    const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock, heavyWorkers: stripTags ? 1 : 0 });
    cleanup.push(() => backend.close());
    const admin = await login(backend, 'admin', ADMIN_PASSWORD);
    const r = await admin.call('system.check', {});
    expect(r.audit.ok).toBe(true); // the rebuilt chain alone cannot tell
    expect(r.anchor).toMatchObject({ ok: false, status: 'keyTampered' });
    expect(r.anchor.message).toMatch(/privileged key/i);
    // The forged key is not used: nothing is signed with it, the anchor is not advanced with it.
    expect((await admin.error('signing.rotate', { reason: 'test' })).code).not.toBe('OK');
    await admin.call('lenders.create', { code: 'SW2', name: '再换' });
    await admin.call('auth.logout', {});
    expect(readFileSync(anchorPath(s.dir), 'utf8')).toBe(anchorBefore);
    expect(errors.some((e) => /PRIVILEGED KEY/.test(e))).toBe(true);
    const again = await login(backend, 'admin', ADMIN_PASSWORD);
    const found = (await again.call('audit.list', { action: 'keys.privilegedTampered' })).entries;
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0]!.detail).toMatchObject({ slot: 'password', username: 'admin' });
    expect(String(found[0]!.detail.reason)).toMatch(stripTags ? /tag .* was removed/ : /not the one its owner confirmed/);
  }, 90_000);

  it('a user granted the key later was tagged when the admin made the slot; tags survive a rekey', async () => {
    const s = await store();
    const li = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'li')!;
    const tagOf = (u: string) => (findPasswordSlot(readSlotFile(storeFiles(s.dir).slots)!, u) as { ptag?: string; privileged?: unknown });
    // The admin who made li's slot held the privileged key and knew the KEK: tagged though nothing is sealed in.
    expect(tagOf('li').privileged).toBeUndefined();
    const liTag = tagOf('li').ptag;
    expect(liTag).toMatch(/^[0-9a-f]{64}$/);
    await s.admin.call('users.update', { id: li.id, role: 'manager' });
    expect(tagOf('li').privileged).toBeDefined();
    expect(tagOf('li').ptag).toBe(liTag);
    const adminTag = tagOf('admin').ptag;
    expect(adminTag).toMatch(/^[0-9a-f]{64}$/);
    const c = await login(s.backend, 'li', PW);
    expect(tagOf('li').ptag).toBe(liTag);
    await rekeyAndWait(s.admin, {});
    expect(tagOf('li').ptag).toBe(liTag);
    expect(tagOf('admin').ptag).toBe(adminTag);
    await c.call('auth.logout', {}).catch(() => undefined);
    await s.admin.call('auth.logout', {});
    // li alone opens the store: the key from li's slot is accepted (the anchor advances with it).
    const anchorBefore = readFileSync(anchorPath(s.dir), 'utf8');
    const li2 = await login(s.backend, 'li', PW);
    await li2.call('auth.logout', {});
    expect(readFileSync(anchorPath(s.dir), 'utf8')).not.toBe(anchorBefore);
    const admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    expect((await admin.call('system.check', {})).anchor).toMatchObject({ ok: true, verified: true });
    expect((await admin.call('audit.list', { action: 'keys.privilegedTampered' })).entries).toEqual([]);
  }, 90_000);
  /**
   * With only `attacker`'s password: a new key sealed into `victim`'s slot (granted the key at a role change, not
   * logged in since), the store's check value pointed at it, the slot file re-MAC'd, the anchor re-MAC'd with it.
   */
  async function forgeInto(dir: string, victim: string, attacker: string, attackerPw: string) {
    const files = storeFiles(dir);
    const slots = readSlotFile(files.slots)!;
    const o = (await unlockPasswordSlot(slots.storeId, findPasswordSlot(slots, attacker)!, attackerPw))!;
    o.kek.fill(0);
    const mk = o.masterKey;
    const forged = randomBytes(32);
    const db = openEncrypted(files.db, Buffer.from(mk), { migrate: false });
    db.prepare("UPDATE meta SET value = ? WHERE key = 'privileged_check'").run(privilegedCheckOf(forged));
    const signing = db.prepare('SELECT id, private_enc FROM signing_keys ORDER BY id').all();
    const head = auditRepo(db).head();
    db.close();
    const next = slots.slots.map((x): Slot => (isV2(x) && x.kind === 'password' && x.username === victim ? resealSlot(slots.storeId, x, null, forged) : x));
    writeSlotFile(files.slots, sealSlotFile({ ...slots, slots: next }, (slots.version ?? 0) + 1, mk));
    const { anchor } = readAnchor(dir);
    writeAnchor(dir, privilegedSubkey(forged, slots.storeId, 'audit-anchor'), { v: 1, storeId: slots.storeId, seq: head.seq, hash: head.hash, since: anchor!.since, at: new Date().toISOString() }, true);
    return { mk, signing, storeId: slots.storeId };
  }

  /** The victim logs in alone: the forged key is refused, audited, never used; the genuine signing key untouched. */
  async function victimRefuses(dir: string, victim: string, pw: string, forged: Awaited<ReturnType<typeof forgeInto>>) {
    const files = storeFiles(dir);
    const anchorBefore = readFileSync(anchorPath(dir), 'utf8');
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    cleanup.push(() => backend.close());
    const mgr = await login(backend, victim, pw); // the login itself goes on
    expect(errors.some((e) => /PRIVILEGED KEY TAMPERED/.test(e) && e.includes(`${victim}'s password`))).toBe(true);
    // The victim works on: nothing is anchored with the forged key (it would have advanced the anchor it MAC'd).
    await mgr.call('lenders.create', { code: `${victim.toUpperCase()}1`, name: '受害者的银行' });
    await mgr.call('auth.logout', {});
    expect(readFileSync(anchorPath(dir), 'utf8')).toBe(anchorBefore);
    const o2 = (await unlockPasswordSlot(forged.storeId, findPasswordSlot(readSlotFile(files.slots)!, victim)!, pw))!;
    expect(o2.privilegedTampered).toMatch(/not the one its owner confirmed/); // not re-tagged for the forged key
    o2.kek.fill(0);
    const db2 = openEncrypted(files.db, Buffer.from(forged.mk), { migrate: false });
    expect(db2.prepare('SELECT id, private_enc FROM signing_keys ORDER BY id').all()).toEqual(forged.signing);
    db2.close();
    backend.close();
    const b2 = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    cleanup.push(() => b2.close());
    const admin = await login(b2, 'admin', ADMIN_PASSWORD);
    const found = (await admin.call('audit.list', { action: 'keys.privilegedTampered' })).entries;
    expect(found.some((e) => e.detail.username === victim && /not the one its owner confirmed/.test(String(e.detail.reason)))).toBe(true);
    expect((await admin.call('system.check', {})).anchor).toMatchObject({ ok: false, status: 'keyTampered' });
  }

  it("a forged key sealed into the slot of a user granted the key at a role change is refused at that user's first login", async () => {
    const s = await store();
    const li = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'li')!;
    await s.admin.call('users.update', { id: li.id, role: 'manager' });
    s.close();
    await victimRefuses(s.dir, 'li', PW, await forgeInto(s.dir, 'li', 'zhang', PW));
  }, 90_000);

  it("the same after the user changed their own password where no admin was logged in (the tag is carried over)", async () => {
    const s = await store();
    s.close();
    // li alone on a desktop (no privileged key on this backend) changes the password.
    const desk = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    const me = await login(desk, 'li', PW);
    const before = (findPasswordSlot(readSlotFile(storeFiles(s.dir).slots)!, 'li') as { ptag?: string }).ptag;
    await me.call('auth.changePassword', { currentPassword: PW, newPassword: 'li new password 2' });
    desk.close();
    const after = (findPasswordSlot(readSlotFile(storeFiles(s.dir).slots)!, 'li') as { ptag?: string }).ptag;
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before); // a new slot, a new KEK: a new tag over the same check value
    const b = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    const admin = await login(b, 'admin', ADMIN_PASSWORD);
    const li = (await admin.call('users.list', {})).users.find((u) => u.username === 'li')!;
    await admin.call('users.update', { id: li.id, role: 'manager' });
    b.close();
    await victimRefuses(s.dir, 'li', 'li new password 2', await forgeInto(s.dir, 'li', 'zhang', PW));
  }, 90_000);
});
