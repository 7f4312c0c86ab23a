// Issue 17, left open: the audit anchor (audit-anchor.json) lives in the store folder, so putting back an older copy
// of the WHOLE folder — anchor and slot file included — passed `check`. Copies of the anchor kept outside the
// folder (beside every backup; in a desktop's app data folder) now report it; a deliberate restore is not flagged;
// a copy that fails its MAC is reported as such and not trusted.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, type BackendOptions } from '../../core/backend.js';
import { restore } from '../../cli/backup.js';
import { outsideAnchorFile } from '../../db/audit-anchor.js';
import { readSlotFile } from '../../db/keyslots.js';
import { storeFiles } from '../../db/paths.js';
import { ADMIN_PASSWORD, login, makeStore, removeDir, tempDir } from '../helpers/store.js';

const quiet = { json: true, print: () => undefined };
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.reverse()) f();
  cleanup = [];
  vi.restoreAllMocks();
});

function open(dir: string, extra: Partial<BackendOptions> = {}) {
  const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0, ...extra });
  cleanup.push(() => backend.close());
  return backend;
}

/** A store in root/store whose scheduled backup folder is root/backups; a first backup there. */
async function setup(extra: Partial<BackendOptions> = {}) {
  const root = tempDir('agencydesk-outside-');
  cleanup.push(() => removeDir(root));
  const dir = path.join(root, 'store');
  const backups = path.join(root, 'backups');
  const s = await makeStore({ storeDir: dir, ...extra });
  await s.admin.call('backup.configure', { folder: backups });
  const first = await s.admin.call('backup.run', {});
  const storeId = readSlotFile(storeFiles(dir).slots)!.storeId;
  return { root, dir, backups, s, first, storeId, copy: outsideAnchorFile(backups, storeId) };
}

