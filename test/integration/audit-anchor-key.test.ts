// Issue 17, finding 3, the anchor's key: audit-anchor.json must be MAC'd with a key only the admin slots (and the
// recovery key) reach. A collector's password gives the master key; with it alone, a rebuilt chain and an anchor
// re-MAC'd with anything the store holds must not pass check. A session without the key writes no anchor, and
// the next privileged unlock (or a restore with an admin's credential) catches up.
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { ADMIN_PASSWORD, login, makeStore, rawOpen, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { storeFiles } from '../../db/paths.js';
import { anchorPath, readAnchor, writeAnchor } from '../../db/audit-anchor.js';
import { findPasswordSlot, readSlotFile, unlockPasswordSlot } from '../../db/keyslots.js';
import { openEncrypted, type Db } from '../../db/open.js';
import { auditRepo, entryHash, GENESIS_HASH } from '../../db/repos/audit.js';
import { restoreBackup } from '../../db/backup.js';
import { unwrapBackupKeys } from '../../core/restore-key.js';
import { StoreHandle } from '../../core/store-handle.js';
import { compareAnchor } from '../../core/audit/anchor.js';

const PW = 'collector password 1';
const clock = new Date('2026-11-23T10:00:00+08:00');
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.reverse()) f();
  cleanup = [];
});

/** A store with an admin and a collector (zhang), and one payment on a case assigned to zhang. */
async function store(): Promise<TestStore & { caseId: number; paymentId: number }> {
  const s = await makeStore({ now: () => clock });
  const files = tempDir('agencydesk-anchor-key-');
  cleanup.push(() => s.close(), () => removeDir(s.dir), () => removeDir(files));
  const lenderId = (await s.admin.call('lenders.create', { code: 'KEY', name: '锚钥银行' })).id;
  await s.admin.call('users.create', { username: 'zhang', displayName: '张', role: 'collector', password: PW });
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(2, 43)]));
  const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const caseId = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows[0]!.id;
  const paymentId = (await s.admin.call('payments.post', { caseId, paidOn: '2026-11-20', amountFen: 30_000, channel: 'alipay' })).payment.id;
  return { ...s, caseId, paymentId };
}

/** What a collector's password gives: the master key, and (the point) no privileged key. */
async function collectorKey(dir: string): Promise<Buffer> {
  const slots = readSlotFile(storeFiles(dir).slots)!;
  const o = (await unlockPasswordSlot(slots.storeId, findPasswordSlot(slots, 'zhang')!, PW))!;
  expect(o.privileged).toBeNull();
  o.kek.fill(0);
  return o.masterKey;
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

async function adminBackend(dir: string) {
  const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0, now: () => clock });
  cleanup.push(() => backend.close());
  return { backend, admin: await login(backend, 'admin', ADMIN_PASSWORD) };
}