/** Backup files are named by the second: the next one must not share it. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));

const lenders = async (c: { call: (m: 'lenders.create', i: { code: string; name: string }) => Promise<unknown> }, prefix: string, n: number) => {
  for (let i = 0; i < n; i++) await c.call('lenders.create', { code: `${prefix}${i}`, name: `回滚测试${prefix}${i}` });
};

describe('anchor copies outside the store folder', () => {
  it('an older copy of the whole folder put back: check names the anchor copy beside the backup; an admin can accept it', async () => {
    const { root, dir, s, copy, storeId } = await setup();
    expect(existsSync(copy)).toBe(true);
    s.close();
    const old = path.join(root, 'old-copy');
    cpSync(dir, old, { recursive: true });

    // More work, then the scheduled folder's backup: its anchor copy is ahead of the old folder.
    const b = open(dir);
    const admin = await login(b, 'admin', ADMIN_PASSWORD);
    await lenders(admin, 'RB', 3);
    await nextSecond();
    const later = await admin.call('backup.run', {});
    expect(JSON.parse(readFileSync(copy, 'utf8')).seq).toBeGreaterThan(later.manifest.auditHead.seq); // the backup's own entry is anchored too
    // A backup to another folder (a USB disk) refreshes the scheduled folder's copy too.
    const usb = path.join(root, 'usb');
    await nextSecond();
    await admin.call('backup.run', { folder: usb });
    const copied = JSON.parse(readFileSync(copy, 'utf8')) as { seq: number };
    expect(JSON.parse(readFileSync(outsideAnchorFile(usb, storeId), 'utf8'))).toEqual(copied);
    b.close();

    // The whole folder — agency.db, keyslots.json, audit-anchor.json — replaced by the old copy.
    removeDir(dir);
    cpSync(old, dir, { recursive: true });
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    const o = open(dir);
    const a2 = await login(o, 'admin', ADMIN_PASSWORD); // the unlock is not refused
    expect(errors.some((e) => e.includes('AUDIT ANCHOR WARNING (behind)') && e.includes(copy))).toBe(true);
    const r = await a2.call('system.check', {});
    expect(r.audit.ok).toBe(true); // the old chain is whole: only the copy outside can tell
    expect(r.anchor).toMatchObject({ ok: false, status: 'behind', verified: true, anchoredSeq: copied.seq });
    expect(r.anchor.message).toContain(copy);
    expect(r.anchor.message).toMatch(/whole store folder was rolled back/);
    expect(r.anchor.outside?.find((x) => x.file === copy)?.status).toBe('behind');
    const found = (await a2.call('audit.list', { action: 'audit.anchorMismatch' })).entries;
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatchObject({ status: 'behind', anchoredSeq: copied.seq });
    // Still reported after more writes over the missing numbers, until an admin accepts.
    await lenders(a2, 'NEW', 4);
    expect((await a2.call('system.check', {})).anchor.status).toBe('behind');
    const accepted = await a2.call('audit.acceptAnchor', { reason: '旧副本是有意放回的，已核对' });
    expect(accepted).toMatchObject({ ok: true, status: 'ok' });
    // The copy beside the backups now names today's head.
    expect((JSON.parse(readFileSync(copy, 'utf8')) as { seq: number }).seq).toBe(accepted.headSeq);
    expect((await a2.call('system.check', {})).anchor.ok).toBe(true);
  }, 120_000);

  it('a desktop keeps a copy in its app data folder: a folder put back is caught without any backup since', async () => {
    const root = tempDir('agencydesk-appdata-');
    cleanup.push(() => removeDir(root));
    const dir = path.join(root, 'store');
    const appData = path.join(root, 'appdata', 'anchors');
    const s = await makeStore({ storeDir: dir, anchorDir: appData });
    s.close();
    const old = path.join(root, 'old-copy');
    cpSync(dir, old, { recursive: true });
    const b = open(dir, { anchorDir: appData });
    await lenders(await login(b, 'admin', ADMIN_PASSWORD), 'AD', 2);
    b.close(); // the durable write at close reaches the app data copy
    const storeId = readSlotFile(storeFiles(dir).slots)!.storeId;
    const file = outsideAnchorFile(appData, storeId);
    const ahead = (JSON.parse(readFileSync(file, 'utf8')) as { seq: number }).seq;
    removeDir(dir);
    cpSync(old, dir, { recursive: true });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const o = open(dir, { anchorDir: appData });
    const r = await (await login(o, 'admin', ADMIN_PASSWORD)).call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: false, status: 'behind', anchoredSeq: ahead });
    expect(r.anchor.message).toContain(file);
    o.close();
    // The same check from a team-server-like backend running it in an offload worker.
    const w = open(dir, { anchorDir: appData, heavyWorkers: 1 });
    expect((await (await login(w, 'admin', ADMIN_PASSWORD)).call('system.check', {})).anchor.status).toBe('behind');
  }, 120_000);

  it('a deliberate restore (agencydesk restore) is not flagged, even from an older backup', async () => {
    const { root, dir, s, first, copy } = await setup();
    await lenders(s.admin, 'RS', 2);
    await nextSecond();
    await s.admin.call('backup.run', {});
    s.close();
    // The first (older) backup restored into a new folder, with the admin's password as it was then.
    const target = path.join(root, 'restored');
    await restore(target, { from: first.file, store: target }, { AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: ADMIN_PASSWORD }, quiet);
    // The copy beside the backups was retired: rewritten at the restored head.
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toMatchObject({ seq: first.manifest.auditHead.seq, hash: first.manifest.auditHead.hash });
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    const o = open(target);
    const admin = await login(o, 'admin', ADMIN_PASSWORD);
    const r = await admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: true, status: 'ok', verified: true });
    expect(r.anchor.outside?.find((x) => x.file === copy)?.status).toBe('ok');
    expect(errors.filter((e) => e.includes('AUDIT ANCHOR WARNING'))).toEqual([]);
    expect((await admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries).toEqual([]);
    o.close();
    expect(dir).not.toBe(target);
  }, 120_000);

  it('a copy that fails its MAC is reported as such, not trusted as a rollback', async () => {
    const { dir, s, copy } = await setup();
    s.close();
    // Someone moves the copy far ahead without the anchor key: it would read as a rollback if it were trusted.
    const a = JSON.parse(readFileSync(copy, 'utf8')) as { seq: number };
    writeFileSync(copy, JSON.stringify({ ...a, seq: a.seq + 1000 }));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const o = open(dir);
    const admin = await login(o, 'admin', ADMIN_PASSWORD);
    const r = await admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: false, status: 'forged', verified: true });
    expect(r.anchor.message).toContain(copy);
    expect(r.anchor.message).toMatch(/not trusted/);
    expect(r.anchor.message).not.toMatch(/rolled back/);
    // Accepting rewrites it with a genuine MAC.
    await admin.call('audit.acceptAnchor', { reason: '备份目录里的锚点副本被改过，已核对' });
    expect((await admin.call('system.check', {})).anchor).toMatchObject({ ok: true, status: 'ok' });
  }, 120_000);
  it("a restore that could not reach the app data copy: that copy predates the restored store's anchoring, so it is retired", async () => {
    const root = tempDir('agencydesk-appdata-restore-');
    cleanup.push(() => removeDir(root));
    const dir = path.join(root, 'store');
    const appData = path.join(root, 'appdata', 'anchors');
    const s = await makeStore({ storeDir: dir, anchorDir: appData });
    const b = await s.admin.call('backup.run', { folder: path.join(root, 'backups') });
    await lenders(s.admin, 'AR', 3);
    s.close();
    const storeId = readSlotFile(storeFiles(dir).slots)!.storeId;
    const file = outsideAnchorFile(appData, storeId);
    const ahead = JSON.parse(readFileSync(file, 'utf8')) as { seq: number };
    expect(ahead.seq).toBeGreaterThan(b.manifest.auditHead.seq);
    // `agencydesk restore` on this desktop without AGENCYDESK_ANCHOR_DIR: the app data copy stays ahead.
    const target = path.join(root, 'restored');
    await nextSecond();
    await restore(target, { from: b.file, store: target }, { AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: ADMIN_PASSWORD }, quiet);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(ahead);
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    const o = open(target, { anchorDir: appData });
    const admin = await login(o, 'admin', ADMIN_PASSWORD);
    // Not compared at the unlock (it would have read as a rollback), then rewritten by the login's durable write.
    expect(errors.filter((e) => e.includes('AUDIT ANCHOR WARNING'))).toEqual([]);
    expect((await admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries).toEqual([]);
    const r = await admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: true, status: 'ok' });
    expect(r.anchor.outside?.find((x) => x.file === file)?.status).toBe('ok');
    expect((JSON.parse(readFileSync(file, 'utf8')) as { seq: number }).seq).toBeLessThan(ahead.seq);
  }, 120_000);
});