describe("the anchor's key is out of a collector's reach", () => {
  it("a chain rebuilt and an anchor re-MAC'd with only a collector's password: check reports it", async () => {
    const s = await store();
    expect((await s.admin.call('system.check', {})).anchor).toMatchObject({ ok: true, verified: true });
    s.close();

    // The attacker: zhang's password → master key. Delete the payment and its entries, rebuild the chain, then
    // re-MAC the anchor at the new head with every key the store (or the slot) gives.
    const mk = await collectorKey(s.dir);
    const db = openEncrypted(storeFiles(s.dir).db, Buffer.from(mk), { migrate: false });
    db.exec('DROP TRIGGER IF EXISTS payments_no_delete');
    db.prepare('DELETE FROM payments WHERE id = ?').run(s.paymentId);
    rebuildChain(db, (r) => !String(r.detail).includes(`"paymentId":${s.paymentId}`));
    const head = auditRepo(db).head();
    const stored = db.prepare("SELECT value FROM meta WHERE key = 'audit_anchor_secret'").pluck().get() as string | undefined;
    const storeId = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get() as string;
    db.close();
    const { anchor } = readAnchor(s.dir);
    const macKey = stored ? Buffer.from(stored, 'hex') : mk;
    writeAnchor(s.dir, macKey, { v: 1, storeId, seq: head.seq, hash: head.hash, since: anchor!.since, at: new Date().toISOString() }, true);

    const o = await adminBackend(s.dir);
    const r = await o.admin.call('system.check', {});
    expect(r.audit.ok).toBe(true); // the chain alone cannot tell
    expect(r.anchor).toMatchObject({ ok: false, status: 'forged', verified: true });
    const found = (await o.admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries;
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatchObject({ status: 'forged', verified: true });
  }, 60_000);

  it('a collector-only session compares (never ok), writes no anchor; the next admin unlock catches up', async () => {
    const s = await store();
    s.close();
    const before = readFileSync(anchorPath(s.dir), 'utf8');
    // What a dev build of this version left: the interim in-store MAC secret. Any unlock removes it.
    let raw = rawOpen(s.dir, s.recoveryKey);
    raw.prepare("INSERT INTO meta (key, value) VALUES ('audit_anchor_secret', ?)").run('ab'.repeat(32));
    raw.close();

    // A collector's desktop: the store opened with zhang's password only.
    const b = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    const zhang = await login(b, 'zhang', PW);
    await zhang.call('cases.list', {});
    await zhang.call('auth.logout', {});
    b.close();
    expect(readFileSync(anchorPath(s.dir), 'utf8')).toBe(before);
    raw = rawOpen(s.dir, s.recoveryKey);
    const headAfterCollector = auditRepo(raw).head().seq;
    expect(raw.prepare("SELECT count(*) FROM meta WHERE key = 'audit_anchor_secret'").pluck().get()).toBe(0);
    raw.close();
    expect(headAfterCollector).toBeGreaterThan(JSON.parse(before).seq);

    // What such a session can tell without the key: agreement (unverified, never ok), and a rewritten chain.
    const h = new StoreHandle(s.dir, 'test');
    try {
      h.unlock(await collectorKey(s.dir));
      expect(h.privilegedKey('audit-anchor')).toBeNull();
      expect(compareAnchor(h)).toMatchObject({ ok: false, status: 'unverified', verified: false });
    } finally {
      h.close();
    }

    // The next admin unlock anchors what the collector's session appended.
    const o = await adminBackend(s.dir);
    const r = await o.admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: true, status: 'ok', verified: true });
    expect(r.anchor.anchoredSeq).toBeGreaterThanOrEqual(headAfterCollector);
    expect(r.anchor.since).toEqual(JSON.parse(before).since);
    o.backend.close();
    raw = rawOpen(s.dir, s.recoveryKey);
    expect(readAnchor(s.dir).anchor!.seq).toBe(auditRepo(raw).head().seq);
    raw.close();
  }, 60_000);

  it('a chain cut short and rebuilt, seen by a collector-only session: reported, unverified', async () => {
    const s = await store();
    s.close();
    const mk = await collectorKey(s.dir);
    const db = openEncrypted(storeFiles(s.dir).db, Buffer.from(mk), { migrate: false });
    rebuildChain(db, (r) => !String(r.detail).includes(`"paymentId":${s.paymentId}`));
    db.close();
    const h = new StoreHandle(s.dir, 'test');
    try {
      h.unlock(mk);
      expect(compareAnchor(h)).toMatchObject({ ok: false, status: 'behind', verified: false });
    } finally {
      h.close();
    }
  }, 60_000);

  it('on a shared backend, an admin logging in after a collector catches the anchor up at once', async () => {
    const s = await store();
    s.close();
    const before = readAnchor(s.dir).anchor!;
    const b = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    cleanup.push(() => b.close());
    await login(b, 'zhang', PW);
    expect(readAnchor(s.dir).anchor!.seq).toBe(before.seq);
    const admin = await login(b, 'admin', ADMIN_PASSWORD);
    expect(readAnchor(s.dir).anchor!.seq).toBeGreaterThan(before.seq);
    expect((await admin.call('system.check', {})).anchor).toMatchObject({ ok: true, verified: true });
  }, 60_000);
});

describe('restore and the anchor', () => {
  it("an admin's password anchors the restored folder at its verified head; a collector's leaves it to the next admin unlock", async () => {
    const s = await store();
    const out = tempDir('agencydesk-anchor-restore-');
    cleanup.push(() => removeDir(out));
    const b = await s.admin.call('backup.run', { folder: out });

    const byAdmin = path.join(out, 'by-admin');
    await restoreBackup(b.file, byAdmin, (slots, id) => unwrapBackupKeys(slots, id, { username: 'admin', password: ADMIN_PASSWORD }), { nowMs: Date.now() });
    expect(readAnchor(byAdmin).anchor).toMatchObject({ seq: b.manifest.auditHead.seq, hash: b.manifest.auditHead.hash });
    let o = await adminBackend(byAdmin);
    expect((await o.admin.call('system.check', {})).anchor).toMatchObject({ ok: true, verified: true });
    o.backend.close();

    const byCollector = path.join(out, 'by-collector');
    await restoreBackup(b.file, byCollector, (slots, id) => unwrapBackupKeys(slots, id, { username: 'zhang', password: PW }), { nowMs: Date.now() });
    expect(existsSync(anchorPath(byCollector))).toBe(false);
    // A collector's first unlock writes none and does not call it deleted; the admin's anchors it.
    const c = createBackend({ storeDir: byCollector, host: 'test', sweepEveryMs: 0, now: () => clock });
    await login(c, 'zhang', PW);
    c.close();
    expect(existsSync(anchorPath(byCollector))).toBe(false);
    o = await adminBackend(byCollector);
    const r = await o.admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: true, status: 'ok', verified: true });
    expect((await o.admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries).toHaveLength(0);
    o.backend.close();
    rmSync(anchorPath(byCollector));
    o = await adminBackend(byCollector);
    expect((await o.admin.call('system.check', {})).anchor.status).toBe('missing');
  }, 90_000);
});

